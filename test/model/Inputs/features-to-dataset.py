"""Turns `neuropt-opt --features` JSON Lines into a neuropt-train dataset.

Usage: features-to-dataset.py MANIFEST_HASH WIDTH < features.jsonl > data.txt
The label of a function is log2(1 + its instruction count) (feature 0), a
task a small MLP learns quickly; the point is a real model over the real
feature vector, loaded by the plugin.
"""
import json
import math
import sys

manifest, width = sys.argv[1], int(sys.argv[2])
rows = []
for line in sys.stdin:
    rec = json.loads(line)
    feats = rec["features"]
    assert len(feats) == width, (len(feats), width)
    rows.append("%.6f 0 %s" % (math.log2(1 + feats[0]), " ".join(map(str, feats))))
print("neuropt-dataset 1")
print("kind mlp")
print("task regression")
print("features %d" % width)
print("classes 1")
print("manifest %s" % manifest)
print("samples %d" % len(rows))
print("\n".join(rows))
