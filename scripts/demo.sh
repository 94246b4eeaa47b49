#!/usr/bin/env bash
# scripts/demo.sh - the README's first command: set up, build, and run the
# main job on the bundled examples.
#
# For every examples/<name>.c it compiles with
#   clang-22 -std=c11 -Oz -ffp-contract=off -fpass-plugin=build/lib/NeurOpt.so
# runs the program, compares its output with examples/<name>.expected and
# prints a table: IR instructions in the final optimized module (from the
# plugin's print<neuropt-features>), .text bytes of the object, and OK/FAIL.
# The same numbers for stock clang -Oz are shown alongside as the baseline.
# Exits non-zero if any program's output is wrong or any step fails.
#
# Environment: SKIP_SETUP=1 skips scripts/setup.sh, SKIP_BUILD=1 skips the
# cmake/ninja step, BUILD_DIR picks the build directory (default build),
# JOBS sets the parallelism (default: number of CPUs).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
BUILD_DIR=${BUILD_DIR:-build}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}

if [ "${SKIP_SETUP:-0}" != 1 ]; then
  echo "== setup"
  bash scripts/setup.sh
fi
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "== build"
  cmake -G Ninja -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release >/dev/null
  ninja -C "$BUILD_DIR"
fi

plugin=$root/$BUILD_DIR/lib/NeurOpt.so
if [ ! -f "$plugin" ]; then
  echo "demo: error: $plugin was not built" >&2
  exit 1
fi
export CLANG=${CLANG:-clang-22}
export LLVM_BIN=${LLVM_BIN:-$(llvm-config-22 --bindir 2>/dev/null || echo /usr/lib/llvm-22/bin)}
for tool in "$CLANG" "$LLVM_BIN/opt" "$LLVM_BIN/llvm-size"; do
  if ! command -v "$tool" >/dev/null; then
    echo "demo: error: $tool not found; run scripts/setup.sh" >&2
    exit 1
  fi
done

out=$root/$BUILD_DIR/examples
mkdir -p "$out"
shopt -s nullglob
names=()
for src in examples/*.c; do names+=("$(basename "$src" .c)"); done
if [ ${#names[@]} -eq 0 ]; then
  echo "demo: error: no examples found in examples/" >&2
  exit 1
fi

echo "== compiling ${#names[@]} examples with clang -Oz -fpass-plugin=$BUILD_DIR/lib/NeurOpt.so"
start=$(date +%s)
rows=$(printf '%s\n' "${names[@]}" |
  xargs -P "$JOBS" -I{} bash scripts/lib/demo_example.sh {} "$root/examples" "$out" "$plugin") || true
elapsed=$(( $(date +%s) - start ))

# Print the rows in example order, then totals.
printf '%s\n' "$rows" | awk -F'\t' -v order="$(printf '%s ' "${names[@]}")" -v secs="$elapsed" '
  { row[$1] = $0 }
  END {
    n = split(order, names, " ")
    printf "%-14s %10s %10s %12s %12s  %s\n", "program", "IR insts", ".text B", "stock insts", "stock .text", "output"
    printf "%-14s %10s %10s %12s %12s  %s\n", "-------", "--------", "-------", "-----------", "-----------", "------"
    ok = 0; fail = 0
    for (i = 1; i <= n; i++) {
      if (!(names[i] in row)) { printf "%-14s %10s %10s %12s %12s  FAIL (no result)\n", names[i], "-", "-", "-", "-"; fail++; continue }
      split(row[names[i]], f, "\t")
      printf "%-14s %10s %10s %12s %12s  %s%s\n", f[1], f[2], f[3], f[5], f[6], f[4], (f[7] != "" ? " (" f[7] ")" : "")
      if (f[4] == "OK") ok++; else fail++
      ti += f[2]; tt += f[3]; si += f[5]; st += f[6]
    }
    printf "%-14s %10s %10s %12s %12s  %s\n", "-------", "--------", "-------", "-----------", "-----------", "------"
    printf "%-14s %10d %10d %12d %12d  %d OK, %d FAIL\n", "total", ti, tt, si, st, ok, fail
    if (si > 0 && st > 0)
      printf "plugin vs stock -Oz: IR instructions %+.2f%%, .text bytes %+.2f%%\n", 100 * (ti - si) / si, 100 * (tt - st) / st
    printf "%d programs in %ds; artifacts in '"$BUILD_DIR"'/examples/<program>/\n", n, secs
    exit (fail > 0 ? 1 : 0)
  }'
