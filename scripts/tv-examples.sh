#!/bin/bash
# Translation validation of the bundled examples: every function a pass
# changes is checked by neuropt-tv, and the verdicts are counted per pass.
#
#   scripts/tv-examples.sh [--timeout-ms N] [PASS...]
#
# Each example is compiled with clang-22 -Oz -Xclang -disable-llvm-passes
# (the unoptimized IR that -Oz starts from), then run through
# opt -passes='neuropt-tv<PASS>' for each PASS (default: instcombine
# without its fixpoint check, simplifycfg, gvn). Prints one Markdown row per
# pass and a tally of the reasons for unknown verdicts. Needs the build
# (build/lib/NeurOpt.so).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LLVM=/usr/lib/llvm-22/bin
PLUGIN=$ROOT/build/lib/NeurOpt.so
TIMEOUT=2000
if [ "${1:-}" = "--timeout-ms" ]; then TIMEOUT=$2; shift 2; fi
PASSES=("$@")
[ ${#PASSES[@]} -gt 0 ] || PASSES=("instcombine<no-verify-fixpoint>" simplifycfg gvn)
[ -f "$PLUGIN" ] || { echo "tv-examples: $PLUGIN not found; build first" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
for c in "$ROOT"/examples/*.c; do
  "$LLVM/clang" -Oz -Xclang -disable-llvm-passes -emit-llvm -S -o "$WORK/$(basename "$c" .c).ll" "$c"
done
echo "| pass | proved | refuted | bounded | unknown | unchanged |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
for P in "${PASSES[@]}"; do
  for f in "$WORK"/*.ll; do
    "$LLVM/opt" -load-pass-plugin="$PLUGIN" -passes="neuropt-tv<$P>" \
      -pass-remarks-analysis=neuropt-tv -neuropt-tv-timeout-ms="$TIMEOUT" \
      -disable-output "$f" 2>&1 | grep "remark:" || true
  done > "$WORK/remarks.txt"
  R="$WORK/remarks.txt"
  printf '| %s | %d | %d | %d | %d | %d |\n' "$P" \
    "$(grep -c ': proved' "$R" || true)" "$(grep -c ': refuted' "$R" || true)" \
    "$(grep -c ': bounded' "$R" || true)" "$(grep -c ': unknown' "$R" || true)" \
    "$(grep -c 'unchanged by' "$R" || true)"
  cat "$R" >> "$WORK/all.txt"
done
echo
echo "Reasons for unknown (all passes):"
grep -o ': unknown (.*' "$WORK/all.txt" | sed -E 's/@[A-Za-z0-9_.]+/@F/g; s/^: unknown //' |
  sort | uniq -c | sort -rn
