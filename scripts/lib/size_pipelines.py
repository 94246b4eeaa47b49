"""Pipeline helpers shared by the neuropt-size scripts (standard library only).

size-refine-first.py, size-prune-coreset.py and size-outliner-bound.py read the coreset, take
pipelines apart at their top-level commas, measure with clang's tail
appended and summarise gains against -Oz the way the pass keeps them.
"""
import json
import math
import os
import sqlite3
import subprocess
import sys

# What clang runs after the optimizer-last extension point at -Oz; the pass
# measures every candidate with it (passes/NeuroptSize.cpp, TailPipeline).
TAIL = "globaldce,constmerge,cg-profile,rel-lookup-table-converter"


def split_pipeline(p):
    """Top-level elements of a new-PM pipeline string."""
    out, depth, cur = [], 0, ""
    for ch in p:
        if ch in "(<":
            depth += 1
        elif ch in ")>":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    if cur:
        out.append(cur)
    return out


def read_coreset(path):
    """(pipelines, header comment lines) of a coreset file; OSError if unreadable."""
    lines = [l.rstrip("\n") for l in open(path)]
    return [l for l in lines if l and not l.startswith("#")], [l for l in lines if l.startswith("#")]


def gains(res, oz):
    """Per file, the fraction saved against -Oz, never below 0 (-Oz is kept then)."""
    return [max(0.0, (oz[f] - res[f]) / oz[f]) for f in oz if oz[f] > 0]


def mean_gain(res, oz):
    g = gains(res, oz)
    return 100.0 * sum(g) / len(g)


def geomean_gain(res, oz):
    g = gains(res, oz)
    return 100.0 * (1 - math.exp(sum(math.log(1 - x) for x in g) / len(g)))


def train_modules(corpus, hashes, skip_missing=False):
    """Bitcode paths of the given training-split modules. A module the corpus
    does not hold ends the script, or with skip_missing is left out (a
    corpus rebuilt from newer package versions can lack a few)."""
    prog = os.path.splitext(os.path.basename(sys.argv[0]))[0]
    db = sqlite3.connect(os.path.join(corpus, "corpus.db"))
    path = {}
    for h, p, split in db.execute(
            "SELECT m.hash, m.path, p.split FROM modules m JOIN packages p ON p.name = m.package"):
        path[h] = (p, split)
    files = []
    for h in hashes:
        if h not in path:
            if skip_missing:
                continue
            sys.exit("%s: module %s is not in the corpus" % (prog, h))
        if path[h][1] != "train":
            sys.exit("%s: module %s is not in the training split" % (prog, h))
        files.append(os.path.join(corpus, path[h][0]))
    return files


class Measurer:
    """Objective bytes of every file after a pipeline, with `neuropt-eval
    measure` (real x86-64 code generation) over jobs processes."""

    def __init__(self, binary, files, jobs):
        self.binary, self.files, self.jobs = binary, files, jobs

    def __call__(self, pipeline):
        """{file: objective}; None if any run fails."""
        chunks = [self.files[i::self.jobs] for i in range(self.jobs)]
        procs = [subprocess.Popen([self.binary, "measure", "--json", "--pipeline", pipeline] + c,
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
                 for c in chunks if c]
        res = {}
        for p in procs:
            out, _ = p.communicate()
            if p.returncode != 0:
                return None
            for line in out.splitlines():
                j = json.loads(line)
                res[j["file"]] = j["objective"]
        return res if len(res) == len(self.files) else None
