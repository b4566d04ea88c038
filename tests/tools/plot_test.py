# SPDX-License-Identifier: GPL-2.0-only
"""smmusim plot (tools/plot): each kind rendered from a small known input
(tests/tools/data/) as SVG and PNG, checked as an image (PNG signature and
IHDR size; SVG as XML with an <svg> root and an element per series) and
by what --describe says was drawn (series names and point counts); bad
input gives exit status 2 and names the file and the key or line."""

import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
import unittest
from types import SimpleNamespace

from image_check import png_size, svg_ids

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")
PLOT = os.path.join(HERE, "..", "..", "tools", "plot", "smmusim_plot.py")
sys.path.insert(0, os.path.dirname(PLOT))

import smmusim_plot  # noqa: E402


def plot(*args):
    """The command line's main() in this process (matplotlib is imported
    once); its exit status and what it printed."""
    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        rc = smmusim_plot.main(list(args))
    return SimpleNamespace(returncode=rc, stderr=err.getvalue(), stdout=out.getvalue())


class Plot(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def out(self, name):
        return os.path.join(self.tmp.name, name)

    def render(self, kind, data, *extra):
        """Renders as SVG and PNG; returns (series, svg ids, png size)."""
        desc, svg, png = self.out("d.json"), self.out("p.svg"), self.out("p.png")
        for image in (svg, png):
            r = plot(kind, os.path.join(DATA, data), "-o", image, "--describe", desc, *extra)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(r.stderr, "")
        with open(desc, encoding="utf-8") as f:
            d = json.load(f)
        self.assertEqual(d["kind"], kind)
        self.assertEqual(d["output"], png)
        return [(s["name"], s["points"]) for s in d["series"]], svg_ids(svg), png_size(png)

    def test_latency_per_queue(self):
        series, ids, size = self.render("latency", "stats.json")
        # vcmdq0 has no sample: no panel.
        self.assertEqual(series, [("smmu.cmdq", 3), ("cmdqv.vcmdq2", 3)])
        self.assertLessEqual({"smmu.cmdq", "cmdqv.vcmdq2"}, ids)
        self.assertNotIn("cmdqv.vcmdq0", ids)
        self.assertEqual(size, (700, 2 * 220 + 60))

    def test_latency_named_histograms(self):
        series, ids, size = self.render("latency", "stats.json", "--histogram", "soc.smmu.xlat.latency")
        self.assertEqual(series, [("soc.smmu.xlat.latency", 2)])
        self.assertIn("soc.smmu.xlat.latency", ids)
        self.assertEqual(size, (700, 280))

    def test_latency_roi(self):
        """--roi: the region of interest's queues and histograms (the JSON's
        "roi"), not the whole run's; a document without one is refused."""
        with open(os.path.join(DATA, "stats.json"), encoding="utf-8") as f:
            doc = json.load(f)
        whole = json.dumps(doc)
        doc["roi"] = {"queues": doc["queues"][:1], "statistics": doc.pop("statistics")}
        doc["roi"]["statistics"]["soc.smmu.cmdq.latency_cycles"]["count"] = 1
        doc["roi"]["statistics"]["soc.smmu.cmdq.latency_cycles"]["buckets"] = [{"lo": 8, "hi": 8, "count": 1}]
        path = self.out("roi.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(doc, f)
        r = plot("latency", path, "-o", self.out("r.svg"), "--roi", "--describe", "-")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual([(s["name"], s["points"]) for s in json.loads(r.stdout)["series"]], [("smmu.cmdq", 1)])
        r = plot("latency", path, "-o", self.out("r.svg"), "--roi", "--histogram", "soc.smmu.xlat.latency",
                 "--describe", "-")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual([(s["name"], s["points"]) for s in json.loads(r.stdout)["series"]],
                         [("soc.smmu.xlat.latency", 2)])
        self.assertIn("key 'roi.statistics.nope' is missing",
                      self.bad("latency", json.dumps(doc), "--roi", "--histogram", "nope"))
        self.assertIn("key 'roi' is missing: the trace had no region of interest",
                      self.bad("latency", whole, "--roi"))
        r = plot("study", os.path.join(DATA, "study.json"), "-o", self.out("x.svg"), "--roi")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--roi: goes with latency, not study", r.stderr)

    def test_study_curves(self):
        series, ids, size = self.render("study", "study.json")
        # 128K's vcmdq_us is null: not drawn, nor its reduction.
        self.assertEqual(series, [("trapped/1", 5), ("vcmdq/1", 4), ("reduction/1", 4),
                                  ("trapped/2", 2), ("vcmdq/2", 2), ("reduction/2", 2)])
        self.assertLessEqual({"trapped/1", "vcmdq/1", "reduction/2"}, ids)
        self.assertEqual(size, (1000, 400))

    def test_sweep_lines(self):
        series, ids, size = self.render("sweep", "sweep.csv", "--y", "cmdq_mean")
        # Point 5 has an empty cell: a.trace at 80 has two points.
        self.assertEqual(series, [("trace=a.trace, mem.latency_cycles=40", 3),
                                  ("trace=a.trace, mem.latency_cycles=80", 2),
                                  ("trace=b.trace, mem.latency_cycles=40", 3),
                                  ("trace=b.trace, mem.latency_cycles=80", 3)])
        self.assertIn("trace=b.trace, mem.latency_cycles=80", ids)
        self.assertEqual(size, (800, 500))

    def test_sweep_surface(self):
        series, ids, size = self.render("surface", "sweep.csv", "--x", "smmu.exec.tlbi_va_cycles",
                                        "--y", "mem.latency_cycles", "--z", "cycles")
        self.assertEqual(series, [("trace=a.trace", 5), ("trace=b.trace", 6)])
        self.assertLessEqual({"trace=a.trace", "trace=b.trace"}, ids)
        self.assertEqual(size, (600, 900))

    def test_same_input_same_bytes(self):
        blobs = []
        for name in ("a.svg", "b.svg"):
            self.assertEqual(plot("study", os.path.join(DATA, "study.json"), "-o", self.out(name)).returncode, 0)
            with open(self.out(name), "rb") as f:
                blobs.append(f.read())
        self.assertEqual(blobs[0], blobs[1])

    def bad(self, kind, text, *extra, name="bad.json"):
        """Plots `text` (None: a missing file); returns stderr, after
        checking exit status 2 and that no image was written."""
        path = self.out(name)
        if text is not None:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        r = plot(kind, path, "-o", self.out("x.svg"), *extra)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertFalse(os.path.exists(self.out("x.svg")))
        self.assertIn(path, r.stderr)
        return r.stderr

    def test_missing_file(self):
        self.assertIn("cannot read: No such file or directory", self.bad("latency", None))

    def test_not_json(self):
        self.assertIn("bad.json:2:1: not JSON", self.bad("study", '{"rows":\n}'))

    def test_study_without_rows(self):
        self.assertIn("key 'rows' is missing", self.bad("study", '{"study": "x"}'))

    def test_study_row_without_key(self):
        err = self.bad("study", '{"rows": [{"size": 4096, "threads": 1, "trapped_us": 1, "vcmdq_us": 1},'
                                '{"size": 8192, "threads": 1, "trapped_us": 1}]}')
        self.assertIn("key 'rows[1].vcmdq_us' is missing", err)

    def test_study_mistyped(self):
        err = self.bad("study", '{"rows": [{"size": "4K", "threads": 1, "trapped_us": 1, "vcmdq_us": 1}]}')
        self.assertIn("key 'rows[0].size': expected an integer", err)

    def test_study_latency_not_finite(self):
        """Python's json takes NaN and Infinity (and 1e400 becomes inf): a
        study's latency must be a finite number >= 0 or null, not a point
        counted as drawn that is not."""
        row = '{"size": 4096, "threads": 1, "trapped_us": %s, "vcmdq_us": 1}'
        for v in ("NaN", "Infinity", "-Infinity", "1e400", "-1"):
            err = self.bad("study", '{"rows": [' + row % v + ']}')
            self.assertIn("key 'rows[0].trapped_us': expected a finite latency >= 0 or null", err)

    def test_study_row_twice(self):
        row = '{"size": 4096, "threads": 2, "trapped_us": %d, "vcmdq_us": 1}'
        err = self.bad("study", '{"rows": [' + row % 3 + ', ' + row % 4 + ']}')
        self.assertIn("rows[1]: size 4096 with 2 threads is given twice (rows[0])", err)

    def test_stats_without_statistics(self):
        self.assertIn("key 'statistics' is missing", self.bad("latency", '{"queues": []}'))

    def test_stats_without_samples(self):
        err = self.bad("latency", '{"statistics": {}, "queues": []}')
        self.assertIn("no queue has latency samples", err)

    def test_histogram_not_a_histogram(self):
        with open(os.path.join(DATA, "stats.json"), encoding="utf-8") as f:
            text = f.read()
        err = self.bad("latency", text, "--histogram", "soc.smmu.ignored_writes")
        self.assertIn("key 'statistics.soc.smmu.ignored_writes' is a counter, not a histogram", err)

    def test_histogram_buckets_that_mean_nothing(self):
        """Buckets the simulator never writes (lo > hi, a negative value,
        overlapping or out of order, counts not adding up to `count`) are
        errors naming the bucket, not bars drawn."""
        def stats(buckets, count=None):
            count = sum(b[2] for b in buckets) if count is None else count
            h = {"kind": "histogram", "count": count, "unit": "cycles",
                 "buckets": [{"lo": lo, "hi": hi, "count": n} for lo, hi, n in buckets]}
            return json.dumps({"statistics": {"q.latency_cycles": h}, "queues": [{"group": "q", "name": "q"}]})
        where = "key 'statistics.q.latency_cycles."
        cases = [
            (stats([(10, 5, 1)]), where + "buckets[0]': expected 0 <= lo <= hi and count >= 0"),
            (stats([(-5, 5, 1)]), where + "buckets[0]': expected 0 <= lo <= hi"),
            (stats([(0, 5, 2), (6, 9, -1)]), where + "buckets[1]': expected 0 <= lo <= hi and count >= 0"),
            (stats([(0, 5, 1), (3, 8, 1)]), where + "buckets[1]': lo 3 is not above the previous bucket's hi 5"),
            (stats([(6, 9, 1), (0, 5, 1)]), where + "buckets[1]': lo 0 is not above the previous bucket's hi 9"),
            (stats([], count=1), where + "count' is 1, its buckets' counts add up to 0"),
            (stats([(0, 5, 1)], count=3), where + "count' is 3, its buckets' counts add up to 1"),
        ]
        for text, message in cases:
            self.assertIn(message, self.bad("latency", text))

    def test_csv_not_a_sweep(self):
        self.assertIn("bad.csv:1: expected a sweep's header", self.bad("sweep", "a,b\n1,2\n", name="bad.csv"))

    def test_csv_without_column(self):
        """A header with no statistic after 'exit': refused, not a traceback."""
        for kind, extra in (("sweep", ()), ("surface", ("--x", "p", "--y", "q"))):
            err = self.bad(kind, "point,trace,p,q,exit\n0,t,1,1,0\n", *extra, name="bad.csv")
            self.assertIn("bad.csv: the sweep has no column (no statistic after 'exit' in the header) to plot", err)

    def test_describe_is_a_directory(self):
        """--describe naming a folder: refused before the image is drawn."""
        r = plot("study", os.path.join(DATA, "study.json"), "-o", self.out("x.svg"), "--describe", self.tmp.name)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn(f"{self.tmp.name}: cannot write (--describe): Is a directory", r.stderr)
        self.assertFalse(os.path.exists(self.out("x.svg")))

    def test_csv_short_row(self):
        err = self.bad("sweep", "point,trace,p,exit,c\n0,t,1,0,5\n1,t,2\n", name="bad.csv")
        self.assertIn("bad.csv:3: 3 fields, the header has 5", err)

    def test_csv_not_a_number(self):
        """A column of numbers with text in it: refused at the cell."""
        err = self.bad("sweep", "point,trace,p,exit,c\n0,t,1,0,5\n1,t,2,0,five\n", name="bad.csv")
        self.assertIn("bad.csv:3: column 'c': 'five' is not a number", err)

    def drawn(self, name, csv_text):
        """A sweep plot of `csv_text` (written to `name`): its path and the
        (name, points) of each series drawn."""
        path = self.out(name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(csv_text)
        r = plot("sweep", path, "-o", self.out("d.svg"), "--describe", "-")
        self.assertEqual(r.returncode, 0, r.stderr)
        return path, [(s["name"], s["points"]) for s in json.loads(r.stdout)["series"]]

    def test_csv_text_column(self):
        """A column of text (a string statistic such as /queues/0/name, the
        sweep's default y when it is the first column): drawn as categories,
        not refused after every point ran; a surface's colour needs numbers."""
        path, series = self.drawn("t.csv", "point,trace,p,q,exit,name\n0,t,1,1,0,smmu.cmdq\n1,t,2,1,0,\n"
                                           "2,t,3,1,0,cmdqv.vcmdq0\n")
        self.assertEqual(series, [("trace=t, q=1", 2)])
        r = plot("surface", path, "-o", self.out("u.svg"), "--x", "p", "--y", "q")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn(f"{path}: --z 'name': the column holds text ('cmdqv.vcmdq0'), a surface's colour needs numbers",
                      r.stderr)
        self.assertFalse(os.path.exists(self.out("u.svg")))

    def test_csv_boolean_column(self):
        """A sweep writes a JSON boolean statistic (e.g. /complete) as
        true/false: drawn as 1 and 0, not refused after every point ran."""
        _, series = self.drawn("b.csv", "point,trace,p,exit,complete\n0,t,1,0,true\n1,t,2,1,false\n")
        self.assertEqual(series, [("trace=t", 2)])

    def test_csv_not_finite(self):
        for v in ("nan", "inf", "-Infinity", "1e400"):
            err = self.bad("sweep", f"point,trace,p,exit,c\n0,t,1,0,{v}\n", name="bad.csv")
            self.assertIn(f"bad.csv:2: column 'c': '{v}' is not a number", err)

    def test_option_of_another_kind(self):
        """An option the kind does not take would be ignored: an error."""
        study = os.path.join(DATA, "study.json")
        sweep = os.path.join(DATA, "sweep.csv")
        for args, message in (
                (("study", study, "--x", "size"), "--x: goes with sweep or surface, not study"),
                (("latency", os.path.join(DATA, "stats.json"), "--y", "c"),
                 "--y: goes with sweep or surface, not latency"),
                (("sweep", sweep, "--z", "cycles"), "--z: goes with surface, not sweep"),
                (("sweep", sweep, "--histogram", "h"), "--histogram: goes with latency, not sweep"),
                (("latency", os.path.join(DATA, "stats.json"), "--histogram", "soc.smmu.cmdq.latency_cycles",
                  "--histogram", "soc.smmu.cmdq.latency_cycles"),
                 "--histogram soc.smmu.cmdq.latency_cycles: is given twice")):
            r = plot(*args, "-o", self.out("x.svg"))
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertIn(message, r.stderr)
            self.assertFalse(os.path.exists(self.out("x.svg")))

    def test_describe_in_missing_dir(self):
        """--describe that cannot be written: exit 2 and no image left."""
        desc = self.out("none/d.json")
        r = plot("study", os.path.join(DATA, "study.json"), "-o", self.out("x.svg"), "--describe", desc)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn(f"{desc}: cannot write (--describe): No such file or directory", r.stderr)
        self.assertFalse(os.path.exists(self.out("x.svg")))

    def test_unknown_axis(self):
        err = self.bad("sweep", "point,trace,p,exit,c\n0,t,1,0,5\n", "--x", "q", name="bad.csv")
        self.assertIn("--x 'q' is not a parameter of this sweep (it has: p)", err)

    def test_program(self):
        """The program itself: exit status 0 with an image, 2 with a
        message naming the input."""
        run = [sys.executable, PLOT, "study"]
        ok = subprocess.run(run + [os.path.join(DATA, "study.json"), "-o", self.out("s.png")],
                            capture_output=True, text=True, timeout=120)
        self.assertEqual((ok.returncode, ok.stderr), (0, ""))
        self.assertEqual(png_size(self.out("s.png")), (1000, 400))
        bad = subprocess.run(run + [self.out("none.json"), "-o", self.out("n.png")],
                             capture_output=True, text=True, timeout=120)
        self.assertEqual(bad.returncode, 2)
        self.assertEqual(bad.stderr, f"smmusim plot: {self.out('none.json')}: cannot read: No such file or directory\n")

    def test_output_suffix(self):
        r = plot("study", os.path.join(DATA, "study.json"), "-o", self.out("x.jpg"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("x.jpg: the output must end in .svg or .png", r.stderr)


if __name__ == "__main__":
    unittest.main()
