#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""A stand-in for the smmusim program in tests/tools/sweep_test.py's study
sweeps, where the program of this build has no `study` command: it takes
the command lines `smmusim run TRACE --quiet --stats F [--set K=V]...` and
`smmusim study NAME --quiet --json F [--set K=V]...` (as the study's
command on branch study takes them), refuses a key without '=', and writes
a document of its arguments and figures derived from the settings;
`smmusim study NAME --help` exits 0 for the one study it knows and 2
(with CLI11's words) for any other, as the program does. A
setting fake.sleep=N makes a point (not the sweep's check of the value,
whose output is /dev/null) last N seconds: the Slurm test's timeout."""

import json
import os
import sys
import time


STUDIES = ("vcmdq-vs-trap",)


def main(argv):
    cmd, what, rest = argv[0], argv[1], argv[2:]
    if "--help" in rest:
        if cmd == "study" and what not in STUDIES:
            print(f"name: {what} not in {{{','.join(STUDIES)}}}\nRun with --help for more information.",
                  file=sys.stderr)
            return 2
        print(f"usage: smmusim {cmd} ...")
        return 0
    out, sets = None, {}
    while rest:
        opt = rest.pop(0)
        if opt in ("--stats", "--json", "--config"):
            value = rest.pop(0)
            out = value if opt != "--config" else out
        elif opt == "--set":
            k, eq, v = rest.pop(0).partition("=")
            if not eq:
                print(f"smmusim: --set: expected key=value, got '{k}'", file=sys.stderr)
                return 2
            sets[k] = v
    if out and out != os.devnull and "fake.sleep" in sets:
        time.sleep(int(sets["fake.sleep"]))
    scale = sum(int(v) for v in sets.values() if v.isdigit())
    doc = {"argv": argv, "sim": {"cycles": 100 + scale}}
    if cmd == "study":
        doc["rows"] = [{"size": 4096, "threads": 1, "trapped_us": 10.0 + scale, "vcmdq_us": 2.5}]
    if out:
        with open(out, "w", encoding="utf-8") as f:
            json.dump(doc, f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
