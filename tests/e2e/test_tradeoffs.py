#!/usr/bin/python3
"""scripts/tradeoffs.py on ResNet-50: one row per config and weights, each the npusim run it names.

Usage: test_tradeoffs.py --npusim PATH [unittest args]. Runs from the repository root.
"""

import argparse
import json
import os
import subprocess
import sys
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(REPO, "scripts", "tradeoffs.py")
NPUSIM = None


class Tradeoffs(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        result = subprocess.run([sys.executable, SCRIPT, "--npusim", NPUSIM, "--json"], cwd=REPO,
                                capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise AssertionError(f"tradeoffs.py failed: {result.stderr}")
        cls.rows = {(row["config"], row["weights"]): row for row in json.loads(result.stdout)}

    def test_rows_are_the_runs_they_name(self):
        self.assertEqual(len(self.rows), 9)
        direct = subprocess.run([NPUSIM, "--arch", "configs/int8_64x64.yaml", "--format", "json",
                                 "workloads/resnet.yaml"], cwd=REPO, capture_output=True,
                                text=True, check=True)
        self.assertEqual(self.rows["int8_64x64", "dense"]["cycles"],
                         json.loads(direct.stdout)["totals"]["cycles"])

    def test_gating_saves_energy_not_time_and_skipping_saves_both(self):
        for config in ("int8_64x64", "fp16_64x64"):
            dense = self.rows[config, "dense"]
            gated = self.rows[config, "2:4 gated"]
            skipped = self.rows[config, "2:4 skipped"]
            self.assertEqual(gated["cycles"], dense["cycles"], config)
            self.assertLess(gated["energy_uj"], dense["energy_uj"], config)
            self.assertLess(skipped["cycles"], dense["cycles"], config)
            self.assertLess(skipped["dram_bytes"], dense["dram_bytes"], config)
            self.assertLess(skipped["energy_uj"], gated["energy_uj"], config)

    def test_int4_halves_the_bytes_and_is_gated_not_skipped(self):
        int8 = self.rows["int8_64x64", "dense"]
        int4 = self.rows["int4_64x64", "dense"]
        self.assertLess(int4["dram_bytes"], 0.55 * int8["dram_bytes"])
        self.assertAlmostEqual(int4["peak_tops"], 2 * int8["peak_tops"], places=6)
        skipped = self.rows["int4_64x64", "2:4 skipped"]
        self.assertEqual(skipped["cycles"], int4["cycles"])
        self.assertIn("not modelled for packed int4", skipped["warning"])


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--npusim", required=True)
    known, rest = parser.parse_known_args()
    NPUSIM = os.path.abspath(known.npusim)
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
