#!/usr/bin/env bash
#===- gpu-synth-e2e.sh - Synthesis with the CUDA filter, end to end -------===#
#
# Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
#
# The GPU machine has CUDA but no LLVM, Z3 or zstd, so the LLVM-facing tool
# travels as a bundle. Two steps, from the repository root:
#
#   bash kernels/gpu-synth-e2e.sh bundle [BUILD_DIR]
#       (here) packs BUILD_DIR/bin/neuropt-synth, BUILD_DIR/lib/
#       libNeuroptCUDA.so and every shared library neuropt-synth needs
#       beyond glibc and libstdc++ (libLLVM, libz3, libsqlite3, libxml2 and
#       ICU, ...) into build-gpu-e2e/bundle.tar.xz (xz -9: about 50 MB; the
#       device tool carries at most 64 MiB with the working tree). Pass
#       build-gpu-e2e as a carried path.
#
#   bash kernels/gpu-synth-e2e.sh run
#       (there) unpacks it with python3's lzma (xz and zstd may be absent)
#       and runs `neuropt-synth synth --filter cpu` and `--filter cuda` on
#       each missed peephole of test/superopt/mp-*.ll (16 in parallel). The
#       two outputs of each problem must be identical apart from the
#       filter's name and the wall time: same candidates, same filtered
#       count, same solver calls, same replacement, same proof hash. A CUDA
#       run that fell back or failed is a failure. Outputs go to
#       $OUT/synth-e2e.tgz (or build-gpu-e2e/out). Exit status 0 only when
#       every problem agreed and ran on the CUDA filter.
#
# Status: written in session 18, after a zstd bundle could not be unpacked
# on the H100 (no zstd binary, no python zstandard) and too little device
# time was left to start another machine. `bundle` and the local half of
# `run` were checked here; `run` has not yet run on a GPU.
#===----------------------------------------------------------------------===#
set -uo pipefail
cd "$(dirname "$0")/.."
E=build-gpu-e2e

bundle() {
  local B=${1:-build}
  [ -x "$B/bin/neuropt-synth" ] || { echo "no $B/bin/neuropt-synth" >&2; exit 1; }
  [ -f "$B/lib/libNeuroptCUDA.so" ] ||
    { echo "no $B/lib/libNeuroptCUDA.so: configure with CUDA" >&2; exit 1; }
  local S=$E/stage
  rm -rf "$S" && mkdir -p "$S/bin" "$S/lib" "$S/deps"
  cp "$B/bin/neuropt-synth" "$S/bin/"
  cp "$B/lib/libNeuroptCUDA.so" "$S/lib/"
  ldd "$B/bin/neuropt-synth" | awk '/=>/ {print $3}' |
    grep -vE '/(libc|libm|libgcc_s|libstdc\+\+|libdl|libpthread|librt)\.so' |
    while read -r L; do cp -L "$L" "$S/deps/"; done
  tar -cf - -C "$S" . | xz -9 -T2 >"$E/bundle.tar.xz"
  rm -rf "$S"
  ls -la "$E/bundle.tar.xz"
}

run() {
  local OUTDIR="${OUT:-$PWD/$E/out}" X=/tmp/neuropt-e2e R
  mkdir -p "$OUTDIR" "$X"
  R=$X/results && mkdir -p "$R"
  python3 -c "import sys, tarfile; tarfile.open(sys.argv[1], 'r:xz').extractall(sys.argv[2])" \
    "$E/bundle.tar.xz" "$X" || { echo "FAIL: cannot unpack $E/bundle.tar.xz"; exit 1; }
  export LD_LIBRARY_PATH=$X/deps:/usr/local/cuda/lib64 X R
  nvidia-smi -L || true
  one() {
    local n; n=$(basename "$1" .ll)
    "$X/bin/neuropt-synth" synth "$1" --function f --filter "$2" \
      --budget-ms 5000 >"$R/$n.$2" 2>&1
    echo "exit $?" >>"$R/$n.$2"
  }
  export -f one
  for F in test/superopt/mp-*.ll; do printf '%s cpu\n%s cuda\n' "$F" "$F"; done |
    xargs -P 16 -n 2 bash -c 'one "$0" "$1"'
  local Same=0 Diff=0 OnCuda=0 N norm='s/, (cpu|cuda) filter//; s/, [0-9.]+ s$//'
  for F in test/superopt/mp-*.ll; do
    N=$(basename "$F" .ll)
    grep -q ', cuda filter' "$R/$N.cuda" && OnCuda=$((OnCuda + 1))
    if cmp -s <(sed -E "$norm" "$R/$N.cpu") <(sed -E "$norm" "$R/$N.cuda"); then
      Same=$((Same + 1))
    else
      Diff=$((Diff + 1)); echo "DIFF $N"; diff "$R/$N.cpu" "$R/$N.cuda" | head -8
    fi
  done
  echo "verdicts (CPU filter):"; grep -h '^; verdict' "$R"/*.cpu | sort | uniq -c
  tar czf "$OUTDIR/synth-e2e.tgz" -C "$R" .
  echo "problems: $((Same + Diff)), identical output: $Same, different: $Diff, ran on the CUDA filter: $OnCuda"
  [ "$Diff" = 0 ] && [ "$OnCuda" = $((Same + Diff)) ]
}

case "${1:-}" in
  bundle) bundle "${2:-}" ;;
  run) run ;;
  *) sed -n '3,31p' "$0"; exit 1 ;;
esac
