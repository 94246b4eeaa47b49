#!/usr/bin/env bash
# examples-e2e.sh CLANG PLUGIN EXAMPLES OUTDIR [CLANG-ARGS...]
# Compiles every EXAMPLES/*.c with CLANG -O2 and the plugin (extra arguments
# are passed on), runs it and compares its output with EXAMPLES/<name>.expected.
# Prints one line per program and a summary; exits non-zero on any mismatch.
set -u
clang=$1 plugin=$2 examples=$3 out=$4
shift 4
mkdir -p "$out"
ok=0 bad=0
for src in "$examples"/*.c; do
  name=$(basename "$src" .c)
  if ! "$clang" -std=c11 -O2 -ffp-contract=off -fpass-plugin="$plugin" "$@" \
      "$src" -o "$out/$name" -lm 2>"$out/$name.log"; then
    echo "$name: COMPILE FAILED"; cat "$out/$name.log"; bad=$((bad + 1)); continue
  fi
  if "$out/$name" >"$out/$name.out" 2>&1 && diff -q "$examples/$name.expected" "$out/$name.out" >/dev/null; then
    ok=$((ok + 1))
  else
    echo "$name: WRONG OUTPUT"; bad=$((bad + 1))
  fi
done
rewrites=$(grep -ho "[0-9]* rewrites" "$out"/*.log | awk '{s += $1} END {print s + 0}')
echo "examples: $ok ok, $bad failed; $rewrites rewrites"
[ "$bad" -eq 0 ]
