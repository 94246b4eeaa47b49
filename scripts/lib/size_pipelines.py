"""Pipeline helpers shared by the neuropt-size scripts (standard library only).

size-refine-first.py, size-prune-coreset.py and size-outliner-bound.py read the coreset, take
pipelines apart at their top-level commas, measure with clang's tail
appended and summarise gains against -Oz the way the pass keeps them.
"""
import json
import math
import os
import signal
import sqlite3
import subprocess
import sys
import time

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


def object_sections(obj):
    """The objective's sections of an object file, in bytes: .text, .rodata
    and .data, each with its subsections (.rodata.str1.1, .data.rel.ro)."""
    out = subprocess.run(['size', '-A', obj], capture_output=True, text=True,
                         check=True).stdout
    total = {'.text': 0, '.rodata': 0, '.data': 0}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[1].isdigit():
            for s in total:
                if parts[0] == s or parts[0].startswith(s + '.'):
                    total[s] += int(parts[1])
    return total


def gains(res, oz):
    """Per file, the fraction saved against -Oz, never below 0 (-Oz is kept then)."""
    return [max(0.0, (oz[f] - res[f]) / oz[f]) for f in oz if oz[f] > 0]


def mean_gain(res, oz):
    g = gains(res, oz)
    return 100.0 * sum(g) / len(g)


def geomean_gain(res, oz):
    g = gains(res, oz)
    return 100.0 * (1 - math.exp(sum(math.log(1 - x) for x in g) / len(g)))


def train_modules(corpus, hashes, skip_missing=False, pairs=False):
    """Bitcode paths of the given training-split modules (with pairs, (hash,
    path) pairs). A module the corpus does not hold ends the script, or with
    skip_missing is left out (a corpus rebuilt from newer package versions
    can lack a few)."""
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
        files.append((h, os.path.join(corpus, path[h][0])) if pairs
                     else os.path.join(corpus, path[h][0]))
    return files


class Measurer:
    """Objective bytes of every file after a pipeline, with `neuropt-eval
    measure` (real x86-64 code generation) over jobs processes.

    With costs ({file: seconds}, e.g. each module's archived -Oz time) the
    files are dealt to the processes longest first, each to the process with
    the least work so far, so one process does not hold all the large
    modules. With timeout (seconds), a pipeline whose processes run longer
    fails like one that crashes: a climb rejects it."""

    def __init__(self, binary, files, jobs, costs=None, timeout=None):
        self.binary, self.files, self.jobs, self.timeout = binary, files, jobs, timeout
        if costs:
            self.chunks = [[] for _ in range(jobs)]
            load = [0.0] * jobs
            for f in sorted(files, key=lambda f: (-costs.get(f, 0.0), f)):
                i = load.index(min(load))
                self.chunks[i].append(f)
                load[i] += costs.get(f, 0.0)
        else:
            self.chunks = [files[i::jobs] for i in range(jobs)]

    def __call__(self, pipeline):
        """{file: objective}; None if any run fails or runs out of time."""
        procs = [subprocess.Popen([self.binary, "measure", "--json", "--pipeline", pipeline] + c,
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                  start_new_session=True)
                 for c in self.chunks if c]
        res, failed = {}, False
        deadline = time.monotonic() + self.timeout if self.timeout else None
        for p in procs:
            try:
                left = max(0.1, deadline - time.monotonic()) if deadline else None
                out, _ = p.communicate(timeout=left)
            except subprocess.TimeoutExpired:
                for q in procs:  # each with whatever it started
                    try:
                        os.killpg(q.pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                p.communicate()
                failed = True
                continue
            if p.returncode != 0:
                failed = True
                continue
            for line in out.splitlines():
                j = json.loads(line)
                res[j["file"]] = j["objective"]
        return None if failed or len(res) != len(self.files) else res
