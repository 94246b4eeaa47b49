#!/usr/bin/env bash
# The README's test command: set up, build, and run every test (lit/FileCheck
# under test/ and the GoogleTest executables in build/unittests/). The last
# line is "N passed, N failed, N skipped"; the exit status is non-zero when
# anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${NEUROPT_BUILD_DIR:-build}

bash scripts/setup.sh || { echo "test: setup failed" >&2; echo "0 passed, 1 failed"; exit 1; }
bash scripts/build.sh "$@" || { echo "test: build failed" >&2; echo "0 passed, 1 failed"; exit 1; }

RESULTS="$BUILD_DIR/test-results"
rm -rf "$RESULTS"; mkdir -p "$RESULTS"

LIT=/usr/lib/llvm-22/bin/lit
echo "== lit"
"$LIT" -sv --xunit-xml-output "$RESULTS/lit.xml" "$BUILD_DIR/test"
lit_rc=$?

gtest_rc=0
for t in "$BUILD_DIR"/unittests/*; do
  [ -x "$t" ] || continue
  name=$(basename "$t")
  echo "== $name"
  "$t" --gtest_brief=1 --gtest_output="xml:$RESULTS/$name.xml" || gtest_rc=1
done

python3 scripts/lib/summarize_results.py "$RESULTS"
sum_rc=$?
if [ $lit_rc -ne 0 ] || [ $gtest_rc -ne 0 ] || [ $sum_rc -ne 0 ]; then exit 1; fi
exit 0
