#!/usr/bin/env python3
"""Compile time of two neuropt-size configurations, side by side.

For each C (.i, .c) or bitcode file, compiles it with stock `clang -Oz`,
with the plugin and options A, and with the plugin and options B,
interleaved, --runs times each, and reports the medians as ratios to
stock: wall time, and CPU time of the whole process tree (perf stat's
task-clock, which counts every child process, reaped or not; without
perf, getrusage). It also
checks that A and B gave the same object (every run, byte for byte), so
an option that should change only how the pass runs is shown not to
change what it makes.

    python3 scripts/size-compare-options.py --runs 5 \\
        --a=-neuropt-size-isolate=false --a=... --b= /tmp/valsrc

Options are -mllvm options of the plugin, one per --a / --b (empty: the
defaults). --plugin-b gives B another build of the plugin (two builds
compared side by side, with the same or no options). Uses `perf` (Debian:
linux-perf) where it works, and clang-22.
"""
import argparse
import glob
import hashlib
import math
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

WARNINGS = ['-w', '-Wno-error=implicit-function-declaration',
            '-Wno-error=implicit-int', '-Wno-error=int-conversion',
            '-Wno-error=incompatible-pointer-types',
            '-Wno-error=incompatible-function-pointer-types',
            '-Wno-error=return-type']


def geomean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('inputs', nargs='+', help='files or directories')
    ap.add_argument('--runs', type=int, default=3)
    ap.add_argument('--a', action='append', default=[])
    ap.add_argument('--b', action='append', default=[])
    ap.add_argument('--clang', default='clang-22')
    ap.add_argument('--plugin', default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), '..', 'build', 'lib',
        'NeurOpt.so'))
    ap.add_argument('--plugin-b', help='the plugin of B (default: --plugin)')
    a = ap.parse_args()
    files = []
    for i in a.inputs:
        if os.path.isdir(i):
            files += sorted(f for e in ('*.i', '*.c', '*.bc')
                            for f in glob.glob(os.path.join(i, e)))
        else:
            files.append(i)
    if not files:
        sys.exit('no inputs')
    plugin = ['-fpass-plugin=' + os.path.abspath(a.plugin)]
    plugin_b = ['-fpass-plugin=' + os.path.abspath(a.plugin_b or a.plugin)]
    modes = {
        'stock': [],
        'A': plugin + [x for o in a.a if o for x in ('-mllvm', o)],
        'B': plugin_b + [x for o in a.b if o for x in ('-mllvm', o)],
    }
    work = tempfile.mkdtemp(prefix='size-compare-')
    obj = os.path.join(work, 'o.o')

    perf = shutil.which('perf') and subprocess.run(
        ['perf', 'stat', '-x,', '-e', 'task-clock', 'true'],
        capture_output=True).returncode == 0
    if not perf:
        print('no usable perf: CPU time from getrusage, which misses '
              'children their parent did not wait for', file=sys.stderr)

    def run(f, extra):
        cmd = [a.clang, '-Oz', '-c', f, '-o', obj] + WARNINGS + extra
        if perf:
            cmd = ['perf', 'stat', '-x,', '-e', 'task-clock'] + cmd
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        p = subprocess.run(cmd, stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if p.returncode:
            sys.exit(f'{f}: compilation failed:\n{p.stderr[-2000:]}')
        if perf:
            line = [l for l in p.stderr.splitlines() if 'task-clock' in l][-1]
            cpu = float(line.split(',')[0]) / 1000
        else:
            cpu = (after.ru_utime - before.ru_utime +
                   after.ru_stime - before.ru_stime)
        with open(obj, 'rb') as o:
            return wall, max(cpu, 1e-6), hashlib.sha256(o.read()).hexdigest()

    ratios = {k: [] for k in ('Aw', 'Ac', 'Bw', 'Bc', 'BAw', 'BAc')}
    same = 0
    print('module | stock s | A wall | A cpu | B wall | B cpu | objects')
    for f in files:
        m = {k: ([], [], set()) for k in modes}
        for _ in range(a.runs):
            for k, extra in modes.items():
                w, c, h = run(f, extra)
                m[k][0].append(w)
                m[k][1].append(c)
                m[k][2].add(h)
        med = {k: (statistics.median(v[0]), statistics.median(v[1]))
               for k, v in m.items()}
        sw, sc = med['stock']
        r = {'Aw': med['A'][0] / sw, 'Ac': med['A'][1] / sc,
             'Bw': med['B'][0] / sw, 'Bc': med['B'][1] / sc}
        r['BAw'] = med['B'][0] / med['A'][0]
        r['BAc'] = med['B'][1] / med['A'][1]
        for k, v in r.items():
            ratios[k].append(v)
        ok = m['A'][2] == m['B'][2] and len(m['A'][2]) == 1
        same += ok
        print(f"{os.path.basename(f)} | {sw:.3f} | {r['Aw']:.2f}x | "
              f"{r['Ac']:.2f}x | {r['Bw']:.2f}x | {r['Bc']:.2f}x | "
              f"{'same' if ok else 'DIFFERENT'}", flush=True)
    med = {k: statistics.median(v) for k, v in ratios.items()}
    print(f"median module against stock: A {med['Aw']:.2f}x wall, "
          f"{med['Ac']:.2f}x CPU; B {med['Bw']:.2f}x wall, {med['Bc']:.2f}x "
          f"CPU")
    print(f"B against A, per module: wall geomean {geomean(ratios['BAw']):.3f}"
          f" (median {med['BAw']:.3f}), CPU geomean "
          f"{geomean(ratios['BAc']):.3f} (median {med['BAc']:.3f})")
    print(f'the same object from A and B in every run: {same} of {len(files)}')
    return 0 if same == len(files) else 1


if __name__ == '__main__':
    sys.exit(main())
