#!/usr/bin/env bash
# redis-roundtrip.sh "OPT" INPUT.ll OUTDIR
# Starts a private redis-server on a free local port, runs neuropt-superopt
# on INPUT.ll in synthesize mode with the Redis cache (OUTDIR/synth.ll,
# OUTDIR/synth.err), then in cache mode (OUTDIR/cache.ll, OUTDIR/cache.err),
# and stops the server it started. OPT is the opt command with the plugin.
set -u
opt=$1 input=$2 out=$3
mkdir -p "$out"
if ! command -v redis-server >/dev/null; then
  echo "redis-server is not installed (scripts/setup.sh installs it)" >&2
  exit 1
fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# In the foreground of a background job, so that this script reaps it.
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
  --dir "$out" --logfile "$out/redis.log" &
server=$!
for _ in $(seq 50); do
  redis-cli -p "$port" ping >/dev/null 2>&1 && break
  sleep 0.1
done
spec=redis://127.0.0.1:$port
status=0
$opt -passes=neuropt-superopt -neuropt-superopt-mode=synthesize -neuropt-cache="$spec" \
  -neuropt-superopt-budget-ms=3000 -neuropt-superopt-stats -S "$input" \
  -o "$out/synth.ll" 2>"$out/synth.err" || status=1
$opt -passes=neuropt-superopt -neuropt-cache="$spec" -neuropt-superopt-stats -S "$input" \
  -o "$out/cache.ll" 2>"$out/cache.err" || status=1
redis-cli -p "$port" --scan --pattern 'neuropt:*' > "$out/keys.txt"
kill "$server"
wait "$server" 2>/dev/null
exit $status
