# SPDX-License-Identifier: GPL-2.0-only
"""Running a sweep's work on this machine: N processes at a time from a
thread pool (no scheduler of our own), for the points of a plan and for
the check of every parameter value before any point runs. What a point
runs is sweep_plan.py's; a cluster's array job is sweep_slurm.py's."""

import os
import subprocess
from concurrent.futures import ThreadPoolExecutor

import sweep_plan
from sweep_merge import CLI_TRAILER
from sweep_spec import SpecError

CHECK_TRACE = "check.trace"


def pool_map(fn, items, jobs):
    """[fn(x) for x in items], `jobs` at a time, in the items' order."""
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(fn, items))


def run_points(plan, out, jobs):
    """Every point of the plan; their results in index order."""
    return pool_map(lambda i: sweep_plan.run_point(plan, out, i), range(len(plan["points"])), jobs)


def _reason(text):
    """The simulator's message without the option parser's trailer."""
    return "\n".join(line for line in text.strip().splitlines() if line.strip() != CLI_TRAILER).strip()


def check_studies(spec, plan, jobs):
    """Each study name through the program's own option parser
    (`smmusim study NAME --help`: the name is checked before the help is
    printed; nothing runs), before any point runs: a name it refuses is a
    SpecError at [sweep] studies, with the program's reason."""
    def check(name):
        r = subprocess.run([plan["smmusim"], "study", name, "--help"], stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, timeout=120)
        return name, r.returncode, _reason(r.stderr or r.stdout)

    for name, rc, why in pool_map(check, spec.studies, jobs):
        if rc != 0:
            raise spec.error("sweep", "studies", f"study '{name}': the simulator refuses it (exit {rc}): {why}")


def check_settings(spec, plan, out, jobs):
    """Each study name (check_studies), then each parameter value alone
    (with the spec's config) through the simulator on a one-line trace,
    before anything runs (a study's own study.* excepted): a value smmusim
    refuses (unknown key, wrong type, out of range) is a SpecError at the
    parameter in the spec, with the simulator's reason."""
    check_studies(spec, plan, jobs)
    trace = os.path.join(out, CHECK_TRACE)
    with open(trace, "w", encoding="utf-8") as f:
        f.write("# smmusim sweep: a parameter value is checked on this one-line trace\nwait 1\n")
    # A study's own parameters (study.*) are known to `smmusim study` only:
    # its points check them.
    pairs = sorted({(k, v) for p in plan["points"] for k, v in p["set"].items() if not k.startswith("study.")})
    if not pairs:
        pairs = [None]  # still check the config file

    def check(pair):
        point = {"set": dict([pair]) if pair else {}}
        r = subprocess.run(sweep_plan.command(plan, point, os.devnull, trace), stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, timeout=120)
        return pair, r.returncode, _reason(r.stderr or r.stdout)

    for pair, rc, why in pool_map(check, pairs, jobs):
        if rc == 0:
            continue
        if pair is None:
            raise spec.error("sweep", "config", f"the simulator refuses the configuration: {why}")
        raise SpecError(spec.where("parameters", pair[0]),
                        f"parameter {pair[0]} = {pair[1]}: the simulator refuses it (exit {rc}): {why}")
