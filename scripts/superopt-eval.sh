#!/usr/bin/env bash
# superopt-eval.sh: evaluate neuropt-superopt on a sample of the corpus's
# validation split and measure its compile-time cost on the examples and on
# those modules.
#
#   scripts/superopt-eval.sh [--build DIR] [--modules N] [--budget-ms MS]
#                            [--max-problems N] [--reps R] [--out DIR]
#                            [--callgrind] [--skip-fill]
#
# 1. Samples N modules of the `val` split of corpus/oz (every 10th module in
#    hash order, the first N of those). The corpus is -Oz bitcode whose
#    functions carry minsize/optsize; the -O2 copies drop those attributes.
# 2. Fills a fresh cache with `neuropt-synth superopt` over them: harvested
#    after -O2, then after -Oz (the second run skips what is cached).
# 3. Compiles each module with clang-22 at -O2 and -Oz, with the plugin and
#    -neuropt-superopt-mode=off (the baseline: other passes of the plugin
#    stay the same) and in cache mode, and compares the IR instruction count
#    of the optimized module and the .text bytes of the object.
# 4. Compiles examples/*.c, then the -O2 copies of the sampled validation
#    modules, at -O2 R times each, interleaved: stock clang, the plugin with
#    -neuropt-superopt-mode=off, and the plugin in cache mode with the
#    filled cache; reports the medians.
# Everything goes to OUT (default BUILD/superopt-eval/): the driver's
# reports (text and JSON), sizes.tsv, compile-time.tsv (examples),
# compile-time-val.tsv (validation modules) and summary.txt.
# --skip-fill reuses an earlier run's modules and cache in OUT (steps 1 and
# 2 skipped); --callgrind counts instructions in step 4 instead of timing.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=build MODULES=12 BUDGET=1000 MAXP=400 REPS=5 OUT= CALLGRIND=0 SKIPFILL=0
while [ $# -gt 0 ]; do
  case $1 in
    --build) BUILD=$2; shift 2 ;;
    --modules) MODULES=$2; shift 2 ;;
    --budget-ms) BUDGET=$2; shift 2 ;;
    --max-problems) MAXP=$2; shift 2 ;;
    --reps) REPS=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --callgrind) CALLGRIND=1; shift ;;
    --skip-fill) SKIPFILL=1; shift ;;
    *) echo "superopt-eval: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
LLVM=/usr/lib/llvm-22/bin
PLUGIN=$BUILD/lib/NeurOpt.so
SYNTH=$BUILD/bin/neuropt-synth
CORPUS=corpus/oz
for f in "$PLUGIN" "$SYNTH" "$CORPUS/corpus.db"; do
  [ -e "$f" ] || { echo "superopt-eval: missing $f" >&2; exit 1; }
done
OUT=${OUT:-$BUILD/superopt-eval}
mkdir -p "$OUT"
CACHE=$OUT/cache.sqlite
if [ "$SKIPFILL" = 1 ]; then
  [ -e "$CACHE" ] && [ -d "$OUT/O2" ] || { echo "superopt-eval: --skip-fill needs an earlier run in $OUT" >&2; exit 1; }
else
  rm -f "$CACHE" "$CACHE"-*
  sqlite3 "$CORPUS/corpus.db" "SELECT m.path FROM modules m JOIN packages p ON p.name = m.package
    WHERE p.split = 'val' ORDER BY m.hash" | awk 'NR % 10 == 1' | head -n "$MODULES" \
    | sed "s|^|$CORPUS/|" > "$OUT/modules.txt"
  echo "== $(wc -l < "$OUT/modules.txt") modules of the validation split"
  # The corpus was built at -Oz, so its functions carry minsize/optsize and
  # would be optimized for size at any level: the -O2 variant drops them.
  rm -rf "$OUT/O2" "$OUT/Oz" && mkdir -p "$OUT/O2" "$OUT/Oz"
  while read -r bc; do
    name=$(basename "$bc" .bc | cut -c1-16)
    cp "$bc" "$OUT/Oz/$name.bc"
    "$LLVM/llvm-dis" "$bc" -o - | sed -E '/^attributes #/ { s/ (minsize|optsize)//g; s/\{ *\}/{ "neuropt-o2" }/ }' > "$OUT/O2/$name.ll"
  done < "$OUT/modules.txt"

  for level in O2 Oz; do
    echo "== neuropt-synth superopt (harvest after -$level, budget $BUDGET ms)"
    /usr/bin/time -f "cpu %U s user %S s sys, wall %e s" -o "$OUT/driver-$level.time" \
      "$SYNTH" superopt --cache "$CACHE" --opt "$level" --budget-ms "$BUDGET" \
      --max-problems "$MAXP" --quiet --report-json "$OUT/driver-$level.json" \
      "$OUT/$level" | tee "$OUT/driver-$level.txt"
    cat "$OUT/driver-$level.time"
  done
fi

echo "== sizes with and without the pass (cache mode)"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
count_ir() { awk '/^define/ {f = 1; next} /^}/ {f = 0} f && /^  [^ ;]/ {n++} END {print n + 0}' "$1"; }
text_bytes() { "$LLVM/llvm-size" -A "$1" | awk '$1 ~ /^\.text/ {s += $2} END {print s + 0}'; }
printf "module\tlevel\tir_stock\tir_pass\ttext_stock\ttext_pass\trewrites\tundone\n" > "$OUT/sizes.tsv"
for level in O2 Oz; do
  for bc in "$OUT/$level"/*; do
    name=$(basename "$bc" | cut -c1-12)
    # The baseline loads the plugin too, with this pass off, so that other
    # passes of the plugin (neuropt-size at -Oz) do not count.
    "$LLVM/clang" -"$level" -S -emit-llvm -fpass-plugin="$PLUGIN" -mllvm -neuropt-superopt-mode=off "$bc" -o "$TMP/s.ll" 2>/dev/null
    "$LLVM/clang" -"$level" -c -fpass-plugin="$PLUGIN" -mllvm -neuropt-superopt-mode=off "$bc" -o "$TMP/s.o" 2>/dev/null
    "$LLVM/clang" -"$level" -S -emit-llvm -fpass-plugin="$PLUGIN" -mllvm -neuropt-cache="$CACHE" \
      -mllvm -neuropt-superopt-stats "$bc" -o "$TMP/p.ll" 2>"$TMP/stats"
    "$LLVM/clang" -"$level" -c -fpass-plugin="$PLUGIN" -mllvm -neuropt-cache="$CACHE" "$bc" -o "$TMP/p.o" 2>/dev/null
    rw=$(sed -n 's/.* \([0-9]*\) rewrites,.*/\1/p' "$TMP/stats" | head -1)
    undone=$(sed -n 's/.* \([0-9]*\) undone (.*/\1/p' "$TMP/stats" | head -1)
    printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n" "$name" "$level" "$(count_ir "$TMP/s.ll")" "$(count_ir "$TMP/p.ll")" \
      "$(text_bytes "$TMP/s.o")" "$(text_bytes "$TMP/p.o")" "${rw:-0}" "${undone:-0}" >> "$OUT/sizes.tsv"
  done
done

# compile_time NAME TSV FILE...: CPU time of -O2 compiles of FILEs, REPS
# runs each, interleaved: stock clang, the plugin with the pass off, and the
# plugin in cache mode with the filled cache.
compile_time() {
  local name=$1 tsv=$2
  shift 2
  echo "== compile time of $name at -O2 ($REPS repetitions, interleaved)"
  python3 - "$LLVM/clang" "$PLUGIN" "$CACHE" "$REPS" "$tsv" "$CALLGRIND" "$@" <<'PY'
# CPU time (user + sys) of each compile: on a shared machine it varies far
# less than wall time.
import resource, statistics, subprocess, sys
clang, plugin, cache, reps, out = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
callgrind = sys.argv[6] == "1"
files = sys.argv[7:]
base = [clang, "-std=c11", "-O2", "-ffp-contract=off", "-Wno-override-module", "-c", "-o", "/dev/null"]
configs = {
    "stock": [],
    "plugin-off": ["-fpass-plugin=" + plugin, "-mllvm", "-neuropt-superopt-mode=off"],
    "plugin-cache": ["-fpass-plugin=" + plugin, "-mllvm", "-neuropt-cache=" + cache],
}
def cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime
times = {c: {} for c in configs}
for r in range(reps):
    for f in files:
        for c, extra in configs.items():
            # -std=c11 is for C sources only.
            args = [a for a in base if f.endswith(".c") or a != "-std=c11"]
            t0 = cpu()
            subprocess.run(args + extra + [f], check=True)
            times[c].setdefault(f, []).append(cpu() - t0)
tot = {c: sum(statistics.median(v) for v in times[c].values()) for c in configs}
with open(out, "w") as o:
    o.write("file\t" + "\t".join(configs) + "\n")
    for f in files:
        o.write(f + "\t" + "\t".join("%.4f" % statistics.median(times[c][f]) for c in configs) + "\n")
    o.write("total\t" + "\t".join("%.3f" % tot[c] for c in configs) + "\n")
print("CPU seconds, sum over %d files of the median of %d runs:" % (len(files), reps))
for c in configs:
    print("  %-13s %7.3f s  (%+.2f%% vs stock, %+.2f%% vs plugin-off)"
          % (c, tot[c], 100 * (tot[c] / tot["stock"] - 1), 100 * (tot[c] / tot["plugin-off"] - 1)))
if not callgrind:
    sys.exit(0)
import concurrent.futures, os, re
def count(job):
    f, c = job
    args = [a for a in base if f.endswith(".c") or a != "-std=c11"]
    r = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
                       + args + configs[c] + [f], capture_output=True, text=True, check=True)
    return job, int(re.search(r"Collected : (\d+)", r.stderr).group(1))
jobs = [(f, c) for f in files for c in configs]
with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 2) as ex:
    ir = dict(ex.map(count, jobs))
with open(out.replace(".tsv", "-instructions.tsv"), "w") as o:
    o.write("file\t" + "\t".join(configs) + "\n")
    for f in files:
        o.write(f + "\t" + "\t".join(str(ir[(f, c)]) for c in configs) + "\n")
    o.write("total\t" + "\t".join(str(sum(ir[(f, c)] for f in files)) for c in configs) + "\n")
itot = {c: sum(ir[(f, c)] for f in files) for c in configs}
print("Instructions executed (callgrind), sum over %d files:" % len(files))
for c in configs:
    print("  %-13s %13d  (%+.2f%% vs stock, %+.2f%% vs plugin-off)"
          % (c, itot[c], 100 * (itot[c] / itot["stock"] - 1), 100 * (itot[c] / itot["plugin-off"] - 1)))
PY
}
compile_time "examples/*.c" "$OUT/compile-time.tsv" examples/*.c
compile_time "the validation modules (-O2 copies)" "$OUT/compile-time-val.tsv" "$OUT"/O2/*

python3 - "$OUT/sizes.tsv" <<'PY' | tee "$OUT/summary.txt"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
for level in ("O2", "Oz"):
    r = [x for x in rows if x["level"] == level]
    s = {k: sum(int(x[k]) for x in r) for k in ("ir_stock", "ir_pass", "text_stock", "text_pass", "rewrites", "undone")}
    changed = sum(1 for x in r if x["text_stock"] != x["text_pass"])
    larger = sum(1 for x in r if int(x["text_pass"]) > int(x["text_stock"]))
    print("-%s: %d modules, %d rewrites (%d undone: code grew); IR instructions %d -> %d (%+d); .text %d -> %d bytes (%+d, %+.3f%%); %d modules with a different .text, %d larger"
          % (level, len(r), s["rewrites"], s["undone"], s["ir_stock"], s["ir_pass"], s["ir_pass"] - s["ir_stock"],
             s["text_stock"], s["text_pass"], s["text_pass"] - s["text_stock"],
             100.0 * (s["text_pass"] - s["text_stock"]) / max(1, s["text_stock"]), changed, larger))
PY
echo "== results in $OUT"
