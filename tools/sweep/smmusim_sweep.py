#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""smmusim sweep: a grid of parameters × traces (or studies), each point an
independent `smmusim run` (or `smmusim study`), merged into one CSV and a
plot (tools/sweep/README.md).

  smmusim_sweep.py run SPEC.toml --smmusim BIN [--out DIR] [--jobs N] [--no-plot]
                   [--slurm [--partition P] [--time T] [--max-running M]
                            [--sbatch-arg ARG]... [--timeout S] [--no-wait]]
  smmusim_sweep.py point OUT INDEX     one point of OUT/plan.json (a Slurm array task)
  smmusim_sweep.py merge OUT [--no-plot]   merge OUT's points again (after --no-wait)

Exit status: 0 every point ran with status 0; 1 merged, but a point failed
(exit 1, a signal or its timeout: its cells are empty where it wrote
nothing); 2 bad usage, a bad spec (SPEC:LINE:COL), a value the simulator
refuses, a job Slurm refused or lost, or points that cannot be merged.
This file is the command line only."""

import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "plot"))

import sweep_local  # noqa: E402
import sweep_merge  # noqa: E402
import sweep_plan  # noqa: E402
import sweep_slurm  # noqa: E402
import sweep_spec  # noqa: E402


def positive(text):
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n <= 0:
        raise argparse.ArgumentTypeError(f"'{text}' is not a positive whole number")
    return n


def parser():
    p = argparse.ArgumentParser(prog="smmusim sweep", description="parameters x traces, merged into one CSV")
    sub = p.add_subparsers(dest="cmd", required=True)
    # Its usage as the launcher is typed: `./smmusim sweep SPEC.toml ...` (the
    # launcher adds `run`).
    r = sub.add_parser("run", prog="smmusim sweep", help="run a sweep")
    r.add_argument("spec", help="the sweep's SPEC.toml")
    # The launcher (./smmusim sweep) passes the program it built: not the
    # user's option, so not in the help.
    r.add_argument("--smmusim", required=True, help=argparse.SUPPRESS)
    r.add_argument("--out", help="output folder (default: ./sweep-NAME); on a cluster, one every node sees")
    r.add_argument("--jobs", type=positive, default=os.cpu_count(), help="local processes at a time (default: nproc)")
    r.add_argument("--no-plot", action="store_true", help="the CSV only ([plot] is not checked)")
    r.add_argument("--slurm", action="store_true", help="run the points as a Slurm job array (sbatch --array)")
    r.add_argument("--partition", help="--slurm: the partition (default: the cluster's)")
    r.add_argument("--time", help="--slurm: each task's time limit (sbatch --time, e.g. 00:10:00)")
    r.add_argument("--max-running", type=positive, help="--slurm: at most this many tasks at once (--array=0-N%%M)")
    r.add_argument("--sbatch-arg", action="append", metavar="ARG", help="--slurm: one more sbatch option")
    r.add_argument("--timeout", type=float, help="--slurm: cancel the job after this many seconds")
    r.add_argument("--no-wait", action="store_true", help="--slurm: submit and exit; merge later")
    pt = sub.add_parser("point", help="run one point of a plan (what each array task runs)")
    pt.add_argument("out")
    pt.add_argument("index", type=int)
    m = sub.add_parser("merge", help="merge the points of OUT into OUT/NAME.csv (and the plot)")
    m.add_argument("out")
    m.add_argument("--no-plot", action="store_true")
    return p


def plot(plan, out, csv_path):
    """OUT/NAME.svg as [plot] asks, by smmusim plot's own command line."""
    import smmusim_plot
    p = plan["plot"]
    if p["kind"] == "none":
        return None
    svg = os.path.join(out, plan["name"] + ".svg")
    args = ["sweep" if p["kind"] == "lines" else "surface", csv_path, "-o", svg, "--x", p["x"], "--y", p["y"],
            "--title", f"smmusim sweep {plan['name']}"] + (["--z", p["z"]] if "z" in p else [])
    if smmusim_plot.main(args) != 0:
        raise sweep_merge.MergeError(f"{svg}: the plot could not be drawn (see above); the CSV is written: {csv_path}")
    return svg


def finish(plan, out, no_plot):
    csv_path, results = sweep_merge.merge(plan, out)
    svg = None if no_plot else plot(plan, out, csv_path)
    print(f"smmusim sweep: {len(results)} points merged into {csv_path}" + (f", plot {svg}" if svg else ""))
    failed = [r for r in results if r["exit"] != 0]
    for r in failed:
        print(f"smmusim sweep: point {r['index']} failed (exit {r['exit']}): "
              f"{sweep_plan.files(out, r['index'])['log']}", file=sys.stderr)
    return 1 if failed else 0


SLURM_ONLY = ("partition", "time", "max_running", "sbatch_arg", "timeout", "no_wait")


def run(a):
    if not a.slurm:
        given = [o for o in SLURM_ONLY if getattr(a, o) not in (None, False)]
        if given:
            raise sweep_merge.MergeError(f"--{given[0].replace('_', '-')} goes with --slurm")
    spec = sweep_spec.load(a.spec, plot=not a.no_plot)
    if not (os.path.isfile(a.smmusim) and os.access(a.smmusim, os.X_OK)):
        raise sweep_merge.MergeError(f"--smmusim {a.smmusim}: not an executable program")
    out = os.path.abspath(a.out or f"sweep-{spec.name}")
    plan = sweep_plan.expand(spec, a.smmusim)
    sweep_plan.clear(out)
    sweep_plan.write(plan, out)
    sweep_local.check_settings(spec, plan, out, a.jobs)
    if not a.slurm:
        sweep_local.run_points(plan, out, a.jobs)
        return finish(plan, out, a.no_plot)
    job = sweep_slurm.submit(plan, out, a)
    print(f"smmusim sweep: submitted job {job}: {len(plan['points'])} array tasks, logs in {out}/logs")
    if a.no_wait:
        print(f"smmusim sweep: when it is done: ./smmusim sweep merge {out}")
        return 0
    sweep_slurm.wait(job, a.timeout)
    return finish(plan, out, a.no_plot)


def main(argv=None):
    a = parser().parse_args(argv)
    try:
        if a.cmd == "run":
            return run(a)
        if a.cmd == "merge":
            return finish(sweep_plan.read(os.path.abspath(a.out)), os.path.abspath(a.out), a.no_plot)
        out = os.path.abspath(a.out)
        plan = sweep_plan.read(out)
        if not 0 <= a.index < len(plan["points"]):
            raise sweep_merge.MergeError(f"point {a.index}: the plan has points 0 to {len(plan['points']) - 1}")
        sweep_plan.run_point(plan, out, a.index)
        return 0
    except (sweep_spec.SpecError, sweep_merge.MergeError, sweep_plan.PlanError, sweep_slurm.SlurmError) as e:
        print(f"smmusim sweep: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"smmusim sweep: {e.filename}: {e.strerror}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
