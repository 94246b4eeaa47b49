#!/usr/bin/env bash
# scripts/lib/demo_example.sh - one row of the demo table (used by scripts/demo.sh).
#
# Usage: demo_example.sh NAME EXAMPLES_DIR OUT_DIR PLUGIN
#
# Compiles EXAMPLES_DIR/NAME.c twice, with the plugin and with stock clang, at
# -Oz, links and runs the plugin build, compares its stdout with NAME.expected
# and prints one tab-separated line:
#   NAME  INSTS  TEXT  STATUS  STOCK_INSTS  STOCK_TEXT  DETAIL
# INSTS is the module's instruction count from the plugin's feature printer
# run on the final optimized IR; TEXT is the size of the object's .text
# sections. STATUS is OK or FAIL; DETAIL says why on failure. The exit status
# is 0 whenever a row was produced, so that the caller prints every row.
set -uo pipefail

name=$1 exdir=$2 out=$3 plugin=$4
: "${CLANG:=clang-22}"
: "${LLVM_BIN:=/usr/lib/llvm-22/bin}"
: "${RUN_TIMEOUT:=20}"
CFLAGS=(-std=c11 -Oz -ffp-contract=off)

src=$exdir/$name.c
expected=$exdir/$name.expected
d=$out/$name
mkdir -p "$d"
rm -f "$d"/*

# insts FILE.ll -> module instruction count from print<neuropt-features>
insts() {
  local n
  n=$("$LLVM_BIN/opt" -load-pass-plugin="$plugin" -passes='print<neuropt-features>' \
        -disable-output "$1" 2>&1 | sed -n 's/^module: Instructions=\([0-9][0-9]*\).*/\1/p' | head -n 1)
  [ -n "$n" ] && echo "$n"
}

# text FILE.o -> total bytes of .text* sections
text() {
  "$LLVM_BIN/llvm-size" -A "$1" | awk '$1 ~ /^\.text/ { s += $2; found = 1 } END { if (found) print s; else exit 1 }'
}

row() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$1" "$2" "$3" "$4" "$5" "$6"; exit 0; }

[ -f "$src" ] || row - - FAIL - - "missing $src"
[ -f "$expected" ] || row - - FAIL - - "missing $expected"

# stock clang -Oz: the baseline the plugin must never lose to
"$CLANG" "${CFLAGS[@]}" -c "$src" -o "$d/stock.o" 2>"$d/stock.log" &&
  "$CLANG" "${CFLAGS[@]}" -S -emit-llvm "$src" -o "$d/stock.ll" 2>>"$d/stock.log" ||
  row - - FAIL - - "stock clang failed: $(head -c 200 "$d/stock.log")"
stock_insts=$(insts "$d/stock.ll") || row - - FAIL - - "feature printer failed on stock IR"
stock_text=$(text "$d/stock.o") || row - - FAIL - - "llvm-size failed"

# through the plugin
P=(-fpass-plugin="$plugin")
"$CLANG" "${CFLAGS[@]}" "${P[@]}" -c "$src" -o "$d/$name.o" 2>"$d/plugin.log" ||
  row - - FAIL "$stock_insts" "$stock_text" "compile with plugin failed: $(head -c 200 "$d/plugin.log")"
"$CLANG" "${CFLAGS[@]}" "${P[@]}" -S -emit-llvm "$src" -o "$d/$name.ll" 2>>"$d/plugin.log" ||
  row - - FAIL "$stock_insts" "$stock_text" "IR emission with plugin failed"
"$CLANG" "$d/$name.o" -o "$d/$name" 2>>"$d/plugin.log" ||
  row - - FAIL "$stock_insts" "$stock_text" "link failed"
n_insts=$(insts "$d/$name.ll") || row - - FAIL "$stock_insts" "$stock_text" "feature printer failed"
n_text=$(text "$d/$name.o") || row "$n_insts" - FAIL "$stock_insts" "$stock_text" "llvm-size failed"

timeout "$RUN_TIMEOUT" "$d/$name" >"$d/stdout" 2>"$d/stderr"
rc=$?
if [ "$rc" -ne 0 ]; then
  row "$n_insts" "$n_text" FAIL "$stock_insts" "$stock_text" "exit status $rc"
fi
if ! cmp -s "$expected" "$d/stdout"; then
  diff "$expected" "$d/stdout" >"$d/diff"
  row "$n_insts" "$n_text" FAIL "$stock_insts" "$stock_text" "output differs (see $d/diff)"
fi
row "$n_insts" "$n_text" OK "$stock_insts" "$stock_text" ""
