# SPDX-License-Identifier: GPL-2.0-only
"""One function per kind of plot of `smmusim plot`: each takes checked data
(plot_inputs.py) and returns a matplotlib Figure plus the list of series it
drew, [{"name", "panel", "points"}], which is what `--describe` reports.
Every series' artist (a histogram's: its panel) gets its name as gid, so
an SVG names it too.
Reading files and writing images are not done here."""

import math
import os

from matplotlib.figure import Figure

from plot_inputs import InputError, categories, number


def _series(drawn, artist, name, panel, points):
    artist.set_gid(name)
    drawn.append({"name": name, "panel": panel, "points": points})


def latency(hists, title):
    """A histogram per queue (or statistic): one panel each, a bar per
    bucket [lo, hi] of the latency statistic."""
    fig = Figure(figsize=(7, 2.2 * len(hists) + 0.6), layout="constrained")
    axes = fig.subplots(len(hists), 1, squeeze=False)[:, 0]
    drawn = []
    for ax, (name, h) in zip(axes, hists):
        b = h["buckets"]
        bars = ax.bar([x["lo"] for x in b], [x["count"] for x in b],
                      width=[x["hi"] - x["lo"] + 1 for x in b], align="edge")
        _series(drawn, ax, name, name, len(bars))
        ax.set_title(f"{name}: n={h['count']} p50={h.get('p50')} p99={h.get('p99')} max={h.get('max')}",
                     fontsize=9)
        ax.set_xlabel(f"latency ({h['unit'] or 'cycles'})")
        ax.set_ylabel("count")
    fig.suptitle(title)
    return fig, drawn


def _size_label(size):
    for unit, div in (("M", 1 << 20), ("K", 1 << 10)):
        if size >= div and size % div == 0:
            return f"{size // div}{unit}"
    return str(size)


def study(rows, title):
    """A study's curves: per-unmap latency against buffer size for each
    path and thread count, and the reduction VCMDQ brings (percent)."""
    fig = Figure(figsize=(10, 4), layout="constrained")
    lat, red = fig.subplots(1, 2)
    drawn = []
    sizes = sorted({r["size"] for r in rows})
    for threads in sorted({r["threads"] for r in rows}):
        mine = sorted((r for r in rows if r["threads"] == threads), key=lambda r: r["size"])
        tag = f"{threads} thread" + ("s" if threads > 1 else "")
        for path in ("trapped", "vcmdq"):
            pts = [(r["size"], r[path + "_us"]) for r in mine if r[path + "_us"] is not None]
            line, = lat.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=f"{path}, {tag}")
            _series(drawn, line, f"{path}/{threads}", "latency", len(pts))
        pts = [(r["size"], 100.0 * (r["trapped_us"] - r["vcmdq_us"]) / r["trapped_us"])
               for r in mine if r["trapped_us"] and r["vcmdq_us"] is not None]
        line, = red.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=tag)
        _series(drawn, line, f"reduction/{threads}", "reduction", len(pts))
    for ax, ylabel in ((lat, "per-unmap latency (us)"), (red, "VCMDQ vs trapped: reduction (%)")):
        ax.set_xscale("log", base=2)
        ax.set_xticks(sizes, [_size_label(s) for s in sizes])
        ax.set_xlabel("unmapped buffer size")
        ax.set_ylabel(ylabel)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle(title)
    return fig, drawn


def _group_key(row, keys):
    return tuple(row[k] for k in keys)


def _natural(key):
    """Sorts groups by value: numbers as numbers (40 before 120), then text."""
    def one(v):
        try:
            return (0, float(v), "")
        except ValueError:
            return (1, 0.0, v)
    return tuple(one(v) for v in key)


def _group_label(key, keys):
    return ", ".join(f"{k}={os.path.basename(v) if k == 'trace' else v}" for k, v in zip(keys, key))


def sweep(table, path, x, y, title):
    """A sweep's lines: column y against parameter x, one line per value of
    the trace and the other parameters."""
    params, columns, rows = table
    _check_choice(path, x, params, "--x", "a parameter")
    _check_choice(path, y, columns, "--y", "a column")
    others = ["trace"] + [p for p in params if p != x]
    fig = Figure(figsize=(8, 5), layout="constrained")
    ax = fig.subplots()
    drawn = []
    cats = categories(rows, y)
    for key in sorted({_group_key(r, others) for r in rows}, key=_natural):
        mine = [r for r in rows if _group_key(r, others) == key]
        xs, ys = number(path, mine, x), _y_values(path, mine, y, cats)
        pts = sorted((a, b) for a, b in zip(xs, ys) if not math.isnan(b))
        name = _group_label(key, others)
        line, = ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=name)
        _series(drawn, line, name, "lines", len(pts))
    if cats:
        ax.set_yticks(range(len(cats)), cats)
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=7)
    fig.suptitle(title)
    return fig, drawn


def _y_values(path, rows, y, cats):
    """Column y as numbers, or (a text column) as the index of each cell
    in `cats`; NaN for an empty cell."""
    if not cats:
        return number(path, rows, y)
    return [cats.index(r[y]) if r[y] != "" else math.nan for r in rows]


def surface(table, path, x, y, z, title):
    """A sweep's surface: column z over parameters x and y as a heat map,
    one panel per value of the trace and the other parameters."""
    params, columns, rows = table
    _check_choice(path, x, params, "--x", "a parameter")
    _check_choice(path, y, params, "--y", "a parameter")
    _check_choice(path, z, columns, "--z", "a column")
    if x == y:
        raise InputError(path, f"--x and --y are both '{x}': a surface needs two parameters")
    if categories(rows, z):
        raise InputError(path, f"--z '{z}': the column holds text ('{categories(rows, z)[0]}'), a surface's "
                               "colour needs numbers (draw it with `sweep` as categories, or choose another)")
    others = ["trace"] + [p for p in params if p not in (x, y)]
    keys = sorted({_group_key(r, others) for r in rows}, key=_natural)
    fig = Figure(figsize=(6, 4.5 * len(keys)), layout="constrained")
    axes = fig.subplots(len(keys), 1, squeeze=False)[:, 0]
    drawn = []
    for ax, key in zip(axes, keys):
        mine = [r for r in rows if _group_key(r, others) == key]
        name = _group_label(key, others)
        cells = _heat(fig, ax, path, mine, (x, y, z))
        _series(drawn, ax.collections[0], name, name, cells)
        ax.set_title(name, fontsize=8)
    fig.suptitle(title)
    return fig, drawn


def _heat(fig, ax, path, rows, xyz):
    """Draws one heat map; returns how many cells have a value."""
    x, y, z = xyz
    xs = sorted(set(number(path, rows, x)))
    ys = sorted(set(number(path, rows, y)))
    grid = [[math.nan] * len(xs) for _ in ys]
    for a, b, c in zip(number(path, rows, x), number(path, rows, y), number(path, rows, z)):
        grid[ys.index(b)][xs.index(a)] = c
    mesh = ax.pcolormesh(grid, shading="flat")
    ax.set_xticks([i + 0.5 for i in range(len(xs))], [f"{v:g}" for v in xs])
    ax.set_yticks([i + 0.5 for i in range(len(ys))], [f"{v:g}" for v in ys])
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    fig.colorbar(mesh, ax=ax, label=z)
    return sum(1 for line in grid for c in line if not math.isnan(c))


def _check_choice(path, value, allowed, option, what):
    if value not in allowed:
        raise InputError(path, f"{option} '{value}' is not {what} of this sweep (it has: {', '.join(allowed)})")
