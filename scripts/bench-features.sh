#!/usr/bin/env bash
# Featurization cost against -Oz: compiles examples/*.c (and, if given, the
# .bc files of a corpus directory) to unoptimized -Oz bitcode and runs
# build/bench/FeaturesBM on them.
# Usage: scripts/bench-features.sh [CORPUS_DIR [N]]
#   With CORPUS_DIR, an evenly spaced sample of N (default 200) of its .bc
#   files, in sorted path order, is measured instead of the examples.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${NEUROPT_BUILD_DIR:-build}
CLANG=/usr/lib/llvm-22/bin/clang
ninja -C "$BUILD_DIR" FeaturesBM >/dev/null
IN="$BUILD_DIR/bench/features-inputs"
rm -rf "$IN"; mkdir -p "$IN"
if [ $# -ge 1 ]; then
  N=${2:-200}
  total=$(find "$1" -name '*.bc' | wc -l)
  step=$(( total > N ? total / N : 1 ))
  # awk stops reading by itself, so no stage of the pipe dies of SIGPIPE.
  find "$1" -name '*.bc' | sort |
    awk -v s="$step" -v n="$N" 'NR % s == 0 && c < n { print; c++ }' >"$IN.list"
  while read -r f; do cp "$f" "$IN/$(basename "$f")"; done <"$IN.list"
else
  for c in examples/*.c; do
    "$CLANG" -Oz -Xclang -disable-llvm-passes -ffp-contract=off -emit-llvm -c "$c" \
      -o "$IN/$(basename "$c" .c).bc"
  done
fi
"$BUILD_DIR/bench/FeaturesBM" --inputs="$IN" --benchmark_repetitions=3 \
  --benchmark_report_aggregates_only=true
