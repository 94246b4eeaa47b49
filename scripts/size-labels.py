#!/usr/bin/env python3
"""Keep neuropt-size's labels and sweeps in the repository, beside the model.

`neuropt-eval label` (pipeline searches, table size_search) and `neuropt-eval
sweep` (pipelines measured on modules, table size_eval) keep their results in
the corpus database, which every step of models/size/regenerate.sh resumes
from. The corpus itself is rebuilt from Debian sources and is not part of the
repository, so a fresh checkout would redo hours of measurement. This script
stores those tables in an archive directory and loads them back:

    python3 scripts/size-labels.py import [--corpus corpus/oz] [--archive models/size/labels]
    python3 scripts/size-labels.py export [--corpus corpus/oz] [--archive models/size/labels]

Rows are keyed by module hash (a hash of the module's bitcode) and pipeline,
so they apply only to a corpus with the same module; rows of modules that a
rebuilt corpus lacks do no harm. `import` never overwrites a row the
database already has. `export` first imports the archive, so it writes the
union of both and loses nothing. The archive is deterministic for given
rows: gzip without a timestamp, rows sorted, pipelines stored once in
pipelines.txt.gz and referred to by their line number.

Files: schema.sql (the tables' CREATE statements, taken from the database),
pipelines.txt.gz, and TABLE.tsv.gz per table (tab-separated, \\N for NULL).
Standard library only.
"""
import argparse
import gzip
import os
import sqlite3
import sys

TABLES = ("size_search", "size_eval")
NULL = "\\N"


def is_pipeline(column):
    return column.endswith("pipeline")


def columns(db, table):
    return [(r[1], r[2]) for r in db.execute("PRAGMA table_info(%s)" % table)]


def write_gz(path, lines):
    tmp = path + ".tmp"
    with open(tmp, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as f:
        for line in lines:
            f.write(line.encode() + b"\n")
    os.replace(tmp, path)


def read_gz(path):
    with gzip.open(path, "rt") as f:
        return [line.rstrip("\n") for line in f]


def cell(v):
    if v is None:
        return NULL
    if isinstance(v, float):
        return "%.3f" % v
    s = str(v)
    if "\t" in s or "\n" in s:
        sys.exit("size-labels: a value holds a tab or a newline: %r" % s[:80])
    return s


def open_db(corpus):
    path = os.path.join(corpus, "corpus.db")
    if not os.path.exists(path):
        sys.exit("size-labels: no corpus database at %s (build the corpus first)" % path)
    db = sqlite3.connect(path, timeout=60)
    db.execute("PRAGMA busy_timeout = 60000")
    return db


def do_import(db, archive):
    schema = os.path.join(archive, "schema.sql")
    if not os.path.exists(schema):
        return {}
    for stmt in open(schema).read().split(";\n"):
        stmt = stmt.strip()
        if stmt:
            if not stmt.upper().startswith("CREATE TABLE IF NOT EXISTS"):
                stmt = "CREATE TABLE IF NOT EXISTS" + stmt[len("CREATE TABLE"):]
            db.execute(stmt)
    pipelines = read_gz(os.path.join(archive, "pipelines.txt.gz"))
    added = {}
    for table in TABLES:
        path = os.path.join(archive, table + ".tsv.gz")
        if not os.path.exists(path):
            continue
        lines = read_gz(path)
        names = lines[0].split("\t")
        cols = dict(columns(db, table))
        if sorted(names) != sorted(cols):
            sys.exit("size-labels: %s's columns %s differ from the database's %s"
                     % (path, names, sorted(cols)))
        rows = []
        for line in lines[1:]:
            vals = []
            for name, v in zip(names, line.split("\t")):
                if v == NULL:
                    vals.append(None)
                elif is_pipeline(name):
                    vals.append(pipelines[int(v)])
                elif cols[name].upper() in ("INTEGER", "REAL"):
                    vals.append(int(v) if cols[name].upper() == "INTEGER" else float(v))
                else:
                    vals.append(v)
            rows.append(vals)
        before = db.total_changes
        db.executemany("INSERT OR IGNORE INTO %s(%s) VALUES(%s)"
                       % (table, ",".join(names), ",".join("?" * len(names))), rows)
        added[table] = (db.total_changes - before, len(rows))
    db.commit()
    return added


def do_export(db, archive):
    os.makedirs(archive, exist_ok=True)
    have = {r[0]: r[1] for r in db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")}
    tables = [t for t in TABLES if t in have]
    if not tables:
        sys.exit("size-labels: the corpus database has none of the tables %s" % ", ".join(TABLES))
    pipes = set()
    for t in tables:
        for name, _ in columns(db, t):
            if is_pipeline(name):
                pipes.update(r[0] for r in db.execute("SELECT DISTINCT %s FROM %s" % (name, t))
                             if r[0] is not None)
    pipes = sorted(pipes)
    index = {p: i for i, p in enumerate(pipes)}
    with open(os.path.join(archive, "schema.sql.tmp"), "w") as f:
        for t in tables:
            f.write(have[t].strip() + ";\n")
    os.replace(os.path.join(archive, "schema.sql.tmp"), os.path.join(archive, "schema.sql"))
    write_gz(os.path.join(archive, "pipelines.txt.gz"), pipes)
    counts = {}
    for t in tables:
        names = [c for c, _ in columns(db, t)]
        lines = []
        for row in db.execute("SELECT %s FROM %s" % (",".join(names), t)):
            lines.append("\t".join(str(index[v]) if is_pipeline(n) and v is not None else cell(v)
                                   for n, v in zip(names, row)))
        lines.sort()
        write_gz(os.path.join(archive, t + ".tsv.gz"), ["\t".join(names)] + lines)
        counts[t] = len(lines)
    return counts, len(pipes)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("command", choices=("import", "export"))
    ap.add_argument("--corpus", default="corpus/oz")
    ap.add_argument("--archive", default="models/size/labels")
    a = ap.parse_args()
    db = open_db(a.corpus)
    added = do_import(db, a.archive)
    for t, (n, total) in sorted(added.items()):
        print("size-labels: %s: %d of the archive's %d rows added to the database" % (t, n, total))
    if a.command == "export":
        counts, npipes = do_export(db, a.archive)
        for t, n in sorted(counts.items()):
            print("size-labels: %s: %d rows written to %s" % (t, n, a.archive))
        print("size-labels: %d distinct pipelines" % npipes)


if __name__ == "__main__":
    main()
