# SPDX-License-Identifier: GPL-2.0-only
"""A sweep's points merged into one CSV, OUT/NAME.csv: one row per point,
`point,trace,PARAM...,exit,COLUMN...`, each COLUMN the value at its JSON
Pointer (RFC 6901) in the point's statistics JSON. The same points give
the same bytes whichever way they ran (local processes or a Slurm array):
nothing of the host (paths of the run, times) is written unless a column
asks for it. Running points is not done here."""

import csv
import json
import os

import sweep_plan
import sweep_spec


class MergeError(Exception):
    pass


def pointer(doc, ptr):
    """The value at JSON Pointer `ptr` in doc; MergeError saying what is
    missing."""
    cur = doc
    for raw in ptr.split("/")[1:]:
        tok = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(cur, dict) and tok in cur:
            cur = cur[tok]
        elif isinstance(cur, list) and tok.isdigit() and int(tok) < len(cur):
            cur = cur[int(tok)]
        else:
            raise MergeError(f"no '{tok}' there")
    if isinstance(cur, (dict, list)):
        raise MergeError(f"a JSON {'object' if isinstance(cur, dict) else 'array'}, "
                         "not a value: point further in")
    return cur


def cell(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return repr(v) if isinstance(v, float) else str(v)


def result_of(out, index):
    f = sweep_plan.files(out, index)
    try:
        with open(f["result"], encoding="utf-8") as r:
            result = json.load(r)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        raise MergeError(f"point {index} has no result ({f['result']}): it did not run to its end; "
                         f"see {f['log']} and the scheduler's log") from None
    if not (isinstance(result, dict) and result.get("index") == index
            and (result.get("exit") == "timeout"
                 or (isinstance(result.get("exit"), int) and not isinstance(result["exit"], bool)))):
        raise MergeError(f"point {index}: {f['result']} is not point {index}'s result "
                         "({\"index\": I, \"exit\": STATUS or \"timeout\"}): run the point again")
    return result


def column_places(plan):
    """SPEC:LINE:COL of each column in the spec (SPEC alone if it has
    changed or gone since the plan was made)."""
    try:
        with open(plan["spec"], encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError):
        text = ""
    places = {}
    for name in plan["columns"]:
        pos = sweep_spec.locate(text, "columns", name)
        places[name] = f"{plan['spec']}:{pos[0]}:{pos[1]}" if pos else plan["spec"]
    return places


def row_of(plan, out, point, result, places):
    """The CSV row of one point; a point that failed has empty cells where
    its statistics are missing."""
    f = sweep_plan.files(out, point["index"])
    values = []
    try:
        with open(f["stats"], encoding="utf-8") as s:
            stats = json.load(s)
    except (OSError, json.JSONDecodeError) as e:
        if result["exit"] == 0:
            raise MergeError(f"point {point['index']}: {f['stats']}: {e}") from None
        stats = None
    for name, ptr in plan["columns"].items():
        if stats is None:
            values.append("")
            continue
        try:
            values.append(cell(pointer(stats, ptr)))
        except MergeError as e:
            if result["exit"] == 0:
                raise MergeError(f"{places[name]}: column '{name}' = \"{ptr}\" in the statistics of "
                                 f"point {point['index']} ({f['stats']}): {e}") from None
            values.append("")
    return ([str(point["index"]), point["trace"]] + [point["set"][p] for p in plan["parameters"]]
            + [str(result["exit"])] + values)


# What the program's option parser (CLI11) prints after its error: not the
# reason.
CLI_TRAILER = "Run with --help for more information."


def last_line(path):
    """The last line of a point's log that is not empty (its error), the
    option parser's trailer left out."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = [line.strip() for line in f if line.strip() and line.strip() != CLI_TRAILER]
    except OSError as e:
        return f"(no log: {e.strerror})"
    return lines[-1] if lines else "(the log is empty)"


def merge(plan, out):
    """Writes OUT/NAME.csv; returns (its path, the results of every point)."""
    results = [result_of(out, p["index"]) for p in plan["points"]]
    refused = [r for r in results if r["exit"] == 2]
    if refused:
        i = refused[0]["index"]
        log = sweep_plan.files(out, i)["log"]
        raise MergeError(f"point {i} was refused by the simulator (exit 2), {len(refused)} in all: "
                         f"{last_line(log)} (log: {log})")
    places = column_places(plan)
    rows = [row_of(plan, out, p, r, places) for p, r in zip(plan["points"], results)]
    path = os.path.join(out, plan["name"] + ".csv")
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["point", "trace"] + plan["parameters"] + ["exit"] + list(plan["columns"]))
        w.writerows(rows)
    return path, results
