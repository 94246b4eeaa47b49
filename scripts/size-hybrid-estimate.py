#!/usr/bin/env python3
"""How much a per-function mix of -Oz and one coreset sequence could add.

An offline estimate for neuropt-size (not used by the pass). For each
bitcode module (emitted with -Oz -Xclang -disable-llvm-passes), it makes
-Oz's module and the sequence's (with clang's tail, as the pass measures
it), generates both for x86-64 with clang-22 and reads each function's
size from the symbol tables. The mix starts from -Oz's object and takes a
function's body from the candidate where that is smaller, paying once for
each helper the candidate created that the taken bodies call (outlined
regions, functions -Oz inlined away). A body that uses a global variable
-Oz's module defines differently (or not at all) is not taken, since the
two versions would not share its state. Groups of bodies that share a
helper are taken greedily, the largest net saving first.

    python3 scripts/size-hybrid-estimate.py --jobs 2 /tmp/trc/modules

Prints the geomean reduction of the objective (.text + .rodata + .data)
against -Oz for the better of the two modules (what the pass chooses at
k = 1), for the estimated mix, and for the mix with helpers ignored (an
upper bound). The mix's figure counts .text savings only and is an
estimate, not a measured object.

A mix is sound only where each body taken is proved to refine -Oz's:
LLVM keeps one pipeline's functions consistent with each other (the
attributes it inferred, the arguments it dropped), not with another
pipeline's, so a body the verifier leaves unknown may rely on facts the
other module's functions do not keep. `--verify build/bin/neuropt-verify`
also prints the mix of the bodies that neuropt-verify proves.
"""
import argparse
import concurrent.futures
import json
import math
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, 'lib'))
from size_pipelines import TAIL, object_sections, read_coreset  # noqa: E402

LLVM = '/usr/lib/llvm-22/bin/'
NAME = r'@("[^"]+"|[-a-zA-Z$._0-9]+)'


def run(*cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=600)


def function_sizes(obj):
    out = subprocess.run([LLVM + 'llvm-readelf', '-sW', obj], check=True,
                         capture_output=True, text=True).stdout
    sizes = {}
    for line in out.splitlines():
        p = line.split()
        if len(p) >= 8 and p[3] == 'FUNC' and p[6] != 'UND':
            sizes[p[7]] = int(p[2])
    return sizes


def read_ir(bc):
    """Defined functions with the names their bodies use, and globals'
    definition lines."""
    text = subprocess.run([LLVM + 'llvm-dis', bc, '-o', '-'], check=True,
                          capture_output=True, text=True).stdout
    funcs, globs, cur = {}, {}, None
    for line in text.splitlines():
        if line.startswith('define '):
            m = re.match(r'define [^@]*' + NAME + r'\(', line)
            cur = m.group(1).strip('"')
            funcs[cur] = set()
        elif cur is not None:
            if line.startswith('}'):
                cur = None
            else:
                funcs[cur].update(n.strip('"') for n in re.findall(NAME, line))
        elif line.startswith('@'):
            globs[re.match(NAME, line).group(1).strip('"')] = line
    return funcs, globs


def proved(verify, rlimit, oz_ll, cand_ll, fn):
    """Whether neuropt-verify proves the candidate's fn refines -Oz's."""
    try:
        out = subprocess.run([verify, '--json', '--function=' + fn,
                              '--rlimit=%d' % rlimit, oz_ll, cand_ll],
                             capture_output=True, text=True, timeout=120).stdout
        return json.loads(out).get('verdict') == 'proved'
    except (subprocess.TimeoutExpired, ValueError):
        return False


def measure(bc, pipeline, work, verify=None, rlimit=0):
    """(objective of -Oz, of the candidate, the mix, the mix without helper
    costs, the mix of proved bodies only or None); None if a step failed."""
    stem = os.path.join(work, os.path.basename(bc)[:-3])
    try:
        for tag, passes in (('oz', 'default<Oz>'), ('c', pipeline + ',' + TAIL)):
            run(LLVM + 'opt', '-passes=' + passes, bc, '-o', stem + tag + '.bc')
            run(LLVM + 'clang', '-Oz', '-c', '-w', '-Xclang',
                '-disable-llvm-passes', stem + tag + '.bc', '-o', stem + tag + '.o')
            if verify:
                run(LLVM + 'llvm-dis', stem + tag + '.bc', '-o', stem + tag + '.ll')
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
        return None
    oz = sum(object_sections(stem + 'oz.o').values())
    cand = sum(object_sections(stem + 'c.o').values())
    so, sc = function_sizes(stem + 'oz.o'), function_sizes(stem + 'c.o')
    cf, cg = read_ir(stem + 'c.bc')
    of, og = read_ir(stem + 'oz.bc')
    helpers = set(cf) - set(of)

    def needs(f):
        seen, todo = set(), [f]
        while todo:
            for r in cf.get(todo.pop(), ()):
                if r in helpers and r not in seen:
                    seen.add(r)
                    todo.append(r)
        return seen

    common = [f for f in cf if f in of and f in so and f in sc]
    deps = {f: needs(f) for f in common}
    eligible = []
    for f in common:
        used = set(cf[f]).union(*(cf[h] for h in deps[f]))
        if all(r not in cg or og.get(r) == cg[r] for r in used):
            eligible.append(f)

    def greedy(eligible):
        groups = [[f] for f in eligible]
        for h in helpers:
            g = [f for f in eligible if h in deps[f] and so[f] > sc[f]]
            if g:
                groups.append(g)
        taken, paid, saved = set(), set(), 0
        while True:
            best, pick = 0, None
            for g in groups:
                new = [f for f in g if f not in taken]
                if not new:
                    continue
                hs = set().union(*(deps[f] for f in new)) - paid
                gain = sum(so[f] - sc[f] for f in new) - sum(sc.get(h, 0) for h in hs)
                if gain > best:
                    best, pick = gain, new
            if pick is None:
                break
            taken.update(pick)
            paid.update(*(deps[f] for f in pick))
            saved += best
        return saved

    naive = sum(max(0, so[f] - sc[f]) for f in common)
    mix_proved = None
    if verify:
        # neuropt-verify checks one function against one function, so a
        # body that calls a helper is left out here (the pass checks those
        # with the helpers inlined).
        mix_proved = oz - greedy([
            f for f in eligible if not deps[f] and so[f] > sc[f] and
            proved(verify, rlimit, stem + 'oz.ll', stem + 'c.ll', f)])
    return oz, cand, oz - greedy(eligible), oz - naive, mix_proved


def reduction(ratios):
    return (1 - math.exp(sum(math.log(r) for r in ratios) / len(ratios))) * 100


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('inputs', nargs='+', help='bitcode files or directories')
    ap.add_argument('--coreset', default=os.path.join(
        HERE, '..', 'models', 'size', 'size.coreset.txt'))
    ap.add_argument('--sequence', type=int, default=0)
    ap.add_argument('--jobs', type=int, default=os.cpu_count())
    ap.add_argument('--verify', metavar='NEUROPT_VERIFY',
                    help='also estimate the mix of the bodies this '
                    'neuropt-verify proves (a mix is sound only where they '
                    'are proved, see bench/results/size.md, session 49)')
    ap.add_argument('--rlimit', type=int, default=25000,
                    help='solver units per function for --verify')
    a = ap.parse_args()
    if a.verify and not (os.path.isfile(a.verify) and os.access(a.verify, os.X_OK)):
        sys.exit('size-hybrid-estimate: %s is not an executable' % a.verify)
    seqs = read_coreset(a.coreset)[0]
    files = []
    for i in a.inputs:
        if os.path.isdir(i):
            for root, _, names in os.walk(i):
                files += [os.path.join(root, n) for n in names if n.endswith('.bc')]
        else:
            files.append(i)
    files.sort()
    with tempfile.TemporaryDirectory() as work, \
            concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
        rows = [r for r in pool.map(
            lambda b: measure(b, seqs[a.sequence], work, a.verify, a.rlimit), files)
            if r and r[0] > 0]
    if not rows:
        sys.exit('no module measured')
    print('modules: %d of %d' % (len(rows), len(files)))
    print('better of -Oz and the sequence: %.2f%%' %
          reduction([min(o, c) / o for o, c, *_ in rows]))
    print('estimated per-function mix:     %.2f%%' %
          reduction([min(o, c, m) / o for o, c, m, *_ in rows]))
    print('mix with helpers free (bound):  %.2f%%' %
          reduction([min(o, c, n) / o for o, c, _, n, _ in rows]))
    print('modules where the mix beats both: %d' %
          sum(m < min(o, c) for o, c, m, *_ in rows))
    if a.verify:
        print('mix of proved bodies only:       %.2f%% (beats both on %d)' % (
            reduction([min(o, c, p) / o for o, c, _, _, p in rows]),
            sum(p < min(o, c) for o, c, _, _, p in rows)))


if __name__ == '__main__':
    main()
