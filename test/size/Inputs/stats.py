"""Prints neuropt-size's statistics from a clang statistics file.

Usage: stats.py STATS.json [REC.yaml [STOCK.o]]

STATS.json is what `clang -Xclang -stats-file=F` (or -save-stats) writes.
Prints one "name value" line per neuropt-size statistic, sorted, and
"total" with their count. With REC.yaml, the optimization record of the
same compilation, it also checks that the statistics say what its remarks
say: one Applied remark per applied unit, one KeptStock per unit that kept
-Oz, and bytes that add up to the Applied remark's StockObjective and
Objective. With STOCK.o, stock clang -Oz's object, StockBytes must be its
objective (.text + .rodata + .data). Exits 1 on a mismatch.
"""
import json
import os
import re
import subprocess
import sys


def fail(msg):
    sys.exit("stats.py: " + msg)


def remarks(path):
    """(kind, name, {arg: value}) per neuropt-size remark of a YAML record."""
    out = []
    with open(path) as f:
        text = f.read()
    for doc in text.split("\n--- "):
        head = re.match(r"(?:--- )?!(\w+)", doc)
        if not head or not re.search(r"^Pass:\s+neuropt-size\s*$", doc, re.M):
            continue
        name = re.search(r"^Name:\s+(\S+)", doc, re.M).group(1)
        args = dict(re.findall(r"- (\w+):\s+'?([^'\n]*)'?", doc))
        out.append((head.group(1), name, args))
    return out


def main(argv):
    if len(argv) < 2:
        fail("usage: stats.py STATS.json [REC.yaml [STOCK.o]]")
    with open(argv[1]) as f:
        stats = json.load(f)
    mine = {k.split(".", 1)[1]: v for k, v in stats.items()
            if k.startswith("neuropt-size.")}
    for k in sorted(mine):
        print(k, mine[k])
    print("total", len(mine))
    if len(argv) > 2:
        rs = remarks(argv[2])
        applied = [a for kind, n, a in rs if kind == "Passed" and n == "Applied"]
        kept = [a for kind, n, a in rs if n == "KeptStock"]
        if mine.get("NumApplied", 0) != len(applied):
            fail(f"NumApplied {mine.get('NumApplied', 0)}, "
                 f"{len(applied)} Applied remarks")
        if mine.get("NumKeptStock", 0) != len(kept):
            fail(f"NumKeptStock {mine.get('NumKeptStock', 0)}, "
                 f"{len(kept)} KeptStock remarks")
        stock = sum(int(a["StockObjective"]) for a in applied + kept)
        saved = sum(int(a["StockObjective"]) - int(a["Objective"])
                    for a in applied)
        if mine.get("StockBytes", 0) != stock:
            fail(f"StockBytes {mine.get('StockBytes', 0)}, remarks say {stock}")
        if mine.get("SavedBytes", 0) != saved:
            fail(f"SavedBytes {mine.get('SavedBytes', 0)}, remarks say {saved}")
    if len(argv) > 3:
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                              "objsize.py")
        obj = int(subprocess.check_output(
            [sys.executable, script, argv[3]], text=True).split()[0])
        if mine.get("StockBytes", 0) != obj:
            fail(f"StockBytes {mine.get('StockBytes', 0)}, "
                 f"{argv[3]} has {obj}")


if __name__ == "__main__":
    main(sys.argv)
