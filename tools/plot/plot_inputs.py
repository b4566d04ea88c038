# SPDX-License-Identifier: GPL-2.0-only
"""The inputs of `smmusim plot`, read and checked: the statistics JSON of
`smmusim run --stats` (traces/FORMAT.md, "Statistics"), a study's JSON
(`rows` of {size, threads, trapped_us, vcmdq_us}) and a sweep's merged CSV
(tools/sweep/README.md). Each reader returns plain data or raises
InputError naming the file and the key (or line) that is wrong; nothing
here draws."""

import csv
import json
import math


class InputError(Exception):
    """Bad input: `where` is FILE, FILE:LINE or FILE:LINE:COL."""

    def __init__(self, where, message):
        super().__init__(f"{where}: {message}")


def read_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError as e:
        raise InputError(path, f"cannot read: {e.strerror}") from None
    except UnicodeDecodeError as e:
        raise InputError(path, f"not UTF-8: {e.reason}") from None
    except json.JSONDecodeError as e:
        raise InputError(f"{path}:{e.lineno}:{e.colno}", f"not JSON: {e.msg}") from None


def need(doc, key, kind, path, where):
    """doc[key] of the Python type(s) `kind`; `where` names doc in the file."""
    if not isinstance(doc, dict) or key not in doc:
        raise InputError(path, f"key '{where}{key}' is missing")
    v = doc[key]
    if not isinstance(v, kind) or (isinstance(v, bool) and bool not in _tuple(kind)):
        raise InputError(path, f"key '{where}{key}': expected {_kind_name(kind)}, got {json.dumps(v)[:40]}")
    return v


def _tuple(kind):
    return kind if isinstance(kind, tuple) else (kind,)


def _kind_name(kind):
    names = {dict: "an object", list: "an array", str: "a string", int: "an integer",
             float: "a number", type(None): "null"}
    return " or ".join(names.get(k, k.__name__) for k in _tuple(kind))


def latency_histograms(path, names=None, roi=False):
    """[(label, histogram)] from a statistics JSON: every queue of `queues`
    with latency samples (label: the queue's name), or the histogram
    statistics `names` (label: the statistic's name). roi: those of the
    region of interest (the document's "roi": its queues and statistics)."""
    doc, top = read_json(path), ""
    if roi:
        if isinstance(doc, dict) and "roi" not in doc:
            raise InputError(path, "key 'roi' is missing: the trace had no region of interest "
                                   "(`roi begin` / `roi end`, traces/FORMAT.md)")
        doc, top = need(doc, "roi", dict, path, ""), "roi."
    stats = need(doc, "statistics", dict, path, top)
    if names:
        return [(n, _histogram(stats, n, path, top)) for n in names]
    found = []
    for i, q in enumerate(need(doc, "queues", list, path, top)):
        group = need(q, "group", str, path, f"{top}queues[{i}].")
        name = need(q, "name", str, path, f"{top}queues[{i}].")
        h = _histogram(stats, group + ".latency_cycles", path, top)
        if h["count"] > 0:
            found.append((name, h))
    if not found:
        raise InputError(path, f"no queue has latency samples (every {top}queues[*] latency count is 0)")
    return found


def _histogram(stats, name, path, top=""):
    where = f"{top}statistics.{name}."
    h = need(stats, name, dict, path, f"{top}statistics.")
    if need(h, "kind", str, path, where) != "histogram":
        raise InputError(path, f"key '{top}statistics.{name}' is a {h['kind']}, not a histogram")
    count = need(h, "count", int, path, where)
    # The simulator writes buckets in ascending order, each [lo, hi] with
    # lo <= hi, apart from the next, their counts adding up to `count`:
    # anything else would be drawn as bars that mean nothing.
    prev_hi, total = -1, 0
    for i, b in enumerate(need(h, "buckets", list, path, where)):
        bw = f"{where}buckets[{i}]"
        lo, hi, n = (need(b, k, int, path, bw + ".") for k in ("lo", "hi", "count"))
        if lo < 0 or n < 0 or lo > hi:
            raise InputError(path, f"key '{bw}': expected 0 <= lo <= hi and count >= 0, got lo {lo}, hi {hi}, "
                                   f"count {n}")
        if lo <= prev_hi:
            raise InputError(path, f"key '{bw}': lo {lo} is not above the previous bucket's hi {prev_hi} "
                                   "(buckets ascend and do not overlap)")
        prev_hi, total = hi, total + n
    if total != count:
        raise InputError(path, f"key '{where}count' is {count}, its buckets' counts add up to {total}")
    h.setdefault("unit", "")
    return h


def study_rows(path):
    """The study's rows: each {size, threads, trapped_us, vcmdq_us}, the
    latencies a number or null (not measured)."""
    doc = read_json(path)
    rows = need(doc, "rows", list, path, "")
    if not rows:
        raise InputError(path, "key 'rows' is empty")
    out, seen = [], {}
    for i, r in enumerate(rows):
        where = f"rows[{i}]."
        row = {k: need(r, k, int, path, where) for k in ("size", "threads")}
        for k in ("size", "threads"):
            if row[k] <= 0:
                raise InputError(path, f"key '{where}{k}': expected a positive integer, got {row[k]}")
        for k in ("trapped_us", "vcmdq_us"):
            row[k] = need(r, k, (int, float, type(None)), path, where)
            if row[k] is not None and not (math.isfinite(row[k]) and row[k] >= 0):
                raise InputError(path, f"key '{where}{k}': expected a finite latency >= 0 or null, got {row[k]}")
        key = (row["size"], row["threads"])
        if key in seen:
            raise InputError(path, f"rows[{i}]: size {row['size']} with {row['threads']} threads "
                                   f"is given twice (rows[{seen[key]}])")
        seen[key] = i
        out.append(row)
    return out


def sweep_table(path):
    """A sweep's CSV: (parameters, columns, rows). The header is
    `point,trace,PARAM...,exit,COLUMN...` (tools/sweep/README.md); rows are
    dicts of strings."""
    try:
        with open(path, encoding="utf-8", newline="") as f:
            lines = list(csv.reader(f))
    except OSError as e:
        raise InputError(path, f"cannot read: {e.strerror}") from None
    except (UnicodeDecodeError, csv.Error) as e:
        raise InputError(path, f"not a CSV file: {e}") from None
    if not lines:
        raise InputError(path, "empty: no header line")
    head = lines[0]
    if head[:2] != ["point", "trace"] or "exit" not in head:
        raise InputError(f"{path}:1", "expected a sweep's header 'point,trace,PARAM...,exit,COLUMN...'")
    split = head.index("exit")
    rows = []
    for n, line in enumerate(lines[1:], start=2):
        if len(line) != len(head):
            raise InputError(f"{path}:{n}", f"{len(line)} fields, the header has {len(head)}")
        rows.append(dict(zip(head, line)))
    if not rows:
        raise InputError(path, "no point: only the header")
    return head[2:split], head[split + 1:], rows


def _is_text(v):
    """Neither a number (float() reads it, 'nan' and '1e400' too) nor a
    boolean."""
    if v in ("true", "false"):
        return False
    try:
        float(v)
        return False
    except ValueError:
        return True


def categories(rows, col):
    """The sorted distinct values of `col` when every non-empty cell is
    text (a string statistic such as /queues/0/name: drawn as categories),
    else None (numbers; a column that mixes both is number()'s error)."""
    cells = [r[col] for r in rows if r[col] != ""]
    if not cells or not all(_is_text(v) for v in cells):
        return None
    return sorted(set(cells))


def number(path, rows, col):
    """The column `col` of every row as floats (NaN for an empty cell; a
    sweep writes a JSON boolean as `true`/`false`: 1 and 0)."""
    out = []
    for n, r in enumerate(rows, start=2):
        v = r[col]
        try:
            f = {"": math.nan, "true": 1.0, "false": 0.0}[v] if v in ("", "true", "false") else float(v)
        except ValueError:
            f = None
        # float() takes 'nan', 'inf' and '1e400': none is a value a sweep
        # writes (an empty cell is the one way to say "not measured").
        if f is None or (v != "" and not math.isfinite(f)):
            raise InputError(f"{path}:{n}", f"column '{col}': '{v}' is not a number") from None
        out.append(f)
    return out
