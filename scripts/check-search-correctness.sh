#!/usr/bin/env bash
# Differential check of searched pass sequences on the bundled examples: for
# each example, search (budget N, default 300), apply the best sequence, link
# without further IR optimization, run, and compare with the .expected output.
# Usage: scripts/check-search-correctness.sh [BUDGET] [EXAMPLE.c...]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${NEUROPT_BUILD_DIR:-build}
BUDGET=${1:-300}; shift || true
CLANG=/usr/lib/llvm-22/bin/clang
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
srcs=("$@"); [ ${#srcs[@]} -gt 0 ] || srcs=(examples/*.c)
ok=0; bad=0
for c in "${srcs[@]}"; do
  n=$(basename "$c" .c)
  "$CLANG" -Oz -Xclang -disable-llvm-passes -ffp-contract=off -emit-llvm -c "$c" -o "$work/$n.bc"
  "$BUILD_DIR/bin/neuropt-eval" search --budget="$BUDGET" --emit-best="$work/best" "$work/$n.bc" >"$work/$n.search"
  # The best module is already optimized: compile it with no IR passes.
  "$CLANG" -Oz -Xclang -disable-llvm-passes "$work/best/$n.best.bc" -o "$work/$n.exe"
  if timeout 10 "$work/$n.exe" | cmp -s - "examples/$n.expected"; then
    ok=$((ok+1)); echo "ok   $n $(head -1 "$work/$n.search" | sed 's/^[^:]*: //')"
  else
    bad=$((bad+1)); echo "FAIL $n: output differs from examples/$n.expected"
  fi
done
echo "searched sequences: $ok correct, $bad wrong"
[ $bad -eq 0 ]
