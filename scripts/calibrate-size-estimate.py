#!/usr/bin/env python3
"""Calibrates a prefilter for neuropt-size from an IR size estimate.

Reads the TSV lines of `neuropt-eval estimate` (module, sequence, estimated
-Oz, estimated sequence, measured -Oz, measured sequence objective) and, for
each margin m, reports what the pass would do if it generated code only for
candidates whose estimate is at most m percent above -Oz's estimate, i.e.
est_seq < est_oz * (1 + m/100). (The pass has no such prefilter: this
measurement is why; bench/results/size.md.)
  - the share of candidates whose code generation is skipped,
  - the share of winning candidates (measured smaller than -Oz) kept,
  - the share of their summed gain kept.
Usage: calibrate-size-estimate.py FILE.tsv...
"""
import math
import sys

rows = []
for path in sys.argv[1:]:
    with open(path) as f:
        for line in f:
            mod, seq, eoz, eseq, roz, rseq = line.split("\t")
            rows.append((mod, int(seq), int(eoz), int(eseq), int(roz), int(rseq)))
if not rows:
    sys.exit("no rows")

wins = [r for r in rows if r[5] < r[4]]
total_gain = sum(math.log(r[4] / r[5]) for r in wins)
mods = len({r[0] for r in rows})
print(f"{len(rows)} candidates on {mods} modules; {len(wins)} smaller than -Oz")
# How often the estimate orders a candidate and -Oz as the measurement does.
agree = sum(1 for r in rows if r[4] != r[5] and (r[3] < r[2]) == (r[5] < r[4]))
differ = sum(1 for r in rows if r[4] != r[5])
print(f"sign agreement (estimate vs measured, where they differ): "
      f"{agree}/{differ} = {100 * agree / max(1, differ):.1f}%")
print("| margin | candidates skipped | wins kept | gain kept |")
print("|---:|---:|---:|---:|")
for m in [0, 0.25, 0.5, 1, 2, 3, 5, 10]:
    tried = [r for r in rows if r[3] < r[2] * (1 + m / 100)]
    kept = [r for r in tried if r[5] < r[4]]
    gain = sum(math.log(r[4] / r[5]) for r in kept)
    print(f"| {m}% | {100 * (1 - len(tried) / len(rows)):.1f}% | "
          f"{100 * len(kept) / max(1, len(wins)):.1f}% | "
          f"{100 * gain / max(1e-12, total_gain):.1f}% |")
