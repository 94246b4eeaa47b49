#!/usr/bin/env python3
"""Prune costly passes from the neuropt-size coreset where they earn nothing.

The coreset's sequences come from random search, and they carry passes that
cost compile time without shrinking code: the first sequence ran the IR
outliner four times, and the outliner with its similarity analysis was 60%
of that sequence's optimization time. Every candidate the pass tries runs
its sequence in the compiler, so each such pass is paid on every
translation unit.

For each sequence in coreset order, and each of its costly passes (COSTLY
below) from the last to the first, this deletes the pass and measures the
result on every sample module with `neuropt-eval measure` (real x86-64 code
generation, clang's tail pipeline appended as the pass does). The deletion
is kept only if neither

  - the sequence's own mean gain against -Oz (a loss counting as zero, as
    the pass keeps -Oz then), nor
  - the coreset oracle's mean gain (the best sequence per module)

goes down. Sizes are exact, so the result is deterministic. Measurements are
cached in --log (JSON lines, pipeline -> sizes), so an interrupted run
resumes where it stopped. Only the training split is read; modules of the
sample that the corpus lacks are left out.

    python3 scripts/size-prune-coreset.py --corpus corpus/oz \\
        --coreset CORESET --modules-file models/size/refine-modules.txt \\
        --log LOG -o OUT

Standard library only.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from size_pipelines import (TAIL, Measurer, mean_gain, read_coreset,  # noqa: E402
                            split_pipeline, train_modules)

# Passes worth deleting for time: the costliest in a -time-passes profile of
# the coreset on training modules (the IR outliner with its similarity
# analysis, inliner pipelines, the loop vectorizer, GVN variants, LICM, loop
# distribution). A top-level element is costly if it names one of them.
# Cheaper passes (instcombine, simplifycfg, SROA) are left alone: deleting
# them saves little and they are where most of the gain is made.
COSTLY = ("iroutliner", "cgscc(", "partial-inliner", "loop-vectorize", "newgvn", "gvn",
          "licm", "loop-distribute")
KEEP = "always-inline"


def costly(element):
    return element != KEEP and any(c in element for c in COSTLY)


class CachedMeasurer:
    """Measurer whose results are kept in a JSON-lines log, keyed by pipeline;
    logged results of another set of modules are measured again."""

    def __init__(self, measure, log):
        self.measure, self.cache = measure, {}
        if os.path.exists(log):
            files = set(measure.files)
            for line in open(log):
                j = json.loads(line)
                if set(j["sizes"]) == files:
                    self.cache[j["pipeline"]] = j["sizes"]
        self.log = open(log, "a")

    def __call__(self, pipeline):
        if pipeline not in self.cache:
            r = self.measure(pipeline)
            if r is None:
                sys.exit("size-prune-coreset: measuring failed: %s" % pipeline[:200])
            self.cache[pipeline] = r
            print(json.dumps({"pipeline": pipeline, "sizes": r}), file=self.log, flush=True)
        return self.cache[pipeline]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default="corpus/oz")
    ap.add_argument("--bin", default="build/bin/neuropt-eval")
    ap.add_argument("--coreset", required=True)
    ap.add_argument("--modules-file", required=True, help="module hashes, one per line (training split)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--log", required=True)
    ap.add_argument("-o", "--out", required=True)
    a = ap.parse_args()

    try:
        seqs, header = read_coreset(a.coreset)
        hashes = [l.strip() for l in open(a.modules_file) if l.strip()]
    except OSError as e:
        sys.exit("size-prune-coreset: %s" % e)
    files = train_modules(a.corpus, hashes, skip_missing=True)
    measure = CachedMeasurer(Measurer(a.bin, files, a.jobs), a.log)
    oz = measure("default<Oz>")

    def sizes(p):
        return measure(p + "," + TAIL)

    cur = [split_pipeline(s) for s in seqs]
    res = [sizes(",".join(p)) for p in cur]

    def oracle(rs):
        return mean_gain({f: min(r[f] for r in rs) for f in oz}, oz)

    start_oracle = oracle(res)
    summary = []
    for i in range(len(cur)):
        before, deleted = mean_gain(res[i], oz), 0
        for j in reversed(range(len(cur[i]))):
            if not costly(cur[i][j]):
                continue
            cand = cur[i][:j] + cur[i][j + 1:]
            r = sizes(",".join(cand))
            own, orc = mean_gain(r, oz), oracle(res[:i] + [r] + res[i + 1:])
            ok = own >= mean_gain(res[i], oz) and orc >= oracle(res)
            print("sequence %d: without %s: mean %.3f%%, oracle %.3f%%%s"
                  % (i, cur[i][j][:60], own, orc, "  deleted" if ok else ""), flush=True)
            if ok:
                cur[i], res[i], deleted = cand, r, deleted + 1
        summary.append("#   %2d: %d passes deleted, mean gain %.3f%% -> %.3f%%"
                       % (i, deleted, before, mean_gain(res[i], oz)))
        print(summary[-1][2:], flush=True)

    with open(a.out, "w") as out:
        out.write("# pruned by scripts/size-prune-coreset.py on %d training modules: costly passes "
                  "deleted where neither the sequence's mean gain nor the coreset oracle's "
                  "(%.3f%% -> %.3f%%) goes down\n" % (len(files), start_oracle, oracle(res)))
        for line in summary:
            out.write(line + "\n")
        for h in header:
            out.write(h + "\n")
        for p in cur:
            out.write(",".join(p) + "\n")
    print("coreset oracle: mean gain %.3f%% -> %.3f%% on %d training modules"
          % (start_oracle, oracle(res), len(files)))


if __name__ == "__main__":
    main()
