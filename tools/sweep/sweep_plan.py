# SPDX-License-Identifier: GPL-2.0-only
"""A sweep's plan and its points: the grid of a checked spec
(sweep_spec.py) expanded into numbered points (each trace, then each
study, × every combination of the parameters' values, in the spec's
order), written as OUT/plan.json so that a point runs from the plan alone
(a Slurm array task, on any node that sees OUT); and the run of one point:
`smmusim run TRACE --quiet --stats ...` or `smmusim study NAME --quiet
--json ...`, with `[--config ...] --set k=v ...`, its statistics (or the
study's JSON), log and result in OUT/points/. Scheduling the points is not done here
(sweep_local.py, sweep_slurm.py)."""

import itertools
import json
import os
import subprocess

from sweep_spec import setting

PLAN = "plan.json"


def expand(spec, smmusim):
    """The plan of `spec` run by the program `smmusim`."""
    names = list(spec.parameters)
    axes = [v if isinstance(v, list) else [v] for v in spec.parameters.values()]
    inputs = [(t, {"trace_path": spec.abspath(t)}) for t in spec.traces]
    inputs += [(f"study:{s}", {"study": s}) for s in spec.studies]
    points = []
    for label, what in inputs:
        for combo in itertools.product(*axes):
            points.append({"index": len(points), "trace": label, **what,
                           "set": {k: setting(v) for k, v in zip(names, combo)}})
    return {"schema": 1, "name": spec.name, "spec": os.path.abspath(spec.path),
            "smmusim": os.path.abspath(smmusim),
            "config": spec.abspath(spec.config) if spec.config else None, "timeout": spec.timeout,
            "parameters": names, "columns": spec.columns, "plot": spec.plot, "points": points}


def write(plan, out):
    os.makedirs(os.path.join(out, "points"), exist_ok=True)
    _write_json(os.path.join(out, PLAN), plan)


class PlanError(Exception):
    """OUT/plan.json is not a plan this program wrote (damaged, truncated,
    or another file)."""


def read(out):
    """OUT/plan.json, checked enough that merging or running a point from it
    cannot fail on a missing or mistyped key; PlanError says what is wrong."""
    path = os.path.join(out, PLAN)
    try:
        with open(path, encoding="utf-8") as f:
            plan = json.load(f)
    except UnicodeDecodeError as e:
        raise PlanError(f"{path}: not UTF-8: {e.reason}") from None
    except json.JSONDecodeError as e:
        raise PlanError(f"{path}:{e.lineno}:{e.colno}: not JSON: {e.msg} "
                        "(not a sweep's plan; run the sweep again)") from None
    shape = {"schema": int, "name": str, "spec": str, "smmusim": str, "parameters": list,
             "columns": dict, "plot": dict, "points": list}
    for key, kind in shape.items():
        if not isinstance(plan, dict) or not isinstance(plan.get(key), kind):
            raise PlanError(f"{path}: key '{key}' is missing or not {kind.__name__}: not a sweep's plan")
    if not (plan.get("config") is None or isinstance(plan["config"], str)) or not (
            plan.get("timeout") is None or isinstance(plan["timeout"], int)):
        raise PlanError(f"{path}: key 'config' or 'timeout' is mistyped: not a sweep's plan")
    if plan["schema"] != 1:
        raise PlanError(f"{path}: schema {plan['schema']}, this program reads schema 1")
    for i, pt in enumerate(plan["points"]):
        if not (isinstance(pt, dict) and pt.get("index") == i and isinstance(pt.get("trace"), str)
                and isinstance(pt.get("set"), dict)
                and (isinstance(pt.get("trace_path"), str) or isinstance(pt.get("study"), str))
                and all(isinstance(pt["set"].get(k), str) for k in plan["parameters"])):
            raise PlanError(f"{path}: key 'points[{i}]' is not point {i} of this plan: not a sweep's plan")
    return plan


def files(out, index):
    """The paths of point `index`'s statistics, log and result."""
    base = os.path.join(out, "points", f"point-{index}")
    return {"stats": base + ".json", "log": base + ".log", "result": base + ".result.json"}


def clear(out):
    """Removes the files of earlier points, so that no stale one is merged."""
    d = os.path.join(out, "points")
    for name in os.listdir(d) if os.path.isdir(d) else ():
        if name.startswith("point-"):
            os.remove(os.path.join(d, name))


def command(plan, point, stats, trace=None):
    """The smmusim command line of `point` (or of its settings on
    `trace`): `run TRACE --stats`, or for a study `study NAME --json`."""
    if trace is None and "study" in point:
        cmd = [plan["smmusim"], "study", point["study"], "--quiet", "--json", stats]
    else:
        cmd = [plan["smmusim"], "run", trace or point["trace_path"], "--quiet", "--stats", stats]
    if plan["config"]:
        cmd += ["--config", plan["config"]]
    for k, v in point["set"].items():
        cmd += ["--set", f"{k}={v}"]
    return cmd


def run_point(plan, out, index):
    """Runs point `index`; its result is {"index", "exit"}: smmusim's exit
    status, the negative signal number, or "timeout"."""
    point = plan["points"][index]
    f = files(out, index)
    with open(f["log"], "w", encoding="utf-8") as log:
        try:
            rc = subprocess.run(command(plan, point, f["stats"]), stdin=subprocess.DEVNULL, stdout=log,
                                stderr=subprocess.STDOUT, timeout=plan["timeout"]).returncode
        except subprocess.TimeoutExpired:
            rc = "timeout"
            log.write(f"\nsmmusim sweep: point {index} stopped after {plan['timeout']} s (timeout)\n")
    result = {"index": index, "exit": rc}
    _write_json(f["result"], result)
    return result


def _write_json(path, doc):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    os.replace(tmp, path)
