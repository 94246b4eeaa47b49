#!/usr/bin/env python3
"""Makes the end-to-end size evaluation set from the corpus.

bench/size-valset.txt names the modules (<package>-<10 hex digits of the
module hash>). For each one this writes

  --bitcode DIR        the corpus module as clang's front end emitted it
                       (-Oz -Xclang -disable-llvm-passes), DIR/NAME.bc;
  --preprocessed DIR   the translation unit's C source, preprocessed with the
                       flags the corpus recorded for it (DIR/NAME.i), so that
                       `neuropt-eval size` times clang -Oz with its front end;
                       --check compiles each .i and its .bc with -Oz and
                       requires the same .text/.rodata/.data sizes.

Compile the .i files with the warning flags the corpus recorded for them
(printed at the end), which `neuropt-eval size` takes as --cc-arg=... .
Standard library only.
"""
import argparse
import glob
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                'lib'))
from size_pipelines import object_sections  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CLANG = '/usr/lib/llvm-22/bin/clang'


def warning_flags(args):
    """The -w/-W flags of a recorded command line: what lets old C compile,
    which a .i keeps none of."""
    return [a for a in args if a == '-w' or a.startswith('-W')]


def names(path):
    with open(path) as f:
        return [l.strip() for l in f if l.strip() and not l.startswith('#')]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--corpus', default=os.path.join(HERE, '..', 'corpus', 'oz'))
    ap.add_argument('--list', default=os.path.join(HERE, '..', 'bench',
                                                   'size-valset.txt'))
    ap.add_argument('--bitcode', help='write NAME.bc here')
    ap.add_argument('--preprocessed', help='write NAME.i here')
    ap.add_argument('--check', action='store_true',
                    help='each .i compiles to the objects its .bc does')
    ap.add_argument('--clang', default=CLANG)
    a = ap.parse_args()
    # __FILE__ strings keep the path: the corpus's own spelling of it.
    a.corpus = os.path.realpath(a.corpus)
    if not a.bitcode and not a.preprocessed:
        ap.error('nothing to do: give --bitcode DIR and/or --preprocessed DIR')
    db = sqlite3.connect(os.path.join(a.corpus, 'corpus.db'))
    failed = 0
    warnings = []  # over all modules, in first-seen order
    work = tempfile.mkdtemp(prefix='heldout-set-')
    for name in names(a.list):
        pkg, prefix = name.rsplit('-', 1)
        row = db.execute(
            "SELECT m.path, t.file, t.flags FROM modules m JOIN tus t "
            "ON t.hash = m.hash WHERE m.hash LIKE ? AND m.package = ? "
            "ORDER BY t.file LIMIT 1", (prefix + '%', pkg)).fetchone()
        if not row:
            print(f'{name}: not in {a.corpus}', file=sys.stderr)
            failed += 1
            continue
        module, file, flags = row
        bc = os.path.join(a.corpus, module)
        if a.bitcode:
            os.makedirs(a.bitcode, exist_ok=True)
            shutil.copyfile(bc, os.path.join(a.bitcode, name + '.bc'))
        if not a.preprocessed:
            continue
        roots = glob.glob(os.path.join(a.corpus, 'src', pkg, '*', ''))
        if len(roots) != 1:
            print(f'{name}: no unpacked source of {pkg}', file=sys.stderr)
            failed += 1
            continue
        root = roots[0].rstrip('/')
        shim = os.path.join(a.corpus, 'work', pkg, 'shim')
        args = [x for x in flags.replace('$SRC', root).replace(
            '$SHIM', shim).split() if x not in ('-c', '-emit-llvm')]
        warnings += [w for w in warning_flags(args) if w not in warnings]
        src = os.path.join(root, file)
        os.makedirs(a.preprocessed, exist_ok=True)
        out = os.path.join(a.preprocessed, name + '.i')
        p = subprocess.run([a.clang, '-E'] + args + [src, '-o', out],
                           cwd=os.path.dirname(src), capture_output=True,
                           text=True)
        if p.returncode:
            print(f'{name}: preprocessing failed: {p.stderr.strip()[:300]}',
                  file=sys.stderr)
            failed += 1
            continue
        if a.check:
            got = os.path.join(work, 'i.o')
            want = os.path.join(work, 'bc.o')
            subprocess.run([a.clang, '-Oz', '-c'] + warning_flags(args) +
                           [out, '-o', got], check=True)
            subprocess.run([a.clang, '-Oz', '-c', bc, '-o', want], check=True)
            if object_sections(got) != object_sections(want):
                print(f'{name}: the .i gives {object_sections(got)}, the .bc '
                      f'{object_sections(want)}', file=sys.stderr)
                failed += 1
    shutil.rmtree(work, ignore_errors=True)
    if a.preprocessed:
        print('compile the .i files with: ' +
              ' '.join('--cc-arg=' + f for f in warnings))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
