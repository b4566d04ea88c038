# SPDX-License-Identifier: GPL-2.0-only
"""A sweep's SPEC.toml, read with tomllib and checked: the format is in
tools/sweep/README.md. Every error names SPEC:LINE:COL (tomllib's own
position for a syntax error; for a bad key or value, where that key is
written). Checking a parameter's value against the simulator
(sweep_local.py) and expanding the grid (sweep_plan.py) are not done
here."""

import os
import re
import tomllib

SCALAR = (bool, int, float, str)
TABLES = {
    "sweep": {"name", "traces", "studies", "config", "timeout"},
    "parameters": None,  # any key: a simulator parameter
    "columns": None,     # any key: a CSV column
    "plot": {"kind", "x", "y", "z"},
}
RESERVED = {"point", "trace", "exit"}
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")


class SpecError(Exception):
    """Bad spec: `where` is SPEC or SPEC:LINE:COL."""

    def __init__(self, where, message):
        super().__init__(f"{where}: {message}")


class Spec:
    """A checked spec: paths made absolute from the spec's folder."""

    def __init__(self, path, text, doc):
        self.path, self.text = path, text
        self.dir = os.path.dirname(os.path.abspath(path))
        sweep = _table(doc, "sweep")
        self.name = sweep.get("name", os.path.splitext(os.path.basename(path))[0])
        self.traces = sweep.get("traces", [])
        self.studies = sweep.get("studies", [])
        self.config = sweep.get("config")
        self.timeout = sweep.get("timeout")
        self.parameters = flatten(_table(doc, "parameters"))
        self.columns = _table(doc, "columns")
        self.plot = _table(doc, "plot")

    def where(self, table, key=None):
        """SPEC:LINE:COL of `key` in `table`, else of the table's header;
        SPEC alone when neither is written (a default)."""
        pos = (key is not None and locate(self.text, table, key)) or locate(self.text, table, None)
        return f"{self.path}:{pos[0]}:{pos[1]}" if pos else self.path

    def error(self, table, key, message):
        return SpecError(self.where(table, key), message)

    def abspath(self, p):
        return os.path.normpath(os.path.join(self.dir, p))


def _table(doc, name):
    """doc[name] if it is a table (anything else is _check_tables' error)."""
    t = doc.get(name)
    return t if isinstance(t, dict) else {}


def flatten(table, prefix=""):
    """{"smmu": {"exec": {"x": v}}} and {"smmu.exec.x": v} alike to
    {"smmu.exec.x": v}: a parameter's name is its dotted key."""
    out = {}
    for k, v in table.items():
        if isinstance(v, dict):
            out.update(flatten(v, prefix + k + "."))
        else:
            out[prefix + k] = v
    return out


def _dotted(words):
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"|\'([^\']*)\'|([A-Za-z0-9_-]+)', words)
    return ".".join(a or b or c for a, b, c in parts)


def locate(text, table, key):
    """(line, col) of `key` (dotted, as flatten() names it) in [table] (""
    the top level), or of the header [table] when key is None."""
    current = ""
    for n, line in enumerate(text.splitlines(), start=1):
        head = re.match(r"\s*\[+([^\]]+)\]+\s*(#.*)?$", line)
        if head:
            current = _dotted(head.group(1))
            if key is None and current == table:
                return n, line.index("[") + 1
            continue
        m = re.match(r"""(\s*)((?:"(?:[^"\\]|\\.)*"|'[^']*'|[^=#"'])+?)\s*=""", line)  # '=' in quotes too
        if m and key is not None:
            full = ".".join(x for x in (current, _dotted(m.group(2))) if x)
            if full == (f"{table}.{key}" if table else key):
                return n, len(m.group(1)) + 1
    return None


def _toml_where(path, text, message):
    """SPEC:LINE:COL of tomllib's error ("... (at line L, column C)", or
    "(at end of document)": the end of the last line)."""
    m = re.search(r"\(at line (\d+), column (\d+)\)$", message)
    if m:
        return f"{path}:{m.group(1)}:{m.group(2)}"
    lines = text.splitlines() or [""]
    return f"{path}:{len(lines)}:{len(lines[-1]) + 1}"


def load(path, plot=True):
    """The checked Spec of the file at `path`. plot=False (--no-plot):
    [plot] is neither checked nor kept (the plan's plot is kind "none")."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
        text = raw.decode("utf-8")
        doc = tomllib.loads(text)
    except OSError as e:
        raise SpecError(path, f"cannot read: {e.strerror}") from None
    except UnicodeDecodeError as e:
        raise SpecError(path, f"not UTF-8: {e.reason}") from None
    except tomllib.TOMLDecodeError as e:
        raise SpecError(_toml_where(path, text, str(e)), f"not TOML: {re.sub(r' [(]at .*[)]$', '', str(e))}") from None
    spec = Spec(path, text, doc)
    _check_tables(spec, doc)
    _check_sweep(spec)
    _check_parameters(spec)
    _check_columns(spec)
    if plot:
        _check_plot(spec)
    else:
        spec.plot = {"kind": "none"}
    return spec


def _check_tables(spec, doc):
    for t, v in doc.items():
        if t not in TABLES:
            raise SpecError(spec.where(t),
                            f"unknown table or key '{t}' (expected: {', '.join(TABLES)})")
        if not isinstance(v, dict):
            raise spec.error("", t, f"'{t}' must be a table ([{t}])")
        allowed = TABLES[t]
        for k in v if allowed is not None else ():
            if k not in allowed:
                raise spec.error(t, k, f"unknown key '{k}' in [{t}] (expected: {', '.join(sorted(allowed))})")


def _check_sweep(spec):
    if not NAME.match(spec.name if isinstance(spec.name, str) else ""):
        raise spec.error("sweep", "name", "name: letters, digits, '.', '_' and '-', starting with a letter or digit")
    for key, what in (("traces", "trace paths (relative to the spec's folder)"), ("studies", "study names")):
        v = getattr(spec, key)
        if not isinstance(v, list) or not all(isinstance(t, str) and t for t in v):
            raise spec.error("sweep", key, f"[sweep] {key}: a list of {what}")
        if len(set(v)) != len(v):
            raise spec.error("sweep", key, f"[sweep] {key}: '{next(t for t in v if v.count(t) > 1)}' is listed twice")
    if not spec.traces and not spec.studies:
        raise spec.error("sweep", "traces", "[sweep] names no trace and no study: nothing to run")
    traces = spec.traces
    for t in traces:
        if not os.path.isfile(spec.abspath(t)):
            raise spec.error("sweep", "traces", f"trace '{t}' is not a file ({spec.abspath(t)})")
    if spec.config is not None and (not isinstance(spec.config, str)
                                    or not os.path.isfile(spec.abspath(spec.config))):
        raise spec.error("sweep", "config", "config: the path of an existing TOML configuration file")
    if spec.timeout is not None and (not isinstance(spec.timeout, int) or isinstance(spec.timeout, bool)
                                     or spec.timeout <= 0):
        raise spec.error("sweep", "timeout", "timeout: a positive whole number of seconds per point")


def _check_parameters(spec):
    for k, v in spec.parameters.items():
        values = v if isinstance(v, list) else [v]
        if not values or not all(isinstance(x, SCALAR) for x in values):
            raise spec.error("parameters", k, f"parameter '{k}': a value or a non-empty list of values "
                             "(numbers, booleans or strings)")
        if len({setting(x) for x in values}) != len(values):
            raise spec.error("parameters", k, f"parameter '{k}': a value is listed twice")
        if "=" in k:
            raise spec.error("parameters", k, f"parameter '{k}': a simulator parameter's name has no '=' "
                             "(`--set KEY=VALUE` would split it at the first one)")
        if k in RESERVED:
            raise spec.error("parameters", k, f"'{k}' is no simulator parameter (it names a CSV column)")
        if k.startswith("study.") and spec.traces:
            raise spec.error("parameters", k, f"'{k}' is a study's parameter: `smmusim run` would refuse it for "
                             "the traces (sweep studies and traces in two specs)")


def _check_columns(spec):
    if not spec.columns:
        raise spec.error("columns", None, "[columns] is missing or empty: name at least one statistic, "
                         'e.g. cycles = "/sim/cycles"')
    for k, v in spec.columns.items():
        if not isinstance(v, str) or not v.startswith("/"):
            raise spec.error("columns", k, f"column '{k}': a JSON Pointer into the statistics JSON, "
                             'e.g. "/sim/cycles" or "/statistics/soc.smmu.cmdq.latency_cycles/mean"')
        bad = re.search(r"~(?![01])", v)
        if bad:
            raise spec.error("columns", k, f"column '{k}': \"{v}\" is not a JSON Pointer: '~' at {bad.start()} "
                             "is neither '~0' ('~') nor '~1' ('/') (RFC 6901)")
        if k in RESERVED or k in spec.parameters:
            raise spec.error("columns", k, f"column '{k}' has the name of another column of the CSV")


def _check_plot(spec):
    p, params, cols = spec.plot, list(spec.parameters), list(spec.columns)
    kind = p.setdefault("kind", "lines" if params else "none")
    roles = {"lines": {"x": params, "y": cols}, "surface": {"x": params, "y": params, "z": cols}, "none": {}}
    if kind not in roles:
        raise spec.error("plot", "kind", 'kind: "lines", "surface" or "none"')
    for key in p:
        if key != "kind" and key not in roles[kind]:
            raise spec.error("plot", key, f"[plot] {key}: a {kind} plot has no '{key}'")
    defaults = {"x": params[:1], "y": cols[:1] if kind == "lines" else params[1:2], "z": cols[:1]}
    for key, allowed in roles[kind].items():
        p.setdefault(key, (defaults[key] or [None])[0])
        what = "column" if allowed is cols else "parameter"
        if p[key] is None:
            raise spec.error("plot", None, f"[plot] a {kind} plot needs a {what} as {key}: the sweep has none "
                             "to spare (kind = \"none\" for no plot)")
        if p[key] not in allowed:
            raise spec.error("plot", key,
                             f"[plot] {key}: '{p[key]}' is no {what} of this sweep (a {kind} plot's {key} is a {what})")
    if kind == "surface" and p["x"] == p["y"]:
        raise spec.error("plot", "y", "[plot] a surface needs two different parameters as x and y")
    for key in {"lines": ("x",), "surface": ("x", "y"), "none": ()}[kind]:
        v = spec.parameters[p[key]]
        if not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in (v if isinstance(v, list) else [v])):
            raise spec.error("parameters", p[key], f"[plot] {key} = '{p[key]}': a plot's axis needs numbers as "
                             "its values (choose another parameter, or kind = \"none\")")


def setting(value):
    """A parameter value as `--set key=VALUE` writes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
