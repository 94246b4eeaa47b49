#!/usr/bin/env python3
"""Would a per-package choice of neuropt-size's first sequence help?

At the default k = 1 the pass tries one coreset sequence per translation
unit, the coreset's first, and the models do not pick better ones on unseen
packages (models/size/README.md). A build compiles many translation units of
one package, so a shared store (-neuropt-size-cache) could learn which
sequence wins in this package and try that one first on the next file. This
script bounds what that could gain, from the sweeps in the corpus database
(every coreset sequence and -Oz measured on each module; a loss counts as
-Oz, as the pass keeps -Oz then):

  first      the coreset's first sequence on every module (the pass today);
  package    the single sequence best over all of a package's modules, in
             hindsight (an upper bound for any per-package choice);
  online     per package, modules in a random order, each taking the
             sequence with the best mean so far over the earlier modules of
             its package, as if every sequence had been measured on them
             (more than a k = 1 build learns); mean over --orders orders;
  oracle     the best of all sequences per module (k = all).

Figures are geomean reductions of the objective (.text + .rodata + .data)
against -Oz, in percent, per split. Standard library only:

    python3 scripts/size-package-prior.py --corpus corpus/oz \\
        --coreset models/size/size.coreset.txt
"""

import argparse
import collections
import math
import random
import sqlite3
import sys


def load(db_path, coreset_path):
    with open(coreset_path) as f:
        seqs = [l.strip() for l in f if l.strip() and not l.startswith('#')]
    index = {p: i for i, p in enumerate(seqs)}
    db = sqlite3.connect(f'file:{db_path}?mode=ro', uri=True)
    rows = db.execute(
        "SELECT e.module, e.pipeline, e.text + e.rodata + e.data, e.status, "
        "m.package, p.split FROM size_eval e "
        "JOIN modules m ON m.hash = e.module "
        "JOIN packages p ON p.name = m.package").fetchall()
    sizes = collections.defaultdict(dict)
    where = {}
    for module, pipeline, objective, status, package, split in rows:
        where[module] = (package, split)
        if status != 'ok' or objective is None:
            continue
        if pipeline == 'default<Oz>':
            sizes[module]['oz'] = objective
        elif pipeline in index:
            sizes[module][index[pipeline]] = objective
    # Per module, each sequence's size as a ratio of -Oz's, never above 1.
    ratios = {}
    for module, d in sizes.items():
        if d.get('oz') and all(i in d for i in range(len(seqs))):
            ratios[module] = [min(d[i], d['oz']) / d['oz']
                              for i in range(len(seqs))]
    return len(seqs), ratios, where


def reduction(rs):
    return 100 * (1 - math.exp(sum(math.log(r) for r in rs) / len(rs)))


def online(by_package, ratios, n, seed):
    rnd = random.Random(seed)
    out = []
    for package in sorted(by_package):
        modules = by_package[package][:]
        rnd.shuffle(modules)
        total = [0.0] * n
        for i, m in enumerate(modules):
            # Ties (and the first module) go to the coreset's order.
            best = min(range(n), key=lambda s: (total[s], s)) if i else 0
            out.append(ratios[m][best])
            for s in range(n):
                total[s] += math.log(ratios[m][s])
    return out


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--corpus', default='corpus/oz')
    ap.add_argument('--coreset', default='models/size/size.coreset.txt')
    ap.add_argument('--orders', type=int, default=5)
    args = ap.parse_args(argv)
    try:
        n, ratios, where = load(f'{args.corpus}/corpus.db', args.coreset)
    except (OSError, sqlite3.Error) as e:
        sys.exit(f'size-package-prior: {e}')
    print(f'{n} sequences; {len(ratios)} modules with all of them and -Oz measured')
    print('| split | modules | packages | first | package (hindsight) | online | oracle |')
    print('|---|---:|---:|---:|---:|---:|---:|')
    for split in sorted({s for _, s in where.values()}):
        modules = sorted(m for m in ratios if where[m][1] == split)
        if not modules:
            continue
        by_package = collections.defaultdict(list)
        for m in modules:
            by_package[where[m][0]].append(m)
        package = []
        for ms in by_package.values():
            best = min(range(n), key=lambda s: (
                sum(math.log(ratios[m][s]) for m in ms), s))
            package += [ratios[m][best] for m in ms]
        on = [reduction(online(by_package, ratios, n, seed))
              for seed in range(args.orders)]
        print(f'| {split or "-"} | {len(modules)} | {len(by_package)} | '
              f'{reduction([ratios[m][0] for m in modules]):.2f}% | '
              f'{reduction(package):.2f}% | {sum(on) / len(on):.2f}% | '
              f'{reduction([min(ratios[m]) for m in modules]):.2f}% |')


if __name__ == '__main__':
    main(sys.argv[1:])
