"""Builds a small deterministic IR2Vec vocabulary from `llvm-ir2vec entities`.

Reads the entity list on stdin ("count" line, then "Name<TAB>Index" lines) and
writes the JSON layout LLVM's IR2VecVocabAnalysis reads. Entity i gets the
vector [i, i % 7, 1, -i/10] scaled to keep numbers small. With --drop NAME the
entity is left out (to test the loader's error).
"""
import json
import sys

drop = sys.argv[2] if len(sys.argv) > 2 and sys.argv[1] == "--drop" else None
lines = sys.stdin.read().split("\n")[1:]
sections = {"Opcodes": {}, "Types": {}, "Arguments": {}, "Predicates": {}}
for line in lines:
    if not line.strip():
        continue
    name, idx = line.split("\t")
    i = int(idx)
    if name == drop:
        continue
    vec = [i / 100.0, (i % 7) / 10.0, 0.5, -i / 1000.0]
    if i < 68:
        sections["Opcodes"][name] = vec
    elif i < 80:
        sections["Types"][name] = vec
    elif i < 84:
        sections["Arguments"][name] = vec
    else:
        sections["Predicates"][name] = vec
json.dump(sections, sys.stdout, indent=1, sort_keys=True)
