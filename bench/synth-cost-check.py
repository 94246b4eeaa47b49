#!/usr/bin/env python3
"""Checks the synthesis cost model (lib/Synth/CostModel.cpp) against LLVM's
x86-64 backend.

For each of ~30 single-operation functions, it compares the built-in cost
(code size + latency, as `neuropt-synth synth --json` reports it for the
function's LHS) with what llc-22 and llvm-mca-22 say about the same function
compiled for x86-64 (the baseline psABI level, as the table assumes):

  size     machine instructions of the function body, `ret` excluded
  latency  llvm-mca-22 (-mcpu=skylake) Total Cycles of one iteration, minus
           the same for an empty body (`ret` of an argument), so pipeline
           start-up is not counted

and reports both per operation, the Spearman rank correlation between the
model and size + latency, and the pairs the model orders differently.

Usage: bench/synth-cost-check.py BUILD_DIR [--markdown]
"""

import json
import os
import re
import subprocess
import sys
import tempfile

# (name, width, body); %a, %b, %c are arguments of type i<width>.
OPS = [
    ("add", 32, "%r = add i32 %a, %b"),
    ("sub", 32, "%r = sub i32 %a, %b"),
    ("and", 32, "%r = and i32 %a, %b"),
    ("xor", 32, "%r = xor i32 %a, %b"),
    ("mul", 32, "%r = mul i32 %a, %b"),
    ("mul i64", 64, "%r = mul i64 %a, %b"),
    ("udiv", 32, "%r = udiv i32 %a, %b"),
    ("udiv i64", 64, "%r = udiv i64 %a, %b"),
    ("sdiv", 32, "%r = sdiv i32 %a, %b"),
    ("urem", 32, "%r = urem i32 %a, %b"),
    ("udiv by 7", 32, "%r = udiv i32 %a, 7"),
    ("sdiv by 7", 32, "%r = sdiv i32 %a, 7"),
    ("shl by 3", 32, "%r = shl i32 %a, 3"),
    ("shl", 32, "%r = shl i32 %a, %b"),
    ("lshr by 3", 32, "%r = lshr i32 %a, 3"),
    ("ashr", 32, "%r = ashr i32 %a, %b"),
    ("icmp ult", 32, "%c1 = icmp ult i32 %a, %b\n  %r = zext i1 %c1 to i32"),
    ("select", 32, "%c1 = icmp ne i32 %c, 0\n  %r = select i1 %c1, i32 %a, i32 %b"),
    ("umin", 32, "%r = call i32 @llvm.umin.i32(i32 %a, i32 %b)"),
    ("smax", 32, "%r = call i32 @llvm.smax.i32(i32 %a, i32 %b)"),
    ("abs", 32, "%r = call i32 @llvm.abs.i32(i32 %a, i1 false)"),
    ("ctpop", 32, "%r = call i32 @llvm.ctpop.i32(i32 %a)"),
    ("ctpop i64", 64, "%r = call i64 @llvm.ctpop.i64(i64 %a)"),
    ("ctlz", 32, "%r = call i32 @llvm.ctlz.i32(i32 %a, i1 false)"),
    ("cttz", 32, "%r = call i32 @llvm.cttz.i32(i32 %a, i1 false)"),
    ("bswap", 32, "%r = call i32 @llvm.bswap.i32(i32 %a)"),
    ("bitreverse", 32, "%r = call i32 @llvm.bitreverse.i32(i32 %a)"),
    ("fshl by 5", 32, "%r = call i32 @llvm.fshl.i32(i32 %a, i32 %b, i32 5)"),
    ("fshl", 32, "%r = call i32 @llvm.fshl.i32(i32 %a, i32 %b, i32 %c)"),
    ("zext i8", 32, "%t = trunc i32 %a to i8\n  %r = zext i8 %t to i32"),
    ("sext i8", 32, "%t = trunc i32 %a to i8\n  %r = sext i8 %t to i32"),
]

TRIPLE = "x86_64-unknown-linux-gnu"


def run(cmd, stdin=None):
    return subprocess.run(cmd, input=stdin, capture_output=True, text=True,
                          check=True).stdout


def function(width, body):
    t = f"i{width}"
    return (f"define {t} @lhs({t} %a, {t} %b, {t} %c) {{\n  {body}\n"
            f"  ret {t} %r\n}}\n")


def asm_body(ll):
    s = run(["llc-22", "-O2", f"-mtriple={TRIPLE}", "-o", "-"], ll)
    lines, inside = [], False
    for line in s.splitlines():
        if line.startswith("lhs:"):
            inside = True
            continue
        if inside and line.startswith(".Lfunc_end"):
            break
        if inside:
            code = line.split("#")[0].strip()
            if code and not code.startswith(".") and not code.endswith(":"):
                lines.append(code)
    return lines


def mca_cycles(lines):
    if not lines:
        return 0
    s = run(["llvm-mca-22", f"-mtriple={TRIPLE}", "-mcpu=skylake",
             "-iterations=1"], "\n".join(lines) + "\n")
    m = re.search(r"Total Cycles:\s+(\d+)", s)
    return int(m.group(1)) if m else 0


def model_cost(build, ll, name):
    with tempfile.NamedTemporaryFile("w", suffix=".ll", delete=False) as f:
        f.write(ll)
        path = f.name
    try:
        out = run([os.path.join(build, "bin", "neuropt-synth"), "synth", path,
                   "--budget-ms", "1", "--filter", "cpu", "--json"])
    finally:
        os.unlink(path)
    return json.loads(out)["lhs_cost"]


def ranks(xs):
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    r = [0.0] * len(xs)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and xs[order[j + 1]] == xs[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2.0 + 1
        i = j + 1
    return r


def spearman(a, b):
    ra, rb = ranks(a), ranks(b)
    n = len(a)
    ma, mb = sum(ra) / n, sum(rb) / n
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb))
    va = sum((x - ma) ** 2 for x in ra) ** 0.5
    vb = sum((y - mb) ** 2 for y in rb) ** 0.5
    return cov / (va * vb)


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    build = sys.argv[1]
    base = mca_cycles(asm_body(function(32, "%r = add i32 %a, 0")))
    rows = []
    for name, width, body in OPS:
        ll = function(width, body)
        insts = asm_body(ll)
        size = len(insts)
        lat = max(0, mca_cycles(insts) - base)
        rows.append((name, model_cost(build, ll, name), size, lat, insts))
    model = [r[1] for r in rows]
    meas = [r[2] + r[3] for r in rows]
    rho = spearman(model, meas)
    print("| operation | model cost | llc instructions | mca cycles | "
          "llc+mca |")
    print("|---|---|---|---|---|")
    for name, cost, size, lat, _ in rows:
        print(f"| {name} | {cost} | {size} | {lat} | {size + lat} |")
    print(f"\nSpearman rank correlation, model vs llc instructions + mca "
          f"cycles, over {len(rows)} operations: {rho:.3f}")
    # Pairs ordered the other way round (both differences nonzero).
    flips = []
    for i in range(len(rows)):
        for j in range(i + 1, len(rows)):
            dm, dx = model[i] - model[j], meas[i] - meas[j]
            if dm * dx < 0:
                flips.append((rows[i][0], rows[j][0]))
    total = len(rows) * (len(rows) - 1) // 2
    print(f"pairs ordered oppositely: {len(flips)} of {total}")
    for a, b in flips[:20]:
        print(f"  {a} vs {b}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
