#!/usr/bin/env python3
"""Per-module choice of the first coreset sequence by nearest neighbours.

An offline study for neuropt-size at k = 1: can a module's statistics pick a
better single candidate than the coreset's first sequence? For each module,
the modules nearest to it in the statistics (log-scaled, standardised) from
packages of other folds vote, weighted by inverse distance, with their gains
of each allowed sequence over the first; the module switches to the best of
them if the weighted mean exceeds a margin, and otherwise keeps the first.
Folds hold out whole packages, as the issue's validation split does.

    build/bin/neuropt-eval dataset --corpus corpus/oz --split train \\
        --pipelines models/size/size.coreset.txt -o train.ds --modules-out train.mods
    python3 scripts/size-select-knn.py train.ds train.mods

With --held-out DS MODS (a dataset of the validation split, made the same
way), the settings chosen on the folds are measured once on those modules
instead, with every module of the first dataset as a neighbour.

The dataset must be a plain regression one (no --centered, --ranking or
--graph): each label is a sequence's reduction of the objective against -Oz
in percent. Prints, for each setting, the geomean reduction of the first
sequence alone, of the choice (a loss counts as 0, since the pass then keeps
-Oz) and of the oracle, and how many modules switched.
"""
import argparse
import math
import random
import sys


def read_dataset(path, mods_path):
    with open(path) as f:
        lines = f.read().split('\n')
    head = {}
    i = 0
    while i < len(lines) and not lines[i].startswith('samples'):
        k, _, v = lines[i].partition(' ')
        head[k] = v
        i += 1
    if head.get('task') != 'regression' or head.get('kind') != 'mlp':
        sys.exit('%s: need a plain regression dataset of statistics rows' % path)
    n = int(lines[i].split()[1])
    rows = [l.split() for l in lines[i + 1:i + 1 + n]]
    with open(mods_path) as f:
        mods = [l.rstrip('\n').split('\t') for l in f if l.strip()]
    if not mods or n % len(mods):
        sys.exit('%s: %d rows do not split into the %d modules of %s'
                 % (path, n, len(mods), mods_path))
    seqs = n // len(mods)
    stats = int(head['features']) - seqs  # the rest is the one-hot sequence
    out = []
    for m, fields in enumerate(mods):
        r = rows[seqs * m:seqs * (m + 1)]
        gains = [float(x[0]) for x in r]
        x = [math.log1p(max(float(v), 0.0)) for v in r[0][1:1 + stats]]
        out.append((fields[0], fields[-1], x, gains))
    return out, seqs


def geomean_reduction(gains):
    return 100 * (1 - math.exp(sum(math.log(1 - max(0.0, g) / 100)
                                   for g in gains) / len(gains)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('dataset')
    ap.add_argument('modules', help='the --modules-out file of the dataset')
    ap.add_argument('--held-out', nargs=2, metavar=('DATASET', 'MODULES'),
                    help='measure on these modules instead of by folds')
    ap.add_argument('--folds', type=int, default=5)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--neighbours', default='20,40,80')
    ap.add_argument('--margins', default='0,1,2,3,5',
                    help='points of gain over the first sequence')
    ap.add_argument('--alternatives', default='1,3,all',
                    help='how many sequences after the first may be chosen')
    a = ap.parse_args()

    train, seqs = read_dataset(a.dataset, a.modules)
    mods = train
    if a.held_out:
        mods, held_seqs = read_dataset(*a.held_out)
        if held_seqs != seqs or len(mods[0][2]) != len(train[0][2]):
            sys.exit('the held-out dataset has other sequences or features')
    dim = len(train[0][2])
    mean = [sum(m[2][d] for m in train) / len(train) for d in range(dim)]
    sd = [max(1e-6, math.sqrt(sum((m[2][d] - mean[d]) ** 2 for m in train)
                              / len(train))) for d in range(dim)]

    def scaled(m):
        return [(m[2][d] - mean[d]) / sd[d] for d in range(dim)]

    txs = [scaled(m) for m in train]
    packages = sorted(set(m[1] for m in train))
    random.Random(a.seed).shuffle(packages)
    fold = {p: i % a.folds for i, p in enumerate(packages)}
    ks = [int(k) for k in a.neighbours.split(',')]
    near = []
    for m in mods:
        x = scaled(m)
        d = sorted((sum((u - v) ** 2 for u, v in zip(x, tx)), j)
                   for j, (o, tx) in enumerate(zip(train, txs))
                   if a.held_out or fold[o[1]] != fold[m[1]])
        near.append(d[:max(ks)])

    first = [m[3][0] for m in mods]
    oracle = [max(m[3]) for m in mods]
    if a.held_out:
        print('%d held-out modules, %d training modules as neighbours, '
              '%d sequences' % (len(mods), len(train), seqs))
    else:
        print('%d modules, %d packages, %d sequences, %d folds by package'
              % (len(mods), len(packages), seqs, a.folds))
    print('first sequence %.3f%%, oracle %.3f%%'
          % (geomean_reduction(first), geomean_reduction(oracle)))
    print('| neighbours | alternatives | margin | chosen | switched |')
    print('|---:|---:|---:|---:|---:|')
    for k in ks:
        for alt in a.alternatives.split(','):
            alts = range(1, seqs if alt == 'all' else min(seqs, 1 + int(alt)))
            for margin in (float(x) for x in a.margins.split(',')):
                got = []
                switched = 0
                for i, m in enumerate(mods):
                    vote = {j: 0.0 for j in alts}
                    total = 0.0
                    for d, n in near[i][:k]:
                        w = 1 / (1e-3 + math.sqrt(d))
                        total += w
                        for j in alts:
                            vote[j] += w * (train[n][3][j] - train[n][3][0])
                    best = max(alts, key=lambda j: (vote[j], -j))
                    switch = vote[best] / total > margin
                    switched += switch
                    got.append(m[3][best] if switch else m[3][0])
                print('| %d | %s | %g | %.3f%% | %d |'
                      % (k, alt, margin, geomean_reduction(got), switched))


if __name__ == '__main__':
    main()
