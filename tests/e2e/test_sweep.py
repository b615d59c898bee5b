#!/usr/bin/python3
"""scripts/sweep.py end to end: the grid it runs, rows that are the npusim runs they name, refused
points, CSV and plot output, and its usage errors.

Usage: test_sweep.py --npusim PATH [unittest args]. Runs from the repository root.
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(REPO, "scripts", "sweep.py")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
NPUSIM = None

# tiny_cnn on the 32x32 design with a square array of 8 or 16 and 3.2 or 6.4 GB/s: four points.
GRID = ["--arch", "int8_32x32", "--workload", "workloads/tiny_cnn.yaml",
        "--vary", "array.rows+array.cols", "8", "16", "--vary", "dram.bandwidth_gbps", "3.2", "6.4"]


def sweep(*args):
    return subprocess.run([sys.executable, SCRIPT, "--npusim", NPUSIM, *args], cwd=REPO,
                          capture_output=True, text=True, check=False)


def npusim_totals(*sets, workload="workloads/tiny_cnn.yaml", arch="configs/int8_32x32.yaml"):
    command = [NPUSIM, "--arch", arch, "--format", "json"]
    for override in sets:
        command += ["--set", override]
    result = subprocess.run(command + [workload], cwd=REPO, capture_output=True, text=True,
                            check=True)
    return json.loads(result.stdout)["totals"]


class Grid(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        result = sweep(*GRID, "--json", "--jobs", "2")
        if result.returncode != 0:
            raise AssertionError(f"sweep.py failed: {result.stderr}")
        cls.rows = json.loads(result.stdout)

    def test_every_point_in_grid_order(self):
        # The later --vary varies fastest, whatever order the runs finished in.
        self.assertEqual([(row["array.rows+array.cols"], row["dram.bandwidth_gbps"])
                          for row in self.rows],
                         [("8", "3.2"), ("8", "6.4"), ("16", "3.2"), ("16", "6.4")])
        for row in self.rows:
            self.assertEqual((row["arch"], row["workload"], row["error"]),
                             ("int8_32x32", "tiny_cnn", ""))

    def test_rows_are_the_runs_they_name(self):
        # Joined keys take each value together: 16 sets both rows and cols.
        for row in self.rows:
            side = row["array.rows+array.cols"]
            totals = npusim_totals(f"array.rows={side}", f"array.cols={side}",
                                   f"dram.bandwidth_gbps={row['dram.bandwidth_gbps']}")
            self.assertEqual(row["cycles"], totals["cycles"])
            self.assertEqual(row["dram_bytes"],
                             totals["dram_read_bytes"] + totals["dram_write_bytes"])
            self.assertAlmostEqual(row["energy_uj"], totals["energy_pj"] / 1e6)
            self.assertEqual(row["peak_activation_bytes"], totals["peak_activation_bytes"])

    def test_the_grid_moves_the_figures(self):
        by_point = {(r["array.rows+array.cols"], r["dram.bandwidth_gbps"]): r for r in self.rows}
        # 4x the PEs: 4x the peak.
        self.assertAlmostEqual(by_point["16", "3.2"]["peak_tops"],
                               4 * by_point["8", "3.2"]["peak_tops"])
        # More bandwidth never slows the run.
        for side in ("8", "16"):
            self.assertLessEqual(by_point[side, "6.4"]["cycles"], by_point[side, "3.2"]["cycles"])


class Outputs(unittest.TestCase):
    def test_refused_points_are_rows_with_the_error(self):
        # A 1 KiB input buffer cannot hold ResNet-50's stem tile: that point is refused, the
        # other runs, and the sweep still succeeds.
        result = sweep("--arch", "configs/int8_64x64.yaml", "--workload", "workloads/resnet.yaml",
                       "--vary", "sram.input.size_kib", "1", "2048", "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("npusim refused 1 of 2 points", result.stderr)
        refused, ran = json.loads(result.stdout)
        self.assertIn("layer 'conv1': no tile fits the SRAM buffers", refused["error"])
        self.assertIsNone(refused["cycles"])
        self.assertEqual(ran["error"], "")
        self.assertEqual(ran["cycles"], npusim_totals(
            workload="workloads/resnet.yaml", arch="configs/int8_64x64.yaml")["cycles"])

    def test_csv_and_plot(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "sweep.csv")
            png = os.path.join(tmp, "sweep.png")
            result = sweep(*GRID, "--set", "vector.lanes=8", "--out", out, "--plot", png,
                           "--x", "dram.bandwidth_gbps", "--y", "cycles",
                           "--series", "array.rows+array.cols")
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertEqual(result.stdout, "")  # the rows went to the file
            with open(out, newline="", encoding="utf-8") as file:
                rows = list(csv.DictReader(file))
            self.assertEqual(len(rows), 4)
            self.assertEqual(list(rows[0])[:4], ["arch", "workload", "array.rows+array.cols",
                                                 "dram.bandwidth_gbps"])
            self.assertEqual(list(rows[0])[-1], "error")
            # The fixed --set reaches every point.
            self.assertEqual(int(rows[3]["cycles"]), npusim_totals(
                "vector.lanes=8", "array.rows=16", "array.cols=16",
                "dram.bandwidth_gbps=6.4")["cycles"])
            with open(png, "rb") as file:
                data = file.read()
            self.assertEqual(data[:8], PNG_SIGNATURE)
            self.assertGreater(len(data), 10_000)

    def test_table_on_stdout(self):
        result = sweep(*GRID)
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = result.stdout.splitlines()
        self.assertEqual(len(lines), 5)
        self.assertTrue(lines[0].startswith("arch"))
        self.assertIn("cycles", lines[0])

    def test_usage_errors(self):
        for args, message in [
                (("--vary", "dram.bandwidth_gbps"), "expected KEY[+KEY...] VALUE"),
                (("--vary", "a=1", "2"), "expected KEY[+KEY...] VALUE"),
                (("--vary", "dram.bandwidth_gbps", "1", "--vary", "dram.bandwidth_gbps", "2"),
                 "varied twice"),
                (("--vary", "dram.bandwidth_gbps", "1", "--plot", "x.png", "--x", "array.rows"),
                 "--plot needs --x"),
                (("--vary", "dram.bandwidth_gbps", "1", "--plot", "x.png", "--x",
                  "dram.bandwidth_gbps", "--y", "speed"), "--y speed"),
        ]:
            with self.subTest(args=args):
                result = sweep("--arch", "int8_32x32", "--workload", "workloads/tiny_cnn.yaml",
                               *args)
                self.assertEqual(result.returncode, 2, result.stderr)
                self.assertIn(message, result.stderr)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--npusim", required=True)
    known, rest = parser.parse_known_args()
    NPUSIM = os.path.abspath(known.npusim)
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
