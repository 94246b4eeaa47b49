#!/usr/bin/env bash
# Configure and build neuropt into build/ (Release, Ninja). Extra arguments go
# to cmake, e.g. -DNEUROPT_ENABLE_CUDA=OFF.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${NEUROPT_BUILD_DIR:-build}
JOBS=${NEUROPT_JOBS:-$(nproc)}
cmake -G Ninja -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release "$@" >"$BUILD_DIR.configure.log" 2>&1 || {
  cat "$BUILD_DIR.configure.log"; echo "build: cmake configure failed" >&2; exit 1; }
grep -E "^-- neuropt:" "$BUILD_DIR.configure.log" || true
ninja -C "$BUILD_DIR" -j "$JOBS"
