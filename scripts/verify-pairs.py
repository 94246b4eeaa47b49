#!/usr/bin/env python3
"""Checks, function by function, what neuropt-size's verification checks,
with a solver budget of each function's own rather than the module's.

For each module (bitcode or IR from `clang -Oz -Xclang -disable-llvm-passes`)
it builds -Oz's result and a coreset sequence's result with opt (plus clang's
tail pipeline, which the pass applies to every candidate), inlines the IR
outliner's helpers into their callers as the pass does, and runs
neuropt-verify on every function whose body differs, against -Oz's version.
One JSON line per function goes to OUT/<module>.jsonl; the summary counts
verdicts and reasons.

    python3 scripts/verify-pairs.py --verifier build/bin/neuropt-verify \\
        --out /tmp/pairs module.bc...

Unlike the pass, nothing here stops at the module's budget, so it shows
what the encoder and solver can do with each function (bench/results/
verify.md, session 44). opt's -Oz is not byte for byte clang's, and a
function the pass would leave unchecked (another signature) is checked.
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "lib"))
from size_pipelines import TAIL, read_coreset  # noqa: E402


def sequence(path, index):
    seqs = read_coreset(path)[0]
    if index >= len(seqs):
        sys.exit("verify-pairs: %s has %d sequences" % (path, len(seqs)))
    return seqs[index]


def bodies(path):
    """Function name -> its text, attribute-group numbers left out."""
    fs, name, body = {}, None, []
    for line in open(path):
        if line.startswith("define "):
            name = re.search(r"@([-\w.$]+|\"[^\"]+\")\(", line).group(1)
            body = [re.sub(r"#\d+", "", line)]
        elif name:
            body.append(line)
            if line.startswith("}"):
                fs[name] = "".join(body)
                name = None
    return fs


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode:
        raise RuntimeError("%s: %s" % (" ".join(cmd[:3]), r.stderr.strip()[-300:]))


def module(args, seq, src, out):
    name = re.sub(r"\.(bc|ll)$", "", os.path.basename(src))
    work = os.path.join(out, name)
    os.makedirs(work, exist_ok=True)
    oz, raw, cand = (os.path.join(work, f) for f in ("oz.ll", "cand.raw.ll", "cand.ll"))
    run([args.opt, "-S", "-passes=default<Oz>", src, "-o", oz])
    run([args.opt, "-S", "-passes=%s,%s" % (seq, TAIL), src, "-o", raw])
    # The pass checks a copy with the outliner's helpers inlined. A helper's
    # attribute group may hold noinline (from the code it came from): the
    # group is dropped, which changes nothing once it is inlined.
    text = re.sub(r"^(define internal [^\n]*@outlined_ir_func_[^\n]*?)(?: #\d+)? \{$",
                  r"\1 alwaysinline {", open(raw).read(), flags=re.M)
    open(cand, "w").write(text)
    run([args.opt, "-S", "-passes=always-inline", cand, "-o", cand])
    a, b = bodies(oz), bodies(cand)
    rows = []
    for f in sorted(b):
        if f not in a or a[f] == b[f]:
            continue
        r = subprocess.run([args.verifier, "--json", "--function=" + f,
                            "--rlimit=%d" % args.rlimit] + args.verify_arg + [oz, cand],
                           capture_output=True, text=True)
        try:
            j = json.loads(r.stdout)
        except ValueError:
            j = {"verdict": "error", "reason": (r.stderr.strip() or "no output")[-200:]}
        rows.append({"module": name, "fn": f, "verdict": j.get("verdict"),
                     "reason": j.get("reason", ""), "units": j.get("resources", 0)})
    with open(os.path.join(out, name + ".jsonl"), "w") as o:
        for row in rows:
            o.write(json.dumps(row) + "\n")
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("modules", nargs="+")
    ap.add_argument("--verifier", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--opt", default="/usr/lib/llvm-22/bin/opt")
    ap.add_argument("--coreset", default=os.path.join(HERE, "..", "models", "size", "size.coreset.txt"))
    ap.add_argument("--sequence", type=int, default=0, help="which coreset sequence (default 0)")
    ap.add_argument("--rlimit", type=int, default=25000,
                    help="solver units per function (default 25,000, the pass's)")
    ap.add_argument("--verify-arg", action="append", default=[],
                    help="one more neuropt-verify option, e.g. "
                         "--verify-arg=--assume-defined-inputs (repeatable)")
    args = ap.parse_args()
    seq = sequence(args.coreset, args.sequence)
    os.makedirs(args.out, exist_ok=True)
    counts, units, failed = collections.Counter(), 0, 0
    total = 0
    for src in args.modules:
        try:
            rows = module(args, seq, src, args.out)
        except RuntimeError as e:
            print("verify-pairs: %s: %s" % (src, e), file=sys.stderr)
            failed += 1
            continue
        for row in rows:
            total += 1
            units += row["units"]
            reason = re.sub(r"@[-\w.$]+", "@X", row["reason"])
            counts[row["verdict"] + (": " + reason if reason else "")] += 1
    print("%d modules (%d failed), %d functions checked, %d units" %
          (len(args.modules), failed, total, units))
    for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        print("%6d  %s" % (v, k))
    return 1 if failed == len(args.modules) else 0


if __name__ == "__main__":
    sys.exit(main())
