#!/usr/bin/env bash
# Usage: sizes-match.sh TMPDIR FILE.c...
# For each C file: the object-size families that neuropt-eval measures in
# memory for default<Oz> must equal llvm-size's view of `clang -Oz -c` on the
# same bitcode. Prints "match NAME OBJECTIVE" or "MISMATCH ..." per file.
set -eu
tmp=$1; shift
for c in "$@"; do
  n=$(basename "$c" .c)
  clang -Oz -Xclang -disable-llvm-passes -ffp-contract=off -emit-llvm -c "$c" -o "$tmp/$n.bc"
  clang -Oz -c "$tmp/$n.bc" -o "$tmp/$n.o"
  want=$(llvm-size -A "$tmp/$n.o" | awk '
    $1 ~ /^\.text(\.|$)/ {t+=$2}
    $1 ~ /^\.rodata(\.|$)/ {r+=$2}
    $1 ~ /^\.data(\.|$)/ {d+=$2}
    END {printf "text=%d rodata=%d data=%d objective=%d", t, r, d, t+r+d}')
  got=$(neuropt-eval measure "$tmp/$n.bc" | sed -E 's/.* (text=[0-9]+ rodata=[0-9]+ data=[0-9]+ objective=[0-9]+) .*/\1/')
  if [ "$want" = "$got" ]; then echo "match $n $got"; else echo "MISMATCH $n clang: $want neuropt-eval: $got"; fi
done
