# SPDX-License-Identifier: GPL-2.0-only
"""kernel_shim/selftest/run_selftest.py's reading of not-run.txt: rows for
every series and rows for one (@7.3), the --kernel version, and the errors
a bad row gets (file:line:col). Not here: running the selftest itself (the
ctest IommufdSelftest)."""
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "kernel_shim", "selftest"))
import run_selftest  # noqa: E402


class NotRunRows(unittest.TestCase):
    def rows(self, text, series):
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
            f.write(text)
        self.addCleanup(os.unlink, f.name)
        return f.name, lambda: run_selftest.read_not_run(f.name, series)

    def test_untagged_rows_hold_for_every_series(self):
        _, read = self.rows("# comment\n\na.b.c  why\n", "7.2")
        self.assertEqual(read(), {"a.b.c": "why"})

    def test_a_tagged_row_holds_for_its_series_only(self):
        text = "@7.3 a.b.c  kernel: 7.3's bug\n@7.2,7.4 a.b.d  not modelled: x\n"
        _, read73 = self.rows(text, "7.3")
        _, read72 = self.rows(text, "7.2")
        _, read74 = self.rows(text, "7.4")
        self.assertEqual(read73(), {"a.b.c": "kernel: 7.3's bug"})
        self.assertEqual(read72(), {"a.b.d": "not modelled: x"})
        self.assertEqual(read74(), {"a.b.d": "not modelled: x"})

    def test_one_case_may_have_a_row_per_series(self):
        text = "@7.3 a.b.c  kernel: one\n@7.2 a.b.c  not modelled: two\n"
        _, read = self.rows(text, "7.2")
        self.assertEqual(read(), {"a.b.c": "not modelled: two"})

    def test_twice_for_one_series_is_refused(self):
        path, read = self.rows("a.b.c  one\n@7.3 a.b.c  two\n", "7.3")
        with self.assertRaises(SystemExit) as e:
            read()
        self.assertEqual(str(e.exception), f"{path}:2:1: 'a.b.c' listed twice for Linux 7.3")
        _, read72 = self.rows("a.b.c  one\n@7.3 a.b.c  two\n", "7.2")
        self.assertEqual(read72(), {"a.b.c": "one"})

    def test_bad_tags_and_rows_are_refused_with_file_line_col(self):
        for text, message in (("@7 a.b.c  why\n", "'@7' is not '@SERIES[,SERIES...]' before a case"),
                              ("@7.3,x a.b.c  why\n", "'@7.3,x' is not '@SERIES[,SERIES...]' before a case"),
                              ("@7.3\n", "'@7.3' is not '@SERIES[,SERIES...]' before a case"),
                              ("@7.2 a.b.c\n", "'a.b.c' has no reason")):
            path, read = self.rows(text, "7.3")
            with self.assertRaises(SystemExit) as e:
                read()
            self.assertEqual(str(e.exception), f"{path}:1:1: {message}")

    def test_series_of_a_version(self):
        self.assertEqual(run_selftest.series_of("7.3.4"), "7.3")
        self.assertEqual(run_selftest.series_of("7.2"), "7.2")
        self.assertEqual(run_selftest.series_of("7.2.13-rc1"), "7.2")
        with self.assertRaises(SystemExit) as e:
            run_selftest.series_of("seven")
        self.assertEqual(str(e.exception), "--kernel 'seven': not a kernel version such as 7.3.4")

    def test_the_project_list_reads_for_both_series(self):
        path = os.path.join(os.path.dirname(__file__), "..", "..", "kernel_shim", "selftest", "not-run.txt")
        for series in ("7.2", "7.3"):
            rows = run_selftest.read_not_run(path, series)
            self.assertTrue(rows)
            self.assertTrue(all(why for why in rows.values()))


if __name__ == "__main__":
    unittest.main()
