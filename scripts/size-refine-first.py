#!/usr/bin/env python3
"""Refine the first sequence of the neuropt-size coreset for many modules at once.

At the pass's default k = 1 every translation unit gets the coreset's first
sequence, so that one sequence decides most of the gain. The coreset picks
it from sequences searched for single modules; this script hill-climbs it
for the mean gain over a sample of training modules instead: each step
deletes, inserts, replaces or swaps one pass (never the always-inline step),
measures the result on every sample module with `neuropt-eval measure`
(real x86-64 code generation, clang's tail pipeline appended as the pass
does), and keeps it if the mean reduction of the size objective against
-Oz, a loss counting as zero (the pass keeps -Oz then), goes up.

    python3 scripts/size-refine-first.py --corpus corpus/oz \
        --coreset CORESET --modules-file models/size/refine-modules.txt \
        --iterations 200 --log LOG -o OUT

With --extension START the script refines the pass's second, cheap
candidate instead: a pipeline run on -Oz's own result (the pass runs it
while -Oz's result is measured). Candidates are measured as
`default<Oz>,EXT,tail`, and a step is kept if the mean over the sample of
the better of the first sequence and the extension goes up; OUT is the
extension, one line.

Deterministic (fixed seed; sizes are exact) and resumable: an existing LOG
is replayed and the search goes on from its last step. OUT is CORESET with
its first sequence replaced by the refined one. --holdout N reports the
first and the refined sequence on the N training modules that follow the
sample in hash order. Only the training split is read. Standard library
only.

--per-bin N samples by size instead: N training modules from each bin of
the -Oz objective (under 1 KiB, 1-4, 4-16, 16-64 KiB and larger; every
other module in hash order, at most --max-seconds of archived -Oz time),
scores the mean over the bins of each bin's mean gain, so the few large
modules weigh as much as the many tiny ones, and reports on the bins'
other modules as the holdout. Processes get modules balanced by their
archived -Oz time, and --timeout rejects a candidate that takes longer
over the sample (some edits make one module take minutes).
"""
import argparse
import json
import os
import random
import sqlite3
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import size_pipelines  # noqa: E402
from size_pipelines import (TAIL, Measurer, geomean_gain, mean_gain,  # noqa: E402,F401
                            split_pipeline, train_modules)

# Passes -Oz does not run that may shrink code (a subset of
# getExtraSteps() in lib/Search/PassSearch.cpp), beside the coreset's own.
EXTRAS = ("mergefunc iroutliner function(gvn-sink) function(gvn-hoist) partial-inliner "
          "function(newgvn) globalopt globaldce constmerge deadargelim ipsccp "
          "function(instcombine<no-verify-fixpoint>) "
          "function(simplifycfg<hoist-common-insts;sink-common-insts>) cgscc(inline)").split()
KEEP = "always-inline"


def read_coreset(path):
    try:
        return size_pipelines.read_coreset(path)
    except OSError as e:
        sys.exit("size-refine-first: cannot read the coreset: %s" % e)


# Size bins (bytes of the -Oz objective) of --per-bin: under 1 KiB, 1-4,
# 4-16, 16-64 KiB and larger.
BINS = (1024, 4096, 16384, 65536)


def oz_rows(corpus):
    """{hash: (-Oz objective, archived -Oz seconds)} of the training modules
    with an -Oz sweep."""
    db = sqlite3.connect(os.path.join(corpus, "corpus.db"))
    return {h: (o, t) for h, o, t in db.execute(
        """SELECT m.hash, e.text + e.rodata + e.data, e.seconds FROM modules m
           JOIN packages p ON m.package = p.name
           JOIN size_eval e ON e.module = m.hash AND e.pipeline = 'default<Oz>'
           WHERE p.split = 'train' AND e.text + e.rodata + e.data > 0""")}


def within(rows, max_seconds):
    """The rows of modules whose -Oz sweep took at most max_seconds."""
    return {h: r for h, r in rows.items() if r[1] <= max_seconds}


def sample(rows, n, max_seconds):
    """The first n training modules in hash order whose -Oz sweep took at
    most max_seconds."""
    return sorted(within(rows, max_seconds))[:n]


def size_bin(objective):
    return sum(objective >= b for b in BINS)


def stratified(rows, per_bin):
    """Sample and holdout of --per-bin: in each size bin, the modules in hash
    order alternately to the sample and the holdout, at most per_bin each."""
    smp, hold = [], []
    for b in range(len(BINS) + 1):
        hs = sorted(h for h, (o, _) in rows.items() if size_bin(o) == b)
        smp += hs[0::2][:per_bin]
        hold += hs[1::2][:per_bin]
    return smp, hold


def binned_mean_gain(res, oz, bin_of):
    """Mean over the size bins of each bin's mean gain: every bin weighs the
    same, however many modules it has."""
    per = {}
    for f in oz:
        per.setdefault(bin_of[f], []).append(f)
    return sum(mean_gain({f: res[f] for f in fs}, {f: oz[f] for f in fs})
               for fs in per.values()) / len(per)


def mutate(rng, cur, vocab):
    cand = list(cur)
    op = rng.choice(["del", "ins", "rep", "swap", "del"])
    i = rng.randrange(len(cand))
    if op == "del" and cand[i] != KEEP:
        del cand[i]
    elif op == "ins":
        cand.insert(rng.randrange(len(cand) + 1), rng.choice(vocab))
    elif op == "rep" and cand[i] != KEEP:
        cand[i] = rng.choice(vocab)
    elif op == "swap":
        j = rng.randrange(len(cand))
        cand[i], cand[j] = cand[j], cand[i]
    return op, cand


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default="corpus/oz")
    ap.add_argument("--bin", default="build/bin/neuropt-eval")
    ap.add_argument("--coreset", required=True)
    ap.add_argument("--modules-file", help="module hashes, one per line (training split)")
    ap.add_argument("--modules", type=int, default=400,
                    help="without --modules-file: the first N training modules in hash order "
                         "whose -Oz sweep took at most --max-seconds")
    ap.add_argument("--max-seconds", type=float, default=0.4)
    ap.add_argument("--iterations", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--holdout", type=int, default=0)
    ap.add_argument("--per-bin", type=int, metavar="N",
                    help="sample N training modules of each size bin of the -Oz objective "
                         "(<1, 1-4, 4-16, 16-64, >=64 KiB; hash order, every other one), score "
                         "the mean over the bins of each bin's mean gain, and report on the "
                         "other modules of each bin as the holdout")
    ap.add_argument("--timeout", type=float,
                    help="seconds a pipeline may take over the sample; a slower one is rejected")
    ap.add_argument("--extension", metavar="START",
                    help="refine the extension run on -Oz's result, starting from START, "
                         "for the better of it and the first sequence")
    ap.add_argument("--log", required=True)
    ap.add_argument("-o", "--out", required=True)
    a = ap.parse_args()

    seqs, header = read_coreset(a.coreset)
    rows = oz_rows(a.corpus)  # every module's cost and bin
    held = None
    if a.per_bin:
        hashes, held = stratified(within(rows, a.max_seconds), a.per_bin)
    elif a.modules_file:
        hashes = [l.strip() for l in open(a.modules_file) if l.strip()]
    else:
        hashes = sample(rows, a.modules, a.max_seconds)
    path_of = dict(train_modules(a.corpus, hashes, skip_missing=True, pairs=True))
    files = [path_of[h] for h in hashes if h in path_of]
    if len(files) < len(hashes):
        print("size-refine-first: %d of the %d sample modules are not in this corpus; "
              "measuring the other %d" % (len(hashes) - len(files), len(hashes), len(files)))
    costs = {path_of[h]: rows[h][1] for h in path_of if h in rows}
    bin_of = {path_of[h]: size_bin(rows[h][0]) for h in path_of if h in rows}
    measure = Measurer(a.bin, files, a.jobs, costs, a.timeout)
    if a.per_bin:
        gain = lambda r, oz: binned_mean_gain(r, oz, bin_of)  # noqa: E731
        print("size-refine-first: %d sample modules by size bin: %s" % (len(files), [
            sum(1 for f in files if bin_of[f] == b) for b in range(len(BINS) + 1)]))
    else:
        gain = mean_gain
    vocab = sorted({s for p in seqs for s in split_pipeline(p)} | set(EXTRAS))
    oz = measure("default<Oz>")
    if oz is None:
        sys.exit("size-refine-first: measuring -Oz failed")

    # Replay the log: the same draws from the same seed, the logged verdicts.
    logged = {}
    if os.path.exists(a.log):
        for line in open(a.log):
            j = json.loads(line)
            if "it" in j:
                logged[j["it"]] = j
    if a.extension:
        first = measure(seqs[0] + "," + TAIL)
        if first is None:
            sys.exit("size-refine-first: measuring the first sequence failed")

        def score(p):
            r = measure("default<Oz>," + p + "," + TAIL)
            return gain({f: min(r[f], first[f]) for f in oz}, oz) if r else -1.0
        cur = split_pipeline(a.extension)
    else:
        def score(p):
            r = measure(p + "," + TAIL)
            return gain(r, oz) if r else -1.0
        cur = split_pipeline(seqs[0])
    start = best = score(",".join(cur))
    rng = random.Random(a.seed)
    with open(a.log, "a") as log:
        if not logged:
            print(json.dumps({"start": start, "n": len(files), "seq": ",".join(cur)}), file=log, flush=True)
        for it in range(a.iterations):
            op, cand = mutate(rng, cur, vocab)
            if cand == cur or not cand:
                continue
            if it in logged:
                j = logged[it]
                if j["acc"]:
                    best, cur = j["score"], cand
                continue
            s = score(",".join(cand))
            acc = s > best
            print(json.dumps({"it": it, "op": op, "score": s, "best": max(s, best), "acc": acc,
                              "len": len(cand), "seq": ",".join(cand) if acc else None}),
                  file=log, flush=True)
            print("step %d (%s): %.3f%%%s" % (it, op, s, "  accepted" if acc else ""), flush=True)
            if acc:
                best, cur = s, cand
    refined = ",".join(cur)
    what = "extension (better of it and the first sequence)" if a.extension else "first sequence"
    print("%s: mean gain %.3f%% -> %.3f%% on %d training modules" % (what, start, best, len(files)))
    if a.extension:
        with open(a.out, "w") as out:
            out.write("# extension of -Oz's result (scripts/size-refine-first.py --extension, seed %d, "
                      "%d steps): mean gain of the better of it and the first sequence "
                      "%.3f%% -> %.3f%% on %d training modules\n"
                      % (a.seed, a.iterations, start, best, len(files)))
            out.write(refined + "\n")
        if a.holdout or held:
            report_holdout(a, hashes, held, rows, [("first", seqs[0] + "," + TAIL),
                                       ("extension", "default<Oz>," + refined + "," + TAIL)],
                           both=True)
        return
    with open(a.out, "w") as out:
        out.write("# refined first sequence (scripts/size-refine-first.py, seed %d, %d steps): "
                  "mean gain %.3f%% -> %.3f%% on %d training modules\n"
                  % (a.seed, a.iterations, start, best, len(files)))
        for h in header:
            out.write(h + "\n")
        for p in [refined] + seqs[1:]:
            out.write(p + "\n")

    if a.holdout or held:
        report_holdout(a, hashes, held, rows, [("first", seqs[0] + "," + TAIL), ("refined", refined + "," + TAIL)])


def report_holdout(a, hashes, held, rows, pipelines, both=False):
    """Mean and geomean gain of each pipeline on the holdout: --per-bin's
    other modules, else the --holdout training modules after the sample; with
    both, also of the better of the two. With --per-bin, also per size bin."""
    if held is None:
        last = max(hashes)
        held = [h for h in sample(rows, len(rows), a.max_seconds) if h > last][:a.holdout]
    files = train_modules(a.corpus, held)
    bin_of = {f: size_bin(rows[h][0]) for h, f in zip(held, files) if h in rows}
    hold = Measurer(a.bin, files, a.jobs, {f: rows[h][1] for h, f in zip(held, files) if h in rows})
    hoz = hold("default<Oz>")
    rs = []
    for name, p in pipelines:
        r = hold(p)
        rs.append(r)
        print("holdout (%d training modules): %s mean %.3f%%, geomean %.3f%%, bytes saved %d"
              % (len(files), name, mean_gain(r, hoz), geomean_gain(r, hoz),
                 sum(max(0, hoz[f] - r[f]) for f in hoz)))
        if a.per_bin:
            print("  by size bin (mean): " + ", ".join(
                "%.3f%% (%d)" % (mean_gain({f: r[f] for f in fs}, {f: hoz[f] for f in fs}), len(fs))
                for fs in ([f for f in files if bin_of[f] == b] for b in range(len(BINS) + 1)) if fs))
    if both:
        r = {f: min(x[f] for x in rs) for f in hoz}
        print("holdout: the better of the two mean %.3f%%, geomean %.3f%%"
              % (mean_gain(r, hoz), geomean_gain(r, hoz)))


if __name__ == "__main__":
    main()
