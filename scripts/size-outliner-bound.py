#!/usr/bin/env python3
"""Measures what bounding the IR outliner in the first coreset sequence would
cost and save (bench/results/size.md, session 13, "The tail").

For every training module of at least --min-bytes of bitcode it measures,
with `neuropt-eval measure` plus clang's tail pipeline, -Oz, the first
sequence as shipped, the sequence without any `iroutliner`, and with only
its last `iroutliner`, timing each as one process, and writes JSON lines
(--out). --report reads them back and prints the table of size.md.
Standard library only; run it on an idle machine.
"""
import argparse
import json
import os
import sqlite3
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(HERE, 'lib'))
from size_pipelines import TAIL, geomean_gain, read_coreset, split_pipeline  # noqa: E402


def variants(coreset):
    first = read_coreset(coreset)[0][0]
    parts = split_pipeline(first)
    outl = [i for i, p in enumerate(parts) if p == 'iroutliner']
    return {
        'none': 'none',
        'oz': 'default<Oz>,' + TAIL,
        'seq0': first + ',' + TAIL,
        'noout': ','.join(p for p in parts if p != 'iroutliner') + ',' + TAIL,
        'last': ','.join(p for i, p in enumerate(parts)
                         if p != 'iroutliner' or i == outl[-1]) + ',' + TAIL,
    }


def measure(a):
    db = sqlite3.connect(os.path.join(a.corpus, 'corpus.db'))
    rows = db.execute(
        "SELECT m.hash, m.path, m.bytes FROM modules m JOIN packages p "
        "ON p.name = m.package WHERE p.split = 'train' AND m.bytes >= ? "
        "ORDER BY m.hash", (a.min_bytes,)).fetchall()
    done = set()
    if os.path.exists(a.out):
        done = {json.loads(l)['hash'] for l in open(a.out)}
    V = variants(a.coreset)
    with open(a.out, 'a') as out:
        for h, path, size in rows:
            if h in done:
                continue
            rec = {'hash': h, 'bytes': size}
            for k, p in V.items():
                t = time.perf_counter()
                r = subprocess.run([a.eval, 'measure', '--json', '--pipeline',
                                    p, os.path.join(a.corpus, path)],
                                   capture_output=True, text=True, timeout=600)
                rec[k + '_s'] = time.perf_counter() - t
                try:
                    j = json.loads(r.stdout.splitlines()[0])
                    rec[k], rec[k + '_ir'] = j['objective'], j['ir_insts']
                except (IndexError, ValueError, KeyError):
                    rec[k] = None
            out.write(json.dumps(rec) + '\n')
            out.flush()


def report(a):
    R = [json.loads(l) for l in open(a.out)]
    R = [r for r in R if all(r.get(k) for k in ('oz', 'seq0', 'noout', 'last'))]
    print(f'{len(R)} modules')

    oz = {r['hash']: r['oz'] for r in R}

    def row(name, pick):
        gain = geomean_gain({r['hash']: r[pick(r)] for r in R}, oz)
        t = sum(r[pick(r) + '_s'] for r in R) / sum(r['oz_s'] for r in R)
        worst = max(r[pick(r) + '_s'] / r['oz_s'] for r in R)
        print(f'| {name} | {gain:.2f}% | {t:.2f}x | {worst:.1f}x |')

    row('as shipped', lambda r: 'seq0')
    row('without any iroutliner', lambda r: 'noout')
    row('only the last iroutliner', lambda r: 'last')
    for limit, v in ((40000, 'last'), (10000, 'noout')):
        row(f'{v} above {limit} IR instructions',
            lambda r, limit=limit, v=v: v if r['none_ir'] > limit else 'seq0')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--corpus', default=os.path.join(ROOT, 'corpus', 'oz'))
    ap.add_argument('--coreset', default=os.path.join(
        ROOT, 'models', 'size', 'size.coreset.txt'))
    ap.add_argument('--eval', default=os.path.join(ROOT, 'build', 'bin',
                                                   'neuropt-eval'))
    ap.add_argument('--min-bytes', type=int, default=20000)
    ap.add_argument('--out', default='outliner-bound.jsonl')
    ap.add_argument('--report', action='store_true')
    a = ap.parse_args()
    report(a) if a.report else measure(a)


if __name__ == '__main__':
    main()
