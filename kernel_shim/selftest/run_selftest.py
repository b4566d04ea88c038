#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Runs the iommufd selftest on the kernel shim and checks its results.

The cases listed in not-run.txt (each with why) are left out; every other
case of the selftest's own list (`iommufd_selftest -l`) is run, in one
process (the kselftest harness forks a child per case), selected by name
with -r.  The harness prints TAP (KTAP version 1); this reads its verdicts.

A row of not-run.txt may start with "@SERIES[,SERIES...]" (e.g. "@7.3"):
it leaves its case out only for a tree of one of those series (--kernel,
the version the program was built from); for other trees the case runs.

Passes when every case that ran passed or was skipped by the selftest
itself (its SKIP reasons are printed), and when not-run.txt names only
cases that exist.  Prints one summary line:
    iommufd selftest: N run, P pass, S skip, F fail (X not run; Linux V)
(--name names another program: "iommufd fail_nth" for iommufd_fail_nth).
Does not decide what may fail: a case that fails is a failure.
"""
import argparse
import re
import subprocess
import sys

RESULT = re.compile(r"^(ok|not ok) (\d+) (\S+)(?:\s+#\s*(\w+)\s*(.*))?$")


SERIES = re.compile(r"^\d+\.\d+$")


def series_of(version):
    """"7.3" of "7.3.4" (or of "7.3"); exits on anything else."""
    m = re.match(r"^(\d+\.\d+)(\.\d+)?(-\S*)?$", version)
    if not m:
        sys.exit(f"--kernel {version!r}: not a kernel version such as 7.3.4")
    return m.group(1)


def read_not_run(path, series):
    """{case: why} of the rows that apply to `series`, from lines
    "[@SERIES[,SERIES...] ]fixture.variant.test  why" ('#' comments)."""
    cases = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            only = None
            if line.startswith("@"):
                tag, _, line = line.partition(" ")
                only = tag[1:].split(",")
                bad = [s for s in only if not SERIES.match(s)]
                if bad or not line.strip():
                    sys.exit(f"{path}:{n}:1: '{tag}' is not '@SERIES[,SERIES...]' before a case")
                line = line.strip()
            name, _, why = line.partition(" ")
            if not why.strip():
                sys.exit(f"{path}:{n}:1: '{name}' has no reason")
            if only is not None and series not in only:
                continue
            if name in cases:
                sys.exit(f"{path}:{n}:1: '{name}' listed twice for Linux {series}")
            cases[name] = why.strip()
    return cases


def list_cases(binary):
    """Case names ("fixture.test", "fixture.variant.test") from the harness's
    -l table (kselftest_harness.h, test_harness_list_tests: per fixture,
    lines "%-20s %-25s %s" of fixture, variant, test; sections between
    dashed lines)."""
    out = subprocess.run([binary, "-l"], capture_output=True, text=True, check=False)
    names = []
    fixture, variants, tests = None, [], []

    def flush():
        for v in variants or [""]:
            names.extend(f"{fixture}.{v + '.' if v else ''}{t}" for t in tests)

    for line in out.stderr.splitlines():
        if line.startswith("# FIXTURE"):
            continue
        if line.startswith("----"):
            flush()
            fixture, variants, tests = None, [], []
            continue
        if not line.startswith(" "):
            fixture = line.split()[0]
            rest = line[max(20, len(fixture)) + 1:]
        else:
            rest = line[21:]
        variant, test = rest[:25].strip(), rest[26:].strip()
        if len(rest) > 25 and rest[25] != " ":  # a variant name wider than its column
            variant, _, test = rest.strip().partition(" ")
            test = test.strip()
        if variant:
            variants.append(variant)
        if test:
            tests.append(test)
    if fixture:
        flush()
    if not names:
        sys.exit(f"{binary} -l listed no cases:\n{out.stdout}{out.stderr}")
    return names


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("binary")
    ap.add_argument("not_run", help="not-run.txt")
    ap.add_argument("--kernel", required=True, metavar="VERSION",
                    help="the kernel version the program was built from (e.g. 7.3.4)")
    ap.add_argument("--timeout", type=int, default=3000)
    ap.add_argument("--name", default="iommufd selftest",
                    help="the summary line's name (the program's suite)")
    args = ap.parse_args()

    not_run = read_not_run(args.not_run, series_of(args.kernel))
    cases = list_cases(args.binary)
    unknown = sorted(set(not_run) - set(cases))
    if unknown:
        sys.exit(f"{args.not_run}: no such case: {', '.join(unknown)}")
    run = [c for c in cases if c not in not_run]
    argv = [args.binary]
    for c in run:
        argv += ["-r", c]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=args.timeout, check=False)
    sys.stdout.write(proc.stdout)
    sys.stderr.write(proc.stderr)

    verdict = {}
    for line in proc.stdout.splitlines():
        m = RESULT.match(line.strip())
        if m:
            verdict[m.group(3)] = (m.group(1), (m.group(4) or "").upper(), m.group(5) or "")
    passed = [c for c in run if verdict.get(c, ("", "", ""))[0] == "ok" and verdict[c][1] != "SKIP"]
    skipped = [c for c in run if verdict.get(c, ("", "", ""))[0] == "ok" and verdict[c][1] == "SKIP"]
    failed = [c for c in run if c not in passed and c not in skipped]

    print(f"\n# not run on Linux {args.kernel} ({args.not_run}):")
    for c, why in not_run.items():
        print(f"#   {c}: {why}")
    if skipped:
        print("# skipped by the selftest:")
        for c in skipped:
            print(f"#   {c}: {verdict[c][2]}")
    if failed:
        print("# failed:")
        for c in failed:
            print(f"#   {c}" + ("" if c in verdict else " (no verdict: the run stopped)"))
    print("# per fixture: run pass skip fail (not run)")
    for fx in dict.fromkeys(c.split(".")[0] for c in cases):
        def count(group):
            return sum(1 for c in group if c.split(".")[0] == fx)
        print(f"#   {fx:<26} {count(run):4} {count(passed):4} {count(skipped):4} {count(failed):4}"
              f" ({count(not_run)})")
    print(f"{args.name}: {len(run)} run, {len(passed)} pass, {len(skipped)} skip, "
          f"{len(failed)} fail ({len(not_run)} not run; Linux {args.kernel})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
