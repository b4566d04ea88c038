#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
# Shows that a change of the golden documents' shape changed no figure:
# every value a golden file held at REV (default: main) is still there, at
# the same place, with the same value, in the working tree's file. Prints
# what was added and exits 1 if any old figure changed or went missing.
#
#   tests/sim/golden_superset.py [REV]
#
# Lists are compared element by element (the order of queues is part of the
# figures, so it is checked too).
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def leaves(doc, path=""):
    """(path, value) of every scalar in doc."""
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from leaves(v, f"{path}/{k}")
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield from leaves(v, f"{path}[{i}]")
    else:
        yield path, doc


def prefixes(path):
    """Every ancestor of a leaf path and the path itself, shortest first."""
    cut = [i for i, ch in enumerate(path) if ch in "/[" and i > 0]
    return [path[:i] for i in cut] + [path]


def added_roots(old, new):
    """The shortest new paths that hold what was added (a new statistic, not each of its leaves)."""
    had = {p for path in old for p in prefixes(path)}
    roots = set()
    for path in new:
        if path not in old:
            roots.add(next(p for p in prefixes(path) if p not in had))
    return sorted(roots)


def main():
    rev = sys.argv[1] if len(sys.argv) > 1 else "main"
    bad = 0
    for new_path in sorted((ROOT / "traces" / "golden").glob("*.json")):
        rel = new_path.relative_to(ROOT).as_posix()
        try:
            old_text = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:{rel}"], check=True,
                                      capture_output=True, text=True).stdout
        except subprocess.CalledProcessError:
            print(f"{rel}: new file")
            continue
        old = dict(leaves(json.loads(old_text)))
        new = dict(leaves(json.loads(new_path.read_text())))
        changed = [p for p in old if p not in new or new[p] != old[p]]
        added = added_roots(old, new)
        for p in changed:
            print(f"{rel}: {p}: {old[p]!r} -> {new.get(p, '<missing>')!r}")
        bad += len(changed)
        print(f"{rel}: {len(old)} figures before, all unchanged" if not changed else
              f"{rel}: {len(changed)} of {len(old)} figures changed", end="")
        print(f"; added: {', '.join(added) if added else 'nothing'}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
