# SPDX-License-Identifier: GPL-2.0-only
"""A sweep as a Slurm job array: the batch script (OUT/NAME.sbatch, one
array task per point, each `smmusim_sweep.py point OUT I`), its
submission with `sbatch --array=0-(N-1)`, and the wait for it by polling
`squeue` (cancelled with `scancel` past the timeout). The cluster is
Slurm's; nothing here schedules. Merging is sweep_merge.py's."""

import os
import shlex
import subprocess
import sys
import time

SWEEP_PY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "smmusim_sweep.py")


class SlurmError(Exception):
    pass


def batch_script(plan, out, opts):
    """The text of the batch script; opts: partition, time, max_running."""
    n = len(plan["points"])
    logs = os.path.join(out, "logs")
    if any(c.isspace() for c in logs):
        raise SlurmError(f"{out}: Slurm's #SBATCH lines cannot hold a path with white space: choose another --out")
    array = f"0-{n - 1}" + (f"%{opts.max_running}" if opts.max_running else "")
    lines = ["#!/bin/sh",
             f"# smmusim sweep '{plan['name']}': one array task per point (tools/sweep/README.md).",
             f"# Submitted as `sbatch {os.path.join(out, plan['name'] + '.sbatch')}`; merged by",
             f"# `./smmusim sweep merge {out}` (or at once by `./smmusim sweep` without --no-wait).",
             f"#SBATCH --job-name=smmusim-{plan['name']}",
             f"#SBATCH --array={array}",
             "#SBATCH --ntasks=1",
             "#SBATCH --cpus-per-task=1",
             f"#SBATCH --output={logs}/task-%a.out"]
    lines += [f"#SBATCH --partition={opts.partition}"] if opts.partition else []
    lines += [f"#SBATCH --time={opts.time}"] if opts.time else []
    task = [sys.executable, SWEEP_PY, "point", out]
    lines.append(f'exec {" ".join(shlex.quote(a) for a in task)} "$SLURM_ARRAY_TASK_ID"')
    return "\n".join(lines) + "\n"


def submit(plan, out, opts):
    """Writes the script, submits it; returns the job id."""
    os.makedirs(os.path.join(out, "logs"), exist_ok=True)
    script = os.path.join(out, plan["name"] + ".sbatch")
    with open(script, "w", encoding="utf-8") as f:
        f.write(batch_script(plan, out, opts))
    cmd = ["sbatch", "--parsable"] + list(opts.sbatch_arg or []) + [script]
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    except FileNotFoundError:
        raise SlurmError("sbatch is not installed here: --slurm runs where Slurm's client commands are") from None
    except subprocess.TimeoutExpired:
        raise SlurmError("sbatch did not answer within 120 s (is slurmctld up?)") from None
    if r.returncode != 0:
        raise SlurmError(f"sbatch refused the job (exit {r.returncode}): {r.stderr.strip()}")
    return r.stdout.strip().split(";")[0]


def wait(job, timeout):
    """Polls squeue until no task of `job` is left; past `timeout` seconds
    (None: no limit) the job is cancelled and SlurmError raised."""
    start, pause = time.monotonic(), 0.5
    while True:
        r = subprocess.run(["squeue", "-h", "-j", job, "-o", "%i %T"], capture_output=True, text=True, timeout=120)
        if r.returncode != 0 and "Invalid job id" not in r.stderr:
            raise SlurmError(f"squeue failed (exit {r.returncode}): {r.stderr.strip()}")
        if r.returncode != 0 or not r.stdout.strip():
            return
        if timeout is not None and time.monotonic() - start > timeout:
            subprocess.run(["scancel", job], capture_output=True, timeout=120)
            raise SlurmError(f"job {job} still had tasks after {timeout} s: cancelled (scancel {job})")
        time.sleep(pause)
        pause = min(pause * 2, 10)
