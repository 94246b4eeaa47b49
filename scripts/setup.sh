#!/usr/bin/env bash
# neuropt setup: installs every Debian package the project needs.
# Idempotent and non-interactive; runs `apt-get update` at most once, and only
# when something is missing.
set -euo pipefail

PACKAGES=(
  # toolchain
  cmake ninja-build pkg-config g++ binutils python3 dpkg-dev
  # LLVM / MLIR / clang 22
  llvm-22 llvm-22-dev llvm-22-tools clang-22 libclang-rt-22-dev
  libmlir-22-dev mlir-22-tools libzstd-dev
  # SMT
  libz3-dev z3
  # tests, benchmarks, cache, BLAS
  libgtest-dev libgmock-dev libbenchmark-dev libsqlite3-dev sqlite3
  libopenblas-dev
  # Redis cache (optional backend, tested on loopback)
  libhiredis-dev redis-server
  # evaluation
  csmith libcsmith-dev gnuplot-nox zstd
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
echo "setup: installing ${#missing[@]} missing packages: ${missing[*]}"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
