#!/usr/bin/env bash
# scripts/lib/gen_e2e_tests.sh - writes test/e2e/<name>.test for every
# examples/<name>.c that has none yet (existing tests are left alone).
# Each test compiles the example with stock clang and with the plugin, at -Oz
# and at -O2, runs it and diffs its stdout against examples/<name>.expected.
# test/e2e/examples-complete.test fails if an example lacks its test.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
for src in "$root"/examples/*.c; do
  name=$(basename "$src" .c)
  t=$root/test/e2e/$name.test
  [ -e "$t" ] && continue
  summary=$(sed -n '1s|^/\* *||p' "$src" | sed 's| *\*/$||')
  {
    echo "# End-to-end correctness of examples/$name.c"
    echo "#   $summary"
    echo "# Built with stock clang and with the plugin, at -Oz and at -O2; every build"
    echo "# must exit 0 and print exactly examples/$name.expected."
    for opt in Oz O2; do
      for mode in stock plugin; do
        flags="-std=c11 -$opt -ffp-contract=off"
        [ "$mode" = plugin ] && flags="$flags -fpass-plugin=%plugin"
        echo "#"
        echo "# RUN: %clang $flags %examples/$name.c -o %t.$opt.$mode"
        echo "# RUN: %t.$opt.$mode > %t.$opt.$mode.out"
        echo "# RUN: diff %examples/$name.expected %t.$opt.$mode.out"
      done
    done
  } > "$t"
  echo "wrote $t"
done
