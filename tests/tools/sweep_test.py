# SPDX-License-Identifier: GPL-2.0-only
"""smmusim sweep (tools/sweep), run locally with the built program
(SMMUSIM_BIN): the merged CSV holds, for every point, exactly what a
direct `smmusim run` with the point's settings writes; it is the same
bytes whatever --jobs; a failing point is exit 1 with its row kept; a bad
spec is exit 2 naming SPEC:LINE:COL before anything runs."""

import csv
import json
import os
import subprocess
import sys
import tempfile
import unittest

from image_check import svg_ids

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
SWEEP = os.path.join(ROOT, "tools", "sweep", "smmusim_sweep.py")
BIN = os.environ.get("SMMUSIM_BIN", os.path.join(ROOT, "build", "sim", "smmusim"))
TRACES = os.path.join(ROOT, "traces")

SPEC = f"""# two traces x 2 x 2 values
[sweep]
name = "small"
traces = ["{TRACES}/smmu-bringup.trace", "{TRACES}/vcmdq-guest.trace"]
[parameters]
smmu.exec.tlbi_va_cycles = [4, 16]
"mem.latency_cycles" = [40, 120]
[columns]
cycles = "/sim/cycles"
cmdq_p50 = "/statistics/soc.smmu.cmdq.latency_cycles/p50"
complete = "/complete"
[plot]
y = "cycles"
"""


def sweep(*args):
    return subprocess.run([sys.executable, SWEEP, *args], capture_output=True, text=True, timeout=300)


class Sweep(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def path(self, name):
        return os.path.join(self.tmp.name, name)

    def write(self, name, text):
        with open(self.path(name), "w", encoding="utf-8") as f:
            f.write(text)
        return self.path(name)

    def run_spec(self, text, out="out", *extra, rc=0):
        r = sweep("run", self.write("s.toml", text), "--smmusim", BIN, "--out", self.path(out), *extra)
        self.assertEqual(r.returncode, rc, r.stderr)
        return r

    def direct(self, trace, sets):
        """The statistics of a direct `smmusim run`."""
        stats = self.path("direct.json")
        cmd = [BIN, "run", trace, "--quiet", "--stats", stats]
        for k, v in sets:
            cmd += ["--set", f"{k}={v}"]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)
        with open(stats, encoding="utf-8") as f:
            return json.load(f)

    def test_rows_are_direct_runs(self):
        r = self.run_spec(SPEC, "out", "--jobs", "2")
        csv_path = self.path("out/small.csv")
        self.assertIn(f"8 points merged into {csv_path}", r.stdout)
        with open(csv_path, encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        self.assertEqual(rows[0], ["point", "trace", "smmu.exec.tlbi_va_cycles", "mem.latency_cycles",
                                   "exit", "cycles", "cmdq_p50", "complete"])
        expect, i = [], 0
        for trace in ("smmu-bringup.trace", "vcmdq-guest.trace"):
            for tlbi in ("4", "16"):
                for mem in ("40", "120"):
                    path = f"{TRACES}/{trace}"
                    s = self.direct(path, [("smmu.exec.tlbi_va_cycles", tlbi), ("mem.latency_cycles", mem)])
                    p50 = s["statistics"]["soc.smmu.cmdq.latency_cycles"]["p50"]
                    expect.append([str(i), path, tlbi, mem, "0", str(s["sim"]["cycles"]), str(p50), "true"])
                    i += 1
        self.assertEqual(rows[1:], expect)
        # The parameters matter: no two points of a trace have the same cycles.
        self.assertEqual(len({r[5] for r in rows[1:5]}), 4)
        self.assertEqual(len({(r[1], r[2], r[3]) for r in rows[1:]}), 8)
        self.assertIn("trace=vcmdq-guest.trace, mem.latency_cycles=120", svg_ids(self.path("out/small.svg")))

    def test_jobs_do_not_change_the_csv(self):
        self.run_spec(SPEC, "one", "--jobs", "1", "--no-plot")
        self.run_spec(SPEC, "two", "--jobs", "2", "--no-plot")
        with open(self.path("one/small.csv"), "rb") as a, open(self.path("two/small.csv"), "rb") as b:
            self.assertEqual(a.read(), b.read())
        self.assertFalse(os.path.exists(self.path("one/small.svg")))

    def test_relative_traces_and_merge_again(self):
        os.makedirs(self.path("specs"))
        with open(os.path.join(self.path("specs"), "rel.toml"), "w", encoding="utf-8") as f:
            f.write(f'[sweep]\ntraces = ["{os.path.relpath(TRACES, self.path("specs"))}/smmu-bringup.trace"]\n'
                    '[columns]\nops = "/sim/ops"\n')
        r = sweep("run", os.path.join(self.path("specs"), "rel.toml"), "--smmusim", BIN, "--out", self.path("rel"))
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(self.path("rel/rel.csv"), encoding="utf-8") as f:
            first = f.read()
        self.assertRegex(first, r"^point,trace,exit,ops\n0,[./]*[^,]*/traces/smmu-bringup.trace,0,[1-9][0-9]*\n$")
        m = sweep("merge", self.path("rel"))
        self.assertEqual(m.returncode, 0, m.stderr)
        with open(self.path("rel/rel.csv"), encoding="utf-8") as f:
            self.assertEqual(f.read(), first)

    def test_merge_of_damaged_files(self):
        """`sweep merge` of an OUT whose plan.json or a point's result was
        damaged: exit 2 naming the file, never a Python traceback."""
        spec = f'[sweep]\ntraces = ["{TRACES}/smmu-bringup.trace"]\n[columns]\nops = "/sim/ops"\n'
        self.run_spec(spec, "out", "--no-plot")
        out = self.path("out")
        plan = os.path.join(out, "plan.json")
        result = os.path.join(out, "points", "point-0.result.json")
        with open(plan, encoding="utf-8") as f:
            good_plan = f.read()
        cases = [
            (plan, "garbage\n", f"{plan}:1:1: not JSON"),
            (plan, "[1, 2]\n", f"{plan}: key 'schema' is missing"),
            (plan, good_plan.replace('"points": [', '"points": [7, '), f"{plan}: key 'points[0]' is not point 0"),
            (result, '{"exit": "x"}\n', f"point 0: {result} is not point 0's result"),
            (result, '{"index": 0, "exit": true}\n', f"point 0: {result} is not point 0's result"),
        ]
        for path, text, message in cases:
            with open(path, encoding="utf-8") as f:
                before = f.read()
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            for args in (("merge", out, "--no-plot"), ("point", out, "0")):
                if args[0] == "point" and path == result:
                    continue
                r = sweep(*args)
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertIn(message, r.stderr)
                self.assertNotIn("Traceback", r.stderr)
            with open(path, "w", encoding="utf-8") as f:
                f.write(before)
        self.assertEqual(sweep("merge", out, "--no-plot").returncode, 0)

    def test_failing_point_is_kept(self):
        bad = self.write("bad.trace", "read32 smmu.CR0 expect 5\n")
        r = self.run_spec(f'[sweep]\ntraces = ["{bad}"]\n[parameters]\n"mem.latency_cycles" = [40, 80]\n'
                          '[columns]\ncycles = "/sim/cycles"\n', "out", "--no-plot", rc=1)
        self.assertIn("point 0 failed (exit 1)", r.stderr)
        with open(self.path("out/s.csv"), encoding="utf-8") as f:
            rows = list(csv.reader(f))
        self.assertEqual([row[:4] for row in rows[1:]], [["0", bad, "40", "1"], ["1", bad, "80", "1"]])

    def test_refused_point(self):
        bad = self.write("bad.trace", "cmd cmdq CMD_SYNC\n")
        r = self.run_spec(f'[sweep]\ntraces = ["{bad}"]\n[columns]\ncycles = "/sim/cycles"\n', "out", rc=2)
        log = self.path("out/points/point-0.log")
        self.assertEqual(r.stderr, f"smmusim sweep: point 0 was refused by the simulator (exit 2), 1 in all: "
                         f"smmusim: {bad}:1:1: queue cmdq is used before 'cmdq enable' (log: {log})\n")
        self.assertFalse(os.path.exists(self.path("out/s.csv")))

    def spec_error(self, text, message):
        r = self.run_spec(text, "out", rc=2)
        self.assertEqual(r.stderr, f"smmusim sweep: {self.path('s.toml')}{message}\n")
        self.assertFalse(os.path.exists(self.path("out/points/point-0.json")))

    def test_unknown_parameter(self):
        self.spec_error(SPEC.replace("smmu.exec.tlbi_va_cycles", "smmu.exec.nothing"),
                        ":6:1: parameter smmu.exec.nothing = 16: the simulator refuses it (exit 2): smmusim: "
                        "--set: unknown parameter 'smmu.exec.nothing' (`smmusim params` lists them)")

    def test_bad_value(self):
        self.spec_error(SPEC.replace("[40, 120]", '[40, "fast"]'),
                        ":7:1: parameter mem.latency_cycles = fast: the simulator refuses it (exit 2): smmusim: "
                        "--set: mem.latency_cycles expects integer, got 'fast'")

    def test_toml_syntax(self):
        self.spec_error(SPEC.replace("= [4, 16]", "= [4, 16"), ":7:1: not TOML: Unclosed array")

    def test_unknown_key(self):
        self.spec_error(SPEC.replace('name = "small"', 'name = "small"\n  jobs = 3'),
                        ":4:3: unknown key 'jobs' in [sweep] (expected: config, name, studies, timeout, traces)")

    def test_missing_trace(self):
        self.spec_error(SPEC.replace("vcmdq-guest.trace", "none.trace"),
                        f":4:1: trace '{TRACES}/none.trace' is not a file ({TRACES}/none.trace)")

    def test_bad_column(self):
        self.spec_error(SPEC.replace('"/complete"', '"complete"'),
                        ':11:1: column \'complete\': a JSON Pointer into the statistics JSON, e.g. "/sim/cycles" '
                        'or "/statistics/soc.smmu.cmdq.latency_cycles/mean"')

    def test_column_bad_escape(self):
        """'~' not followed by 0 or 1 is no JSON Pointer: refused in the spec,
        before any point runs, not found out when merging."""
        self.spec_error(SPEC.replace('"/complete"', '"/sim/cycles~2"'),
                        ":11:1: column 'complete': \"/sim/cycles~2\" is not a JSON Pointer: '~' at 11 "
                        "is neither '~0' ('~') nor '~1' ('/') (RFC 6901)")

    def test_plot_axis(self):
        self.spec_error(SPEC.replace('y = "cycles"', 'y = "cycle"'),
                        ":13:1: [plot] y: 'cycle' is no column of this sweep (a lines plot's y is a column)")

    def test_not_a_table(self):
        self.spec_error("# no table\nsweep = 3\n", ":2:1: 'sweep' must be a table ([sweep])")

    def test_value_twice(self):
        self.spec_error(SPEC.replace("[40, 120]", "[40, 40]"),
                        ":7:1: parameter 'mem.latency_cycles': a value is listed twice")

    def test_plot_axis_of_booleans(self):
        self.spec_error(SPEC.replace("[4, 16]", "[true, false]").replace("smmu.exec.tlbi_va_cycles", "smmu.idr.sev"),
                        ":6:1: [plot] x = 'smmu.idr.sev': a plot's axis needs numbers as its values "
                        '(choose another parameter, or kind = "none")')

    def test_help_is_what_the_user_types(self):
        """The help of `./smmusim sweep`: its usage as typed, without the
        launcher's own --smmusim."""
        r = sweep("run", "--help")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.startswith("usage: smmusim sweep [-h] [--out OUT]"), r.stdout)
        self.assertNotIn("--smmusim", r.stdout)

    def test_slurm_option_without_slurm(self):
        r = self.run_spec(SPEC, "out", "--partition", "debug", rc=2)
        self.assertEqual(r.stderr, "smmusim sweep: --partition goes with --slurm\n")

    def test_studies(self):
        """A study's points run `smmusim study NAME --json` (with a stand-in
        program: this build's has no study command); their study.* values
        are not checked on a trace; columns point into the study's JSON."""
        fake = os.path.join(HERE, "fake_smmusim.py")
        spec = ('[sweep]\nstudies = ["vcmdq-vs-trap"]\n[parameters]\n"study.repeats" = [1, 2]\n'
                '"mem.latency_cycles" = [40]\n[columns]\ntrapped = "/rows/0/trapped_us"\n'
                'vcmdq = "/rows/0/vcmdq_us"\n')
        r = sweep("run", self.write("s.toml", spec), "--smmusim", fake, "--out", self.path("out"), "--no-plot")
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(self.path("out/s.csv"), encoding="utf-8") as f:
            self.assertEqual(f.read(), "point,trace,study.repeats,mem.latency_cycles,exit,trapped,vcmdq\n"
                                       "0,study:vcmdq-vs-trap,1,40,0,51.0,2.5\n"
                                       "1,study:vcmdq-vs-trap,2,40,0,52.0,2.5\n")
        with open(self.path("out/points/point-1.json"), encoding="utf-8") as f:
            argv = json.load(f)["argv"]
        self.assertEqual(argv, ["study", "vcmdq-vs-trap", "--quiet", "--json", self.path("out/points/point-1.json"),
                                "--set", "study.repeats=2", "--set", "mem.latency_cycles=40"])

    def test_refused_study_names_the_reason(self):
        """A point the program's option parser refuses after the checks
        passed: the error names its reason, not CLI11's "Run with --help"
        trailer."""
        prog = self.write("refuse.sh", "#!/bin/sh\n[ \"$1\" = study ] || exit 0\n"
                                       "for a; do [ \"$a\" != --help ] || exit 0; done\n"
                                       "echo 'name: nope not in {vcmdq-vs-trap}' >&2\n"
                                       "echo 'Run with --help for more information.' >&2\nexit 2\n")
        os.chmod(prog, 0o755)
        r = sweep("run", self.write("s.toml", '[sweep]\nstudies = ["nope"]\n[columns]\nc = "/rows/0/vcmdq_us"\n'),
                  "--smmusim", prog, "--out", self.path("out"), "--no-plot")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("point 0 was refused by the simulator (exit 2), 1 in all: name: nope not in {vcmdq-vs-trap} "
                      "(log: ", r.stderr)

    def test_unknown_study_before_any_point(self):
        """An unknown study name is refused at SPEC:LINE:COL by the built
        program's own option parser, before any point runs."""
        r = sweep("run", self.write("s.toml", '[sweep]\nstudies = ["vcmdq-vs-trap", "nope"]\n[columns]\n'
                                               'c = "/rows/0/vcmdq_us"\n'), "--smmusim", BIN, "--out", self.path("out"))
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(r.stderr, f"smmusim sweep: {self.path('s.toml')}:2:1: study 'nope': the simulator refuses it "
                         "(exit 2): smmusim: study: name: nope not in {vcmdq-vs-trap} (smmusim study --help for more)\n")
        self.assertFalse(os.path.exists(self.path("out/points/point-0.log")))

    def test_parameter_name_with_equals(self):
        """'=' in a parameter's name: refused at the key, not split by --set
        into another key and value."""
        self.spec_error(SPEC.replace('"mem.latency_cycles"', '"mem.latency_cycles=4"'),
                        ":7:1: parameter 'mem.latency_cycles=4': a simulator parameter's name has no '=' "
                        "(`--set KEY=VALUE` would split it at the first one)")

    def test_no_plot_skips_the_plot_table(self):
        """--no-plot: [plot] is not checked (a y that is no column does not
        stop the sweep), and no plot is drawn, then or by a later merge."""
        r = self.run_spec(SPEC.replace('y = "cycles"', 'y = "cycle"'), "out", "--no-plot")
        self.assertIn("points merged into", r.stdout)
        r = sweep("merge", self.path("out"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertFalse(os.path.exists(self.path("out/small.svg")))

    def test_study_parameter_with_traces(self):
        self.spec_error(SPEC.replace('"mem.latency_cycles"', '"study.repeats"'),
                        ":7:1: 'study.repeats' is a study's parameter: `smmusim run` would refuse it for the "
                        "traces (sweep studies and traces in two specs)")

    def test_nothing_to_run(self):
        self.spec_error("[sweep]\n[columns]\nc = \"/sim/cycles\"\n",
                        ":1:1: [sweep] names no trace and no study: nothing to run")

    def test_missing_statistic(self):
        r = self.run_spec(SPEC.replace("/sim/cycles", "/sim/cycle"), "out", rc=2)
        self.assertEqual(r.stderr, f"smmusim sweep: {self.path('s.toml')}:9:1: column 'cycles' = \"/sim/cycle\" in "
                         f"the statistics of point 0 ({self.path('out/points/point-0.json')}): no 'cycle' there\n")


if __name__ == "__main__":
    unittest.main()
