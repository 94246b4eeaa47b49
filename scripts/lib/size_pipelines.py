"""Pipeline helpers shared by the neuropt-size scripts (standard library only).

size-refine-first.py and size-outliner-bound.py both read the coreset, take
pipelines apart at their top-level commas, measure with clang's tail
appended and summarise gains against -Oz the way the pass keeps them.
"""
import math

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
