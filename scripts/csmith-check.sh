#!/usr/bin/env bash
# Differential testing of the neuropt plugin on random Csmith programs.
#
# Usage: scripts/csmith-check.sh [--count N] [--seed S] [--mode size|superopt|both]
#          [--jobs N] [--keep-failures DIR] [--timeout SEC] [--slow-timeout SEC]
#          [--plugin PATH] [--warm [--warm-mllvm OPT]...]
#          [--clang PATH] [--csmith-args "ARGS"] [--mllvm OPT]... [--skip-unavailable]
#
# Program i is `csmith --seed S+i`. Each is built with stock clang-22 and with
# the plugin, in the chosen mode(s):
#   size      stock -Oz  vs  -Oz -fpass-plugin=PLUGIN
#   superopt  stock -O2  vs  -O2 -fpass-plugin=PLUGIN -mllvm -neuropt-superopt-mode=synthesize
#                            -mllvm -neuropt-superopt-budget-ms=200
# and both binaries run under a timeout; their output (Csmith's checksum) and
# exit status must match. A stock binary that times out or crashes means the
# program is skipped (Csmith programs may loop), not a mismatch; a plugin
# build that fails while the stock build works is a mismatch. A plugin binary
# that times out where the stock one finished is run once more under
# --slow-timeout (default 120 s): if it then prints the same output, the
# program matched but is reported as slower than stock (a size pipeline may
# leave a loop less optimized); if it still hangs, it is a mismatch. For every mismatch the program is also built at -O0 with
# stock clang, to tell a pre-existing LLVM bug (or undefined behaviour) from a
# bug of the plugin. Mismatching programs are kept with --keep-failures.
#
# --mllvm OPT adds `-mllvm OPT` to every plugin build (e.g. another coreset,
# a per-module synthesis budget). Superopt builds get a fresh synthesis cache
# each (NEUROPT_CACHE_DIR in the program's work directory).
# --warm (size mode) checks neuropt-size's cache: the plugin build fills a
# cache of the program's own (-neuropt-size-cache), and a second plugin
# build, with that cache and only the --warm-mllvm options (default: none,
# so the default k), must also match stock. The report counts how the warm
# builds used the cache and whether they gave the first build's binary.
# A mode whose plugin option is unknown fails with a clear message, or is
# reported as skipped with --skip-unavailable (for CI before the pass lands).
# Exit status: 0 if nothing mismatched and every mode ran, 1 otherwise, 2 for
# a usage error.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
COUNT=100 SEED=1 MODE=size JOBS=1 KEEP="" TIMEOUT=5 SLOW_TIMEOUT=120 SKIP_UNAVAILABLE=0
PLUGIN=${NEUROPT_PLUGIN:-$ROOT/${NEUROPT_BUILD_DIR:-build}/lib/NeurOpt.so}
CLANG=${CLANG:-}
CSMITH_ARGS=""
EXTRA_MLLVM=""
WARM=0 WARM_MLLVM=""
CSMITH_INC=/usr/include/csmith

die() { echo "csmith-check: error: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --count) COUNT=${2:?}; shift 2 ;;
    --seed) SEED=${2:?}; shift 2 ;;
    --mode) MODE=${2:?}; shift 2 ;;
    --jobs) JOBS=${2:?}; shift 2 ;;
    --keep-failures) KEEP=${2:?}; shift 2 ;;
    --timeout) TIMEOUT=${2:?}; shift 2 ;;
    --slow-timeout) SLOW_TIMEOUT=${2:?}; shift 2 ;;
    --plugin) PLUGIN=${2:?}; shift 2 ;;
    --clang) CLANG=${2:?}; shift 2 ;;
    --csmith-args) CSMITH_ARGS=${2?}; shift 2 ;;
    --mllvm) EXTRA_MLLVM="$EXTRA_MLLVM -mllvm ${2:?}"; shift 2 ;;
    --skip-unavailable) SKIP_UNAVAILABLE=1; shift ;;
    --warm) WARM=1; shift ;;
    --warm-mllvm) WARM_MLLVM="$WARM_MLLVM -mllvm ${2:?}"; shift 2 ;;
    -h|--help) sed -n '2,32p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (try --help)" ;;
  esac
done
case "$MODE" in size|superopt|both) ;; *) die "--mode must be size, superopt or both, not '$MODE'" ;; esac
[ "$WARM" = 0 ] || [ "$MODE" = size ] || die "--warm needs --mode size"
[ -z "$WARM_MLLVM" ] || [ "$WARM" = 1 ] || die "--warm-mllvm needs --warm"
for v in COUNT SEED JOBS TIMEOUT SLOW_TIMEOUT; do
  [[ ${!v} =~ ^[0-9]+$ ]] || die "--${v,,} needs a non-negative integer, not '${!v}'"
done
[ "$JOBS" -ge 1 ] || JOBS=1
if [ -z "$CLANG" ]; then
  CLANG=$(command -v clang-22 || echo /usr/lib/llvm-22/bin/clang)
fi
command -v csmith >/dev/null || die "csmith not found (Debian package csmith; scripts/setup.sh installs it)"
[ -f "$CSMITH_INC/csmith.h" ] || die "$CSMITH_INC/csmith.h not found (Debian package libcsmith-dev)"
[ -x "$CLANG" ] || command -v "$CLANG" >/dev/null || die "clang '$CLANG' not found"
[ -f "$PLUGIN" ] || die "plugin '$PLUGIN' not found (build NeurOpt first, or pass --plugin)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/csmith-check.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
CFLAGS=(-w -I"$CSMITH_INC")

modes=()
case "$MODE" in both) modes=(size superopt) ;; *) modes=("$MODE") ;; esac

# Stock and plugin flags of a mode.
stock_flags() { case "$1" in size) echo "-Oz" ;; superopt) echo "-O2" ;; esac; }
plugin_flags() {
  case "$1" in
    size) echo "-Oz -fpass-plugin=$PLUGIN" ;;
    superopt) echo "-O2 -fpass-plugin=$PLUGIN -mllvm -neuropt-superopt-mode=synthesize -mllvm -neuropt-superopt-budget-ms=200" ;;
  esac
}

# Checks that the plugin accepts a mode's options: prints why not and fails.
# The --mllvm options are checked after them, and an unknown one is an error
# even with --skip-unavailable (a typo must not skip a mode silently).
probe_mode() {
  local mode=$1 out
  # shellcheck disable=SC2046
  if out=$(echo 'int main(void){return 0;}' |
             "$CLANG" $(plugin_flags "$mode") -x c - -c -o /dev/null 2>&1); then
    # shellcheck disable=SC2046,SC2086
    if [ -n "$EXTRA_MLLVM" ] && ! out=$(echo 'int main(void){return 0;}' |
         "$CLANG" $(plugin_flags "$mode") $EXTRA_MLLVM -x c - -c -o /dev/null 2>&1); then
      echo "csmith-check: error: the plugin build fails with the --mllvm options:" >&2
      sed 's/^/  /' <<<"$out" | head -5 >&2
      exit 2
    fi
    return 0
  fi
  if grep -q "Unknown command line argument" <<<"$out"; then
    echo "csmith-check: $mode mode unavailable: the plugin ($PLUGIN) does not know its options" \
         "($(grep -m1 -o "Unknown command line argument '[^']*'" <<<"$out"))"
  else
    echo "csmith-check: $mode mode unavailable: the plugin build of an empty program fails:"
    sed 's/^/  /' <<<"$out" | head -5
  fi
  return 1
}

# Runs a binary with the timeout; writes stdout to $2 and the status to $3
# (124 = timed out).
run_bin() {
  timeout -k 1 "$TIMEOUT" "$1" >"$2" 2>/dev/null
  echo $? >"$3"
}

# Builds and runs one plugin binary $4/$1 (tag plugin or warm, command $2)
# and prints "match <output>[ (slow: ...)]" or "mismatch <why>" against the
# stock run in $4, whose status was $3.
plugin_verdict() {
  local tag=$1 cmd=$2 src_rc=$3 d=$4
  # shellcheck disable=SC2086
  if ! timeout 600 $cmd >"$d/$tag.log" 2>&1; then
    echo "mismatch $tag build failed: $(grep -m1 -iE 'error|assert|fatal|Stack dump' "$d/$tag.log" | cut -c1-200)"
    return
  fi
  run_bin "$d/$tag" "$d/$tag.out" "$d/$tag.rc"
  local rc slow=""; rc=$(cat "$d/$tag.rc")
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    # Slower than stock, or wrong? Once more with the long timeout.
    TIMEOUT=$SLOW_TIMEOUT run_bin "$d/$tag" "$d/$tag.out" "$d/$tag.rc"
    rc=$(cat "$d/$tag.rc") slow=" (slow: the plugin's binary needed more than ${TIMEOUT}s, the stock one less)"
  fi
  if [ "$rc" = "$src_rc" ] && cmp -s "$d/stock.out" "$d/$tag.out"; then
    echo "match $(head -c 40 "$d/stock.out" | tr -d '\n')$slow"
  elif [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    echo "mismatch $tag binary timed out, also under --slow-timeout ${SLOW_TIMEOUT}s (stock finished within ${TIMEOUT}s with status $src_rc)"
  else
    echo "mismatch stock: status $src_rc, '$(tr -d '\n' <"$d/stock.out" | cut -c1-60)'; $tag: status $rc, '$(tr -d '\n' <"$d/$tag.out" | cut -c1-60)'"
  fi
}

# One program in one mode: writes "<verdict> <detail>" to $WORK/<mode>/<seed>.res
# (verdict: match, mismatch, skip).
check_one() {
  local mode=$1 seed=$2 d="$WORK/$1/$2" res="$WORK/$1/$2.res" src
  mkdir -p "$d"
  src="$WORK/src/$seed.c"
  if [ ! -s "$src" ]; then
    # csmith writes platform.info into its working directory: a directory
    # of this job's own, so that jobs (and modes of one seed) never share
    # it. A failure is tried once more, and reported with what csmith said.
    local gen="$d/gen" why=""
    for _ in 1 2; do
      rm -rf "$gen" && mkdir -p "$gen"
      # shellcheck disable=SC2086
      if (cd "$gen" && csmith --seed "$seed" $CSMITH_ARGS -o p.c) >"$gen/err" 2>&1 &&
         [ -s "$gen/p.c" ]; then
        why=""; break
      fi
      why=$(head -c 200 "$gen/err" | tr '\n' ' ')
      why=${why:-"no output"}
    done
    if [ -n "$why" ]; then
      echo "skip csmith failed to generate the program: $why" >"$res"; return
    fi
    mv "$gen/p.c" "$src"
    rm -rf "$gen"
  fi
  local stock_cmd plugin_cmd env_prefix=""
  # Superopt: a synthesis cache of this program's own, so that no result of
  # another run (or of the user's ~/.cache) is replayed and parallel builds
  # do not share a database.
  [ "$mode" = superopt ] && env_prefix="env NEUROPT_CACHE_DIR=$d/cache "
  stock_cmd="$CLANG $(stock_flags "$mode") ${CFLAGS[*]} $src -o $d/stock"
  local cache_flag=""
  [ "$WARM" = 1 ] && cache_flag=" -mllvm -neuropt-size-cache=$d/size.sqlite"
  plugin_cmd="$env_prefix$CLANG $(plugin_flags "$mode")$EXTRA_MLLVM$cache_flag ${CFLAGS[*]} $src -o $d/plugin"
  echo "$stock_cmd" >"$d/stock.cmd"; echo "$plugin_cmd" >"$d/plugin.cmd"
  # shellcheck disable=SC2086
  if ! $stock_cmd >"$d/stock.log" 2>&1; then
    echo "skip stock build failed" >"$res"; return
  fi
  run_bin "$d/stock" "$d/stock.out" "$d/stock.rc"
  local src_rc; src_rc=$(cat "$d/stock.rc")
  if [ "$src_rc" = 124 ] || [ "$src_rc" = 137 ]; then
    echo "skip stock binary timed out (${TIMEOUT}s)" >"$res"; return
  fi
  if [ "$src_rc" -ge 128 ]; then
    echo "skip stock binary crashed (status $src_rc)" >"$res"; return
  fi
  local verdict
  verdict=$(plugin_verdict plugin "$plugin_cmd" "$src_rc" "$d")
  if [ "$WARM" = 1 ] && [ "${verdict%% *}" = match ]; then
    # The same program again, with the cache the first build filled.
    local warm_cmd="$CLANG $(plugin_flags size) -mllvm -neuropt-size-cache=$d/size.sqlite -mllvm -neuropt-size-print$WARM_MLLVM ${CFLAGS[*]} $src -o $d/warm"
    echo "$warm_cmd" >"$d/warm.cmd"
    local wv; wv=$(plugin_verdict warm "$warm_cmd" "$src_rc" "$d")
    if [ "${wv%% *}" = match ]; then
      # For the report, beside the verdict (which keeps its own slow note):
      # -neuropt-size-print ends its line with the cache's plan.
      local how same=other slow=""
      how=$(grep -o -m1 'cache: [a-z ]*)$' "$d/warm.log" | sed 's/^cache: //; s/)$//')
      cmp -s "$d/plugin" "$d/warm" && same=same
      case "$wv" in *"(slow: "*) slow=", slower than stock" ;; esac
      echo "${how:-no cache plan printed}|$same binary$slow" >"$res.warm"
    else
      verdict="mismatch warm build (with the first build's cache): ${wv#mismatch }"
    fi
  fi
  echo "$verdict" >"$res"
  [ "${verdict%% *}" = match ] && return
  # Triage: does stock -O0 agree with stock -O2/-Oz?
  local o0_cmd="$CLANG -O0 ${CFLAGS[*]} $src -o $d/o0"
  echo "$o0_cmd" >"$d/o0.cmd"
  # shellcheck disable=SC2086
  if ! $o0_cmd >"$d/o0.log" 2>&1; then
    echo "triage: stock -O0 build failed" >>"$res"
  else
    run_bin "$d/o0" "$d/o0.out" "$d/o0.rc"
    if [ "$(cat "$d/o0.rc")" = "$src_rc" ] && cmp -s "$d/o0.out" "$d/stock.out"; then
      echo "triage: stock -O0 agrees with stock $(stock_flags "$mode"): a neuropt bug" >>"$res"
    else
      echo "triage: stock -O0 disagrees with stock $(stock_flags "$mode") (status $(cat "$d/o0.rc"), '$(tr -d '\n' <"$d/o0.out" | cut -c1-60)'): pre-existing LLVM bug or undefined behaviour, not necessarily neuropt" >>"$res"
    fi
  fi
  if [ -n "$KEEP" ]; then
    local keep="$KEEP/seed-$seed-$mode"
    mkdir -p "$keep"
    cp "$src" "$keep/csmith-$seed.c"
    cp "$d"/*.cmd "$d"/*.log "$d"/*.out "$d"/*.rc "$keep/" 2>/dev/null
    cp "$res" "$keep/verdict.txt"
  fi
}

status=0
mkdir -p "$WORK/src"
runnable=()
for m in "${modes[@]}"; do
  if probe_mode "$m"; then
    runnable+=("$m")
  elif [ "$SKIP_UNAVAILABLE" = 1 ]; then
    echo "csmith-check: $m mode skipped (--skip-unavailable)"
  else
    echo "csmith-check: $m mode FAILED"
    status=1
  fi
done

echo "csmith-check: $COUNT programs from seed $SEED, modes: ${runnable[*]:-none}, $JOBS jobs, timeout ${TIMEOUT}s"
echo "  clang:  $CLANG ($("$CLANG" --version | head -1))"
echo "  plugin: $PLUGIN"

start=$(date +%s)
for m in "${runnable[@]}"; do
  mkdir -p "$WORK/$m"
  running=0
  for ((i = 0; i < COUNT; i++)); do
    check_one "$m" $((SEED + i)) &
    running=$((running + 1))
    if [ "$running" -ge "$JOBS" ]; then wait -n; running=$((running - 1)); fi
  done
  wait
done

total=0 matched=0 mismatched=0 skipped=0 slowed=0
for m in "${runnable[@]}"; do
  t=0 mt=0 mm=0 sk=0 sl=0
  for ((i = 0; i < COUNT; i++)); do
    s=$((SEED + i)) res="$WORK/$m/$((SEED + i)).res"
    t=$((t + 1))
    verdict=$(head -1 "$res" 2>/dev/null | cut -d' ' -f1)
    case "$verdict" in
      match)
        mt=$((mt + 1))
        if grep -q '(slow: ' "$res"; then
          sl=$((sl + 1)); echo "slow     [$m] seed $s: matched$(head -1 "$res" | sed 's/.*(slow:/:/; s/)$//')"
        fi
        ;;
      skip) sk=$((sk + 1)); echo "skip     [$m] seed $s: $(head -1 "$res" | cut -d' ' -f2-)" ;;
      mismatch)
        mm=$((mm + 1))
        echo "MISMATCH [$m] seed $s: $(head -1 "$res" | cut -d' ' -f2-)"
        sed -n '2,$p' "$res" | sed 's/^/  /'
        echo "  csmith:  csmith --seed $s $CSMITH_ARGS"
        echo "  stock:   $(cat "$WORK/$m/$s/stock.cmd")"
        echo "  plugin:  $(cat "$WORK/$m/$s/plugin.cmd")"
        [ -f "$WORK/$m/$s/warm.cmd" ] && echo "  warm:    $(cat "$WORK/$m/$s/warm.cmd")"
        [ -n "$KEEP" ] && echo "  kept in: $KEEP/seed-$s-$m/"
        ;;
      *) mm=$((mm + 1)); echo "MISMATCH [$m] seed $s: the check itself failed (no verdict)" ;;
    esac
  done
  [ ${#runnable[@]} -gt 1 ] && echo "csmith [$m]: $t programs, $mt matched, $mm mismatched, $sk timeouts/skipped"
  total=$((total + t)) matched=$((matched + mt)) mismatched=$((mismatched + mm)) skipped=$((skipped + sk))
  slowed=$((slowed + sl))
done
if [ "$WARM" = 1 ]; then
  # How the matched programs' warm builds used the cache.
  cat "$WORK"/size/*.res.warm 2>/dev/null | sort | uniq -c |
    sed 's/^ *\([0-9]*\) \([^|]*\)|\(.*\)$/csmith warm: \1 rebuilt (\2), \3/'
fi
[ "$slowed" -gt 0 ] && echo "csmith: $slowed of the matched programs ran slower than stock (beyond ${TIMEOUT}s, within ${SLOW_TIMEOUT}s)"
echo "csmith: $total programs, $matched matched, $mismatched mismatched, $skipped timeouts/skipped ($(( $(date +%s) - start ))s)"
[ "$mismatched" -eq 0 ] || status=1
exit $status
