"""Writes a statistics dataset and its --modules-out list for
size-select-knn.test: 12 packages of 5 modules, 3 sequences, 2 statistics.
In half the packages the first statistic is large and sequence 1 saves 10%
where the first saves nothing; elsewhere the first saves 5% and sequence 1
loses 2%. Sequence 2 always loses 1%. The second statistic is noise."""
import random
import sys

out, mods = sys.argv[1], sys.argv[2]
rnd = random.Random(7)
rows, names = [], []
for p in range(12):
    for m in range(5):
        big = p % 2 == 0
        x = [rnd.randint(900, 1100) if big else rnd.randint(5, 15),
             rnd.randint(1, 1000)]
        gains = [0.0, 10.0, -1.0] if big else [5.0, -2.0, -1.0]
        for s, g in enumerate(gains):
            onehot = [1 if s == k else 0 for k in range(3)]
            rows.append(' '.join(str(v) for v in [g] + x + onehot))
        names.append('m%d_%d\tpkg%d' % (p, m, p))
with open(out, 'w') as f:
    f.write('neuropt-dataset 1\nkind mlp\ntask regression\nfeatures 5\n'
            'classes 1\nmanifest 0\nsamples %d\n' % len(rows))
    f.write('\n'.join(rows) + '\n')
with open(mods, 'w') as f:
    f.write('\n'.join(names) + '\n')
