#!/usr/bin/env bash
# The whole training chain on a tiny slice (about a minute): proves the scripts work end to end.
# Writes only under runs/smoke/. Skips, saying why, when ../shared is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${XINAN_SHARED:-../shared}
if [ ! -d "$SHARED/corpus" ] || [ ! -f "$SHARED/data/dialoguesafety/dev.json" ]; then
  echo "training smoke: SKIPPED — $SHARED/corpus or dev.json is absent (CI has them)"
  exit 0
fi
R=runs/smoke
rm -rf "$R"
py() { /usr/bin/python3 -m training "$@" --runs "$R"; }
py vocab --limit 3000 --min-char 2 --corpus "$SHARED/corpus" --dev "$SHARED/data/dialoguesafety/dev.json"
py pack --limit 3000 --corpus "$SHARED/corpus"
py pretrain --steps 4 --layers 1 --hidden 32 --heads 2 --intermediate 64 --batch 4 --save-every 2
# Resumability: asking for more steps continues from the saved checkpoint; batch-building workers and a
# float16 model folder (as a GPU run would bring back) are used here too, and finetune loads that folder.
py pretrain --steps 6 --layers 1 --hidden 32 --heads 2 --intermediate 64 --batch 4 --save-every 2 \
  --workers 2 --save-dtype float16 > "$R/resume.log"
grep "resumed at step 4" "$R/resume.log"
py finetune --limit 80 --epochs 1 --folds 2 --weak neglect:8,safe:8,nonsense:8,toxic:8 --wide-buckets 1024 --wide-ngrams 3 --name base \
  --dev "$SHARED/data/dialoguesafety/dev.json"
# Extra labeled data in the training folds (a slice of the synthetic set, whole groups), a fresh encoder
# with the shared tokenizer, wide part only, prior adjustment: the options behind models/xinan-safety-zh.
SYN="$SHARED/data/dialoguesafety-synthetic/train.jsonl"
if [ -f "$SYN" ]; then
  head -n 60 "$SYN" > "$R/extra.jsonl"
  py finetune --limit 80 --epochs 1 --folds 2 --extra "$R/extra.jsonl:0.3" --fresh-encoder 1:32:2:64 \
    --tokenizer "$R/vocab/tokenizer.json" --wide-only --prior-adjust 1 --wide-buckets 1024 --wide-ngrams 3 \
    --clip-encoder-only --name extra --dev "$SHARED/data/dialoguesafety/dev.json"
  grep -q '"extra_protocol"' "$R/finetune/extra/cv.json"
  test -s "$R/finetune/extra/final/model.pt"
fi
py export --dev "$SHARED/data/dialoguesafety/dev.json"
test -s "$R/export/model/onnx/model_quantized.onnx"
test -s "$R/finetune/base/cv.json"
echo "training smoke: OK (vocab → pack → pretrain (+resume) → finetune CV → export → int8 parity)"
