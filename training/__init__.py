"""xinan training chain: vocab → pretrain → finetune → export (see training/README.md)."""
