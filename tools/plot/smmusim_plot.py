#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""smmusim plot: pictures of what the simulator already writes.

  smmusim_plot.py latency STATS.json -o OUT.svg|png [--histogram NAME]... [--roi]
      a latency histogram per queue from `smmusim run --stats` (or the
      histogram statistics NAME, e.g. soc.smmu.xlat.latency); --roi: the
      region of interest's (the JSON's "roi")
  smmusim_plot.py study STUDY.json -o OUT
      a study's curves: `rows` of {size, threads, trapped_us, vcmdq_us}
  smmusim_plot.py sweep SWEEP.csv -o OUT [--x PARAM] [--y COLUMN]
      a sweep's lines (default: the first parameter, the first column)
  smmusim_plot.py surface SWEEP.csv -o OUT --x PARAM --y PARAM [--z COLUMN]
      a sweep's surface: a heat map of COLUMN over two parameters

Every kind takes --title and --describe FILE ('-': stdout): a JSON of what
was drawn ({"kind", "output", "series": [{"name", "panel", "points"}]}),
the interface tests and scripts check. The format follows OUT's suffix. The
output is deterministic (no date, fixed SVG ids). Exit status 0, or 2 for
bad usage or input, with the file and the key or line at fault.
This file is the command line only: plot_inputs.py reads, plot_kinds.py
draws."""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import matplotlib  # noqa: E402

matplotlib.use("Agg")
matplotlib.rcParams["svg.hashsalt"] = "smmusim"

import plot_inputs  # noqa: E402
import plot_kinds  # noqa: E402
from plot_inputs import InputError  # noqa: E402

FORMATS = {".svg": "svg", ".png": "png"}


def parser():
    p = argparse.ArgumentParser(prog="smmusim plot", description="plot statistics, a study or a sweep")
    p.add_argument("kind", choices=["latency", "study", "sweep", "surface"])
    p.add_argument("input", help="statistics JSON (latency), study JSON (study), sweep CSV (sweep, surface)")
    p.add_argument("-o", "--output", required=True, help="the image to write: .svg or .png")
    p.add_argument("--title", help="the figure's title (default: the input's name)")
    p.add_argument("--describe", metavar="FILE", help="write what was drawn as JSON ('-': stdout)")
    p.add_argument("--histogram", action="append", metavar="NAME",
                   help="latency: this histogram statistic instead of the queues' (repeatable)")
    p.add_argument("--roi", action="store_true",
                   help="latency: the region of interest's histograms (the JSON's \"roi\"), not the whole run's")
    p.add_argument("--x", help="sweep/surface: the parameter on the x axis")
    p.add_argument("--y", help="sweep: the column plotted; surface: the parameter on the y axis")
    p.add_argument("--z", help="surface: the column shown as colour (default: the first)")
    return p


# The kinds each option goes with: given to another kind it would be
# ignored without a word, so it is an error.
OPTION_KINDS = {"histogram": ("latency",), "roi": ("latency",), "x": ("sweep", "surface"), "y": ("sweep", "surface"),
                "z": ("surface",)}


def check_options(a):
    for opt, kinds in OPTION_KINDS.items():
        if getattr(a, opt) not in (None, False) and a.kind not in kinds:
            raise InputError(f"--{opt}", f"goes with {' or '.join(kinds)}, not {a.kind}")
    # Both outputs' folders are checked before either is written, so that a
    # failure leaves no image behind it.
    for opt, path in (("-o", a.output), ("--describe", a.describe)):
        if path and path != "-" and not os.path.isdir(os.path.dirname(path) or "."):
            raise InputError(path, f"cannot write ({opt}): No such file or directory")
        if path and path != "-" and os.path.isdir(path):
            raise InputError(path, f"cannot write ({opt}): Is a directory")
    for i, name in enumerate(a.histogram or []):
        if name in a.histogram[:i]:
            raise InputError(f"--histogram {name}", "is given twice")


def draw(a):
    title = a.title or os.path.basename(a.input)
    if a.kind == "latency":
        return plot_kinds.latency(plot_inputs.latency_histograms(a.input, a.histogram, a.roi), title)
    if a.kind == "study":
        return plot_kinds.study(plot_inputs.study_rows(a.input), title)
    table = plot_inputs.sweep_table(a.input)
    params, columns, _ = table
    if not columns:
        raise InputError(a.input, "the sweep has no column (no statistic after 'exit' in the header) to plot")
    if a.kind == "sweep":
        if not params:
            raise InputError(a.input, "the sweep has no parameter to put on the x axis")
        return plot_kinds.sweep(table, a.input, a.x or params[0], a.y or columns[0], title)
    if a.x is None or a.y is None:
        raise InputError(a.input, "surface needs --x PARAM and --y PARAM")
    return plot_kinds.surface(table, a.input, a.x, a.y, a.z or columns[0], title)


def describe(a, drawn):
    doc = {"kind": a.kind, "input": a.input, "output": a.output, "series": drawn}
    text = json.dumps(doc, indent=2) + "\n"
    if a.describe == "-":
        sys.stdout.write(text)
        return
    with open(a.describe, "w", encoding="utf-8") as f:
        f.write(text)


def main(argv=None):
    a = parser().parse_args(argv)
    fmt = FORMATS.get(os.path.splitext(a.output)[1].lower())
    if fmt is None:
        print(f"smmusim plot: {a.output}: the output must end in .svg or .png", file=sys.stderr)
        return 2
    try:
        check_options(a)
        fig, drawn = draw(a)
        meta = {"Date": None} if fmt == "svg" else {"Software": None}
        fig.savefig(a.output, format=fmt, metadata=meta)
        if a.describe:
            describe(a, drawn)
    except InputError as e:
        print(f"smmusim plot: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"smmusim plot: {e.filename}: cannot write: {e.strerror}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
