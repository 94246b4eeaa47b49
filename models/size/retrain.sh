#!/usr/bin/env bash
# Trains the shipped neuropt-size MLP (models/size/size.safetensors and
# size.card.json) from the archived training set, labels/size-data.txt.gz,
# byte for byte. Training is deterministic: seed 1, one thread, and the
# hand-written float kernel (`--gemm native`), which is the same code on every
# x86-64 CPU, where OpenBLAS would pick its kernels by CPU (glibc's exp, log
# and pow still have CPU-specific variants, so the promise is for the same
# build on the same kind of machine, CI's included). The archive is the
# dataset that step 6 of regenerate.sh built from the corpus's training split
# (module statistics and centred labels), so this step needs no corpus. The
# corpus is rebuilt from Debian sources, whose versions move, and a rebuilt
# corpus gives a model of the same recipe, not these bytes.
#
#   bash models/size/retrain.sh          write models/size/size.{safetensors,card.json}
#   bash models/size/retrain.sh --check  train in a temporary directory and
#                                        compare with the shipped files
#                                        (exit 1 if either differs)
#
# Needs a built tree (bash scripts/build.sh); NEUROPT_BIN overrides build/bin.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=$(realpath "${NEUROPT_BIN:-build/bin}")
MODEL=$(realpath models/size)
CHECK=0
case "${1:-}" in
--check) CHECK=1 ;;
"") ;;
*) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac
[ -x "$BIN/neuropt-train" ] || { echo "retrain.sh: no $BIN/neuropt-train (build first: bash scripts/build.sh)" >&2; exit 2; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# The card records the command line, so it runs in a scratch copy of the
# repository's layout: the card then reads as a command run from the
# repository's root (with the archive unpacked), wherever the repository is.
mkdir -p "$WORK/models/size/labels"
gzip -dc "$MODEL/labels/size-data.txt.gz" > "$WORK/models/size/labels/size-data.txt"
cp "$MODEL/size.coreset.txt" "$WORK/models/size/size.coreset.txt"
(cd "$WORK" && "$BIN/neuropt-train" size --data models/size/labels/size-data.txt \
  --coreset models/size/size.coreset.txt --out-dir models/size --hidden 64,32 \
  --epochs 20 --batch 64 --lr 0.002 --weight-decay 0.0001 --seed 1 --holdout 0.2 \
  --corpus "neuropt-corpus Oz, train split, oz" --gemm native) > "$WORK/train.log" 2>&1 ||
  { cat "$WORK/train.log" >&2; echo "retrain.sh: training failed" >&2; exit 1; }
NEW=$WORK/models/size

if [ "$CHECK" = 1 ]; then
  status=0
  for f in size.safetensors size.card.json; do
    if cmp -s "$NEW/$f" "$MODEL/$f"; then
      echo "retrain.sh: $f: the same bytes as the shipped file"
    else
      echo "retrain.sh: $f: DIFFERS from the shipped file" >&2
      status=1
    fi
  done
  exit $status
fi
cp "$NEW/size.safetensors" "$NEW/size.card.json" "$MODEL/"
echo "retrain.sh: wrote $MODEL/size.safetensors and size.card.json"
