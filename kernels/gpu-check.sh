#!/usr/bin/env bash
#===- gpu-check.sh - Build and check the model runtime on a GPU machine ----===#
#
# Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
#
# Three steps, run from the repository root:
#
#   bash kernels/gpu-check.sh prepare
#       (here, on the development machine) copies GoogleTest's sources and
#       the installed Google Benchmark into build-gpu-deps/ (ignored by git),
#       so the GPU machine, which has neither, can build the tests and
#       benchmarks. Pass build-gpu-deps as a carried path to the device tool.
#
#   bash kernels/gpu-check.sh dump BUILD_DIR
#       (here) regenerates test/model/gpu-inputs/: two tiny models trained by
#       BUILD_DIR/bin/neuropt-train, the inputs to score, and the CPU scores.
#
#   bash kernels/gpu-check.sh run
#       (on the GPU machine) builds with -DNEUROPT_ENABLE_LLVM=OFF and CUDA
#       ON, runs ModelTests (the CUDA agreement tests must RUN, not skip),
#       checks that the CUDA runner's int32 scores for the dumped inputs
#       equal, bit for bit, both the CPU runner's there and the CPU scores
#       dumped here, runs KernelsTests (the synthesis filter's CUDA agreement
#       test must RUN: random programs x random inputs, Pass vectors
#       byte-identical to the CPU filter's), and runs the benchmarks
#       (ModelBM, SynthFilterBM: its int32_peak_frac column is the filter's
#       useful int32 work over SMs x 64 lanes x SM clock). Logs and JSON go
#       to $OUT (or build-gpu/out). Exit status 0 only when everything agreed.
#===----------------------------------------------------------------------===#
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
INPUTS=test/model/gpu-inputs
CASES="mlp-classification gnn-regression gnn-ranking"

prepare() {
  mkdir -p build-gpu-deps
  rm -rf build-gpu-deps/googletest
  cp -r /usr/src/googletest build-gpu-deps/googletest
  # Google Benchmark: headers, shared library and its relocatable CMake
  # package, laid out as an install prefix.
  local P=build-gpu-deps/benchmark
  rm -rf "$P"
  mkdir -p "$P/include" "$P/lib/x86_64-linux-gnu/cmake"
  cp -r /usr/include/benchmark "$P/include/"
  cp -a /usr/lib/x86_64-linux-gnu/libbenchmark.so* "$P/lib/x86_64-linux-gnu/"
  cp -a /usr/lib/x86_64-linux-gnu/libbenchmark_main.a "$P/lib/x86_64-linux-gnu/"
  cp -r /usr/lib/x86_64-linux-gnu/cmake/benchmark "$P/lib/x86_64-linux-gnu/cmake/"
  du -sh build-gpu-deps
}

dump() {
  local BIN="$1/bin/neuropt-train"
  [ -x "$BIN" ] || { echo "no $BIN; build neuropt-train first" >&2; exit 1; }
  mkdir -p "$INPUTS"
  # Training sets live in an ignored build folder; the fixed path keeps the
  # training command in the model cards reproducible.
  local T=build-gpu-inputs
  mkdir -p "$T"
  "$BIN" synthetic --kind mlp --task classification --features 24 --classes 5 \
    --samples 3000 --seed 11 --out "$T/mlp-classification.train"
  "$BIN" synthetic --kind mlp --task classification --features 24 --classes 5 \
    --samples 1024 --seed 12 --out "$INPUTS/mlp-classification.input"
  "$BIN" synthetic --kind gnn --task regression --samples 2000 --seed 13 \
    --out "$T/gnn-regression.train"
  "$BIN" synthetic --kind gnn --task regression --samples 512 --seed 14 \
    --out "$INPUTS/gnn-regression.input"
  "$BIN" synthetic --kind gnn --task ranking --samples 2000 --seed 15 \
    --out "$T/gnn-ranking.train"
  "$BIN" synthetic --kind gnn --task ranking --samples 512 --seed 16 \
    --out "$INPUTS/gnn-ranking.input"
  for C in $CASES; do
    "$BIN" train --data "$T/$C.train" --name "$C" --out-dir "$INPUTS" \
      --hidden 32,32 --embed 32 --rounds 2 --epochs 10 --seed 1 \
      --corpus "synthetic ($C)"
    "$BIN" score --model-dir "$INPUTS" --name "$C" --data "$INPUTS/$C.input" \
      --device cpu --out "$INPUTS/$C.cpu-scores"
  done
}

run() {
  local OUTDIR="${OUT:-$ROOT/build-gpu/out}"
  mkdir -p "$OUTDIR"
  local B=build-gpu
  local ARGS=(-G Ninja -S . -B "$B" -DNEUROPT_ENABLE_LLVM=OFF
              -DNEUROPT_ENABLE_CUDA=ON -DCMAKE_BUILD_TYPE=Release)
  [ -d build-gpu-deps/googletest ] &&
    ARGS+=(-DNEUROPT_GTEST_SOURCE_DIR="$ROOT/build-gpu-deps/googletest")
  [ -d build-gpu-deps/benchmark ] &&
    ARGS+=(-Dbenchmark_DIR="$ROOT/build-gpu-deps/benchmark/lib/x86_64-linux-gnu/cmake/benchmark")
  nvidia-smi -L | tee "$OUTDIR/gpu.txt" || true
  cmake "${ARGS[@]}" 2>&1 | tee "$OUTDIR/configure.log" | tail -5
  local TARGETS="NeuroptModel neuropt-train" ALL T
  # Captured first: under pipefail, `ninja ... | grep -q` fails when grep
  # exits early and ninja dies of SIGPIPE.
  ALL=$(ninja -C "$B" -t targets all)
  for T in ModelTests ModelBM KernelsTests SynthFilterBM; do
    grep -q "^$T:" <<<"$ALL" && TARGETS+=" $T"
  done
  echo "building: $TARGETS"
  ninja -C "$B" $TARGETS 2>&1 | tee "$OUTDIR/build.log" | tail -5
  local FAIL=0

  if [ -x "$B/unittests/ModelTests" ]; then
    "$B/unittests/ModelTests" 2>&1 | tee "$OUTDIR/ModelTests.log" | tail -15 || FAIL=1
    if grep -q 'SKIPPED.*CudaAgreementTest' "$OUTDIR/ModelTests.log"; then
      echo "FAIL: CUDA agreement tests were skipped on the GPU machine"; FAIL=1
    fi
  else
    echo "FAIL: ModelTests was not built (GoogleTest missing?)"; FAIL=1
  fi

  # The synthesis filter: CUDA must agree with the CPU filter byte for byte.
  if [ -x "$B/unittests/KernelsTests" ]; then
    "$B/unittests/KernelsTests" 2>&1 | tee "$OUTDIR/KernelsTests.log" | tail -8 || FAIL=1
    if grep -q 'SKIPPED.*SynthFilterCudaAgreement' "$OUTDIR/KernelsTests.log"; then
      echo "FAIL: synthesis filter CUDA agreement test was skipped on the GPU machine"; FAIL=1
    fi
  else
    echo "FAIL: KernelsTests was not built (GoogleTest missing?)"; FAIL=1
  fi

  : > "$OUTDIR/bitexact.log"
  for C in $CASES; do
    for D in cpu cuda; do
      if ! "$B/bin/neuropt-train" score --model-dir "$INPUTS" --name "$C" \
          --data "$INPUTS/$C.input" --device "$D" --out "$OUTDIR/$C.$D-scores" \
          --repeat 20 > "$OUTDIR/$C.$D.log" 2>&1; then
        echo "FAIL: $C: scoring with --device $D failed" | tee -a "$OUTDIR/bitexact.log"
        FAIL=1
      fi
      cat "$OUTDIR/$C.$D.log" >> "$OUTDIR/score.log"
    done
    # --device cuda falls back to the CPU with a warning when no GPU
    # answers; that must not pass for a GPU result.
    if ! grep -q "on cuda" "$OUTDIR/$C.cuda.log"; then
      echo "FAIL: $C did not run on CUDA: $(cat "$OUTDIR/$C.cuda.log")" | tee -a "$OUTDIR/bitexact.log"
      FAIL=1
    elif cmp -s "$OUTDIR/$C.cuda-scores" "$OUTDIR/$C.cpu-scores" &&
         cmp -s "$OUTDIR/$C.cuda-scores" "$INPUTS/$C.cpu-scores"; then
      echo "bit-exact: $C (CUDA here == CPU here == CPU on the dev machine)" | tee -a "$OUTDIR/bitexact.log"
    else
      echo "FAIL: $C scores differ between backends or machines" | tee -a "$OUTDIR/bitexact.log"
      FAIL=1
    fi
  done
  grep -h timing "$OUTDIR/score.log" || true

  if [ -x "$B/bench/ModelBM" ]; then
    # Scoring on both backends and cuBLAS alone; the CPU-only GEMM,
    # training and latency suites are the development machine's (together
    # they took over 5 minutes on the H100 machine's host).
    "$B/bench/ModelBM" --benchmark_filter='BM_Score(MLP|GNN)_(CPU|CUDA)|Cublas' \
      --benchmark_out="$OUTDIR/ModelBM.json" --benchmark_out_format=json 2>&1 | tee "$OUTDIR/ModelBM.txt" | grep -E 'BM_|GPU' || true
  else
    echo "note: Google Benchmark not available; see score.log for timings"
  fi
  # Synthesis filter throughput (CPU 1 and 2 threads, CUDA both layouts);
  # 3 repetitions, medians. On a Firecracker machine ncu also counts the
  # integer instructions the kernel really executes per evaluation (best
  # effort: ncu is absent or refused on gVisor).
  if [ -x "$B/bench/SynthFilterBM" ]; then
    "$B/bench/SynthFilterBM" --benchmark_repetitions=3 \
      --benchmark_report_aggregates_only=true \
      --benchmark_out="$OUTDIR/SynthFilterBM.json" --benchmark_out_format=json \
      2>&1 | tee "$OUTDIR/SynthFilterBM.txt" | grep -E 'median|GPU' || true
    if command -v ncu >/dev/null 2>&1; then
      ncu --clock-control none -k regex:filterWarpPerProgram -c 1 \
        --metrics smsp__inst_executed.sum,smsp__sass_thread_inst_executed_op_integer_pred_on.sum,sm__throughput.avg.pct_of_peak_sustained_elapsed \
        "$B/bench/SynthFilterBM" --benchmark_filter='width:32/backend:2/mode:0' \
        --benchmark_min_time=0.01 > "$OUTDIR/SynthFilter-ncu.txt" 2>&1 || true
      grep -E 'inst_executed|pct_of_peak' "$OUTDIR/SynthFilter-ncu.txt" || true
    fi
  fi
  echo "results in $OUTDIR"
  exit $FAIL
}

case "${1:-}" in
  prepare) prepare ;;
  dump) dump "${2:?usage: gpu-check.sh dump BUILD_DIR}" ;;
  run) run ;;
  *) sed -n '3,28p' "$0"; exit 1 ;;
esac
