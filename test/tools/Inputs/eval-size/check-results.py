#!/usr/bin/env python3
"""Checks the internal consistency of a `neuropt-eval size` results.json.

Usage: check-results.py RESULTS.json [--programs N] [--failed N] [--ceiling|--no-ceiling]
Recomputes every derived number (objectives, program totals, reductions,
geomeans, share of ceiling, summary counts) from the raw section sizes and
prints one line `results.json OK: ...`, or the first inconsistency and exits 1.
"""
import json
import math
import sys


def fail(msg):
    print("results.json INCONSISTENT: " + msg)
    sys.exit(1)


def geomean_reduction(pairs):
    if not pairs:
        return 0.0
    logs = [math.log(max(new, 1) / max(old, 1)) for old, new in pairs]
    return 1.0 - math.exp(sum(logs) / len(logs))


def close(a, b):
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def check_build(where, b, ir=True, code=None):
    """code: whether the unit has functions (from its IR, or the caller's)."""
    for k in ("text", "rodata", "data", "objective", "eh_frame", "unwind_entries"):
        if not isinstance(b.get(k), int) or b[k] < 0:
            fail(f"{where}: bad {k}: {b.get(k)!r}")
    if b["objective"] != b["text"] + b["rodata"] + b["data"]:
        fail(f"{where}: objective {b['objective']} != text+rodata+data")
    if ir:
        if not (isinstance(b.get("ir_insts"), int) and b["ir_insts"] >= 0):
            fail(f"{where}: bad ir_insts {b.get('ir_insts')!r}")
        code = b["ir_insts"] > 0
    # A unit with functions has code; one without (only data, or nothing,
    # as some of indent's and brotli's files) has neither code nor unwind
    # tables.
    if code and b["text"] == 0:
        fail(f"{where}: empty .text")
    if code is False and (b["text"] or b["unwind_entries"]):
        fail(f"{where}: .text or unwind tables without IR instructions")
    # Timed builds: wall clock and CPU time (user + system) of clang.
    if "compile_ms" in b:
        for k in ("compile_ms", "cpu_ms"):
            if not (isinstance(b.get(k), int) and b[k] > 0):
                fail(f"{where}: bad {k} {b.get(k)!r}")


def main():
    args = sys.argv[1:]
    path = args.pop(0)
    want = {}
    while args:
        a = args.pop(0)
        if a in ("--programs", "--failed"):
            want[a[2:]] = int(args.pop(0))
        elif a in ("--ceiling", "--no-ceiling"):
            want["ceiling"] = a == "--ceiling"
        else:
            fail("unknown argument " + a)
    with open(path) as f:
        r = json.load(f)
    progs, s = r["programs"], r["summary"]
    if "programs" in want and len(progs) != want["programs"]:
        fail(f"{len(progs)} programs, expected {want['programs']}")
    names = [p["name"] for p in progs]
    if len(set(names)) != len(names):
        fail("program names not unique")
    obj, text, ir, cobj = [], [], [], []
    larger = larger_eh = tus = failed = 0
    eh = {"oz": 0, "neuropt": 0}
    fdes = {"oz": 0, "neuropt": 0}

    def with_unwind(b):  # .eh_frame and 8 bytes of .eh_frame_hdr per FDE
        return b["objective"] + b["eh_frame"] + 8 * b["unwind_entries"]
    gained = ceil_gained = 0
    for p in progs:
        if "error" in p:
            failed += 1
            if not any("error" in t for t in p["tus"]):
                fail(f"{p['name']}: error without a failing TU")
            continue
        for cfg in ("oz", "neuropt"):
            check_build(p["name"] + "." + cfg, p[cfg])
            for k in ("text", "rodata", "data", "objective", "eh_frame",
                      "unwind_entries", "ir_insts"):
                if p[cfg][k] != sum(t[cfg][k] for t in p["tus"]):
                    fail(f"{p['name']}.{cfg}.{k} is not the sum over its TUs")
        oz, np_ = p["oz"], p["neuropt"]
        want_red = 1 - np_["objective"] / oz["objective"] if oz["objective"] else 0.0
        if not close(p["objective_reduction"], want_red):
            fail(f"{p['name']}: objective_reduction")
        obj.append((oz["objective"], np_["objective"]))
        text.append((oz["text"], np_["text"]))
        ir.append((oz["ir_insts"], np_["ir_insts"]))
        for t in p["tus"]:
            tus += 1
            larger += t["neuropt"]["objective"] > t["oz"]["objective"]
            larger_eh += with_unwind(t["neuropt"]) > with_unwind(t["oz"])
            for cfg in eh:
                eh[cfg] += t[cfg]["eh_frame"]
                fdes[cfg] += t[cfg]["unwind_entries"]
            if t["decision"] not in ("applied", "kept-stock", "budget",
                                     "unsupported", "other", "no-remark"):
                fail(f"{t['source']}: unknown decision {t['decision']!r}")
            if want.get("ceiling") is False and "ceiling" in t:
                fail(f"{t['source']}: ceiling present with --no-ceiling")
            if want.get("ceiling") and "ceiling" not in t:
                fail(f"{t['source']}: no ceiling")
            if "ceiling" in t:
                c = t["ceiling"]
                code = t["oz"]["ir_insts"] > 0
                check_build(t["source"] + ".ceiling.best", c["best"], ir=False, code=code)
                check_build(t["source"] + ".ceiling.baseline", c["baseline"], ir=False, code=code)
                # PipelineEvaluator must reproduce clang -Oz byte for byte.
                for k in ("text", "rodata", "data"):
                    if c["baseline"][k] != t["oz"][k]:
                        fail(f"{t['source']}: search baseline {k} {c['baseline'][k]} != clang -Oz {t['oz'][k]}")
                if c["best"]["objective"] > c["baseline"]["objective"]:
                    fail(f"{t['source']}: ceiling worse than its baseline")
                if not (1 <= c["evaluations"] <= r["config"]["budget"]):
                    fail(f"{t['source']}: {c['evaluations']} evaluations")
        if "ceiling" in p:
            check_build(p["name"] + ".ceiling", p["ceiling"], ir=False,
                        code=oz["ir_insts"] > 0)
            cobj.append((oz["objective"], p["ceiling"]["objective"]))
            gain = oz["objective"] - p["ceiling"]["objective"]
            share = p["share_of_ceiling"]
            if gain > 0:
                want_share = (oz["objective"] - np_["objective"]) / gain
                if share is None or not close(share, want_share):
                    fail(f"{p['name']}: share_of_ceiling {share} != {want_share}")
                gained += oz["objective"] - np_["objective"]
                ceil_gained += gain
            elif share is not None:
                fail(f"{p['name']}: share_of_ceiling without a ceiling gain")
    if "failed" in want and failed != want["failed"]:
        fail(f"{failed} failed programs, expected {want['failed']}")
    checks = [("programs", len(progs)), ("failed", failed),
              ("measured", len(progs) - failed), ("tus", tus),
              ("tus_larger_than_oz", larger),
              ("tus_larger_with_unwind_tables", larger_eh),
              ("eh_frame_oz", eh["oz"]), ("eh_frame_neuropt", eh["neuropt"]),
              ("unwind_entries_oz", fdes["oz"]),
              ("unwind_entries_neuropt", fdes["neuropt"])]
    for k, v in checks:
        if s[k] != v:
            fail(f"summary.{k} = {s[k]}, recomputed {v}")
    for k, pairs in (("geomean_objective_reduction", obj),
                     ("geomean_text_reduction", text),
                     ("geomean_ir_reduction", ir)):
        if not close(s[k], geomean_reduction(pairs)):
            fail(f"summary.{k} = {s[k]}, recomputed {geomean_reduction(pairs)}")
    if cobj:
        if not close(s["ceiling_geomean_objective_reduction"], geomean_reduction(cobj)):
            fail("summary.ceiling_geomean_objective_reduction")
        want_share = gained / ceil_gained if ceil_gained > 0 else None
        got = s["share_of_ceiling"]
        if (got is None) != (want_share is None) or (got is not None and not close(got, want_share)):
            fail(f"summary.share_of_ceiling = {got}, recomputed {want_share}")
    if sum(s["decisions"].values()) != tus:
        fail("summary.decisions do not cover every TU")
    print(f"results.json OK: {len(progs)} programs, {failed} failed, {tus} TUs, "
          f"{larger} larger than -Oz ({larger_eh} counting unwind tables), ceiling {'yes' if cobj else 'no'}")


if __name__ == "__main__":
    main()
