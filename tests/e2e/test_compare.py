#!/usr/bin/python3
"""scripts/compare.py on real reports: totals and their ratios, layers ranked by the cycles they
gained or lost, bound changes, unmatched layers, and its errors.

Usage: test_compare.py --npusim PATH [unittest args]. Runs from the repository root.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(REPO, "scripts", "compare.py")
NPUSIM = None


def report(directory, name, workload, *sets):
    command = [NPUSIM, "--arch", "configs/int8_64x64.yaml", "--format", "json"]
    for override in sets:
        command += ["--set", override]
    result = subprocess.run(command + [workload], cwd=REPO, capture_output=True, text=True,
                            check=True)
    path = os.path.join(directory, name)
    with open(path, "w", encoding="utf-8") as file:
        file.write(result.stdout)
    return path, json.loads(result.stdout)


def compare(*args):
    return subprocess.run([sys.executable, SCRIPT, *args], cwd=REPO, capture_output=True,
                          text=True, check=False)


class Compare(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        # ResNet-50 at 12.8 and at 25.6 GB/s: its memory-bound layers speed up.
        cls.a_path, cls.a = report(cls.tmp.name, "a.json", "workloads/resnet.yaml")
        cls.b_path, cls.b = report(cls.tmp.name, "b.json", "workloads/resnet.yaml",
                                   "dram.bandwidth_gbps=25.6")
        result = compare(cls.a_path, cls.b_path, "--json", "--top", "5")
        if result.returncode != 0:
            raise AssertionError(result.stderr)
        cls.result = json.loads(result.stdout)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_totals_and_ratios_are_the_reports(self):
        self.assertEqual(self.result["a"]["cycles"], self.a["totals"]["cycles"])
        self.assertEqual(self.result["b"]["cycles"], self.b["totals"]["cycles"])
        self.assertAlmostEqual(self.result["ratios"]["cycles"],
                               self.b["totals"]["cycles"] / self.a["totals"]["cycles"])
        t = self.b["totals"]
        self.assertEqual(self.result["b"]["dram_bytes"],
                         t["dram_read_bytes"] + t["dram_write_bytes"])

    def test_layers_ranked_by_cycles_gained_or_lost(self):
        rows = self.result["layers"]
        self.assertEqual(len(rows), 5)
        deltas = [abs(row["delta_cycles"]) for row in rows]
        self.assertEqual(deltas, sorted(deltas, reverse=True))
        by_name = {layer["name"]: layer for layer in self.a["layers"]}
        others = {layer["name"]: layer for layer in self.b["layers"]}
        for row in rows:
            self.assertEqual(row["cycles_a"], by_name[row["name"]]["cycles"])
            self.assertEqual(row["delta_cycles"],
                             others[row["name"]]["cycles"] - by_name[row["name"]]["cycles"])
        # Nothing larger was left out.
        every = sorted((abs(o["cycles"] - by_name[n]["cycles"]) for n, o in others.items()),
                       reverse=True)
        self.assertEqual(deltas, every[:5])

    def test_counts(self):
        unchanged = sum(1 for l in self.a["layers"]
                        if l["cycles"] == {x["name"]: x for x in self.b["layers"]}[l["name"]]["cycles"])
        self.assertEqual(self.result["unchanged_layers"], unchanged)
        bounds = sum(1 for la, lb in zip(self.a["layers"], self.b["layers"])
                     if la["bound"] != lb["bound"])
        self.assertEqual(self.result["bound_changes"], bounds)
        self.assertGreater(bounds, 0)
        self.assertEqual(self.result["only_in_a"], [])

    def test_table(self):
        result = compare(self.a_path, self.b_path, "--top", "3")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("cycles", result.stdout)
        self.assertIn(f"{self.a['totals']['cycles']:,}", result.stdout)
        self.assertIn("layers that changed most (3 shown;", result.stdout)

    def test_unmatched_layers_are_listed(self):
        other_path, other = report(self.tmp.name, "tiny.json", "workloads/tiny_cnn.yaml")
        result = json.loads(compare(self.a_path, other_path, "--json").stdout)
        self.assertEqual(result["only_in_b"], [l["name"] for l in other["layers"]
                                               if l["name"] not in {x["name"] for x in self.a["layers"]}])
        self.assertTrue(result["only_in_a"])

    def test_errors(self):
        missing = compare(self.a_path, os.path.join(self.tmp.name, "none.json"))
        self.assertEqual(missing.returncode, 1)
        self.assertIn("cannot read the report", missing.stderr)
        not_a_report = os.path.join(self.tmp.name, "x.json")
        with open(not_a_report, "w", encoding="utf-8") as file:
            file.write("{}")
        wrong = compare(self.a_path, not_a_report)
        self.assertEqual(wrong.returncode, 1)
        self.assertIn("not an npusim report", wrong.stderr)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--npusim", required=True)
    known, rest = parser.parse_known_args()
    NPUSIM = os.path.abspath(known.npusim)
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
