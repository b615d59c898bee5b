#!/usr/bin/python3
"""Smoke test of scripts/plot_roofline.py: a real report in, a real PNG out.

Usage: test_roofline_plot.py --npusim PATH [unittest args]. Runs from the repository root.
"""

import argparse
import os
import struct
import subprocess
import sys
import tempfile
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(REPO, "scripts", "plot_roofline.py")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
NPUSIM = None


def png_size(data):
    """(width, height) from the IHDR chunk that must follow the signature."""
    length, kind = struct.unpack(">I4s", data[8:16])
    if kind != b"IHDR" or length != 13:
        raise AssertionError("no IHDR chunk after the PNG signature")
    return struct.unpack(">II", data[16:24])


class PlotRoofline(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        result = subprocess.run([NPUSIM, "--arch", "configs/int8_64x64.yaml", "--format", "json",
                                 "workloads/tiny_cnn.yaml"],
                                cwd=REPO, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise AssertionError(f"npusim failed: {result.stderr}")
        cls.report = result.stdout

    def check_png(self, path):
        with open(path, "rb") as f:
            data = f.read()
        self.assertEqual(data[:8], PNG_SIGNATURE)
        width, height = png_size(data)
        self.assertGreaterEqual(width, 800)
        self.assertGreaterEqual(height, 500)
        # A blank canvas of that size compresses to a few KiB; axes, roof, points and text do not.
        self.assertGreater(len(data), 20_000)

    def test_report_on_stdin(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "roofline.png")
            result = subprocess.run([sys.executable, SCRIPT, "--out", out], input=self.report,
                                    cwd=REPO, capture_output=True, text=True, check=False)
            self.assertEqual(result.returncode, 0, result.stderr)
            self.check_png(out)

    def test_report_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            report = os.path.join(tmp, "report.json")
            with open(report, "w") as f:
                f.write(self.report)
            out = os.path.join(tmp, "plot.png")
            result = subprocess.run([sys.executable, SCRIPT, report, "--out", out, "--label", "2"],
                                    cwd=REPO, capture_output=True, text=True, check=False)
            self.assertEqual(result.returncode, 0, result.stderr)
            self.check_png(out)

    def test_not_a_report(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "never.png")
            result = subprocess.run([sys.executable, SCRIPT, "--out", out], input='{"a": 1}',
                                    cwd=REPO, capture_output=True, text=True, check=False)
            self.assertEqual(result.returncode, 1)
            self.assertIn("roofline", result.stderr)
            self.assertFalse(os.path.exists(out))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--npusim", required=True)
    options, rest = parser.parse_known_args()
    NPUSIM = os.path.abspath(options.npusim)
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)
