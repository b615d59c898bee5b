#!/usr/bin/python3
"""npy files against real numpy: numpy.save writes arrays, npy_tests (NpyInterop.*) reads them and
writes the same arrays back, and numpy.load must read those with the same dtype, shape and bits,
from files byte-identical to numpy.save's.

Usage: npy_interop_test.py --npy-tests BUILD/tests/unit/functional/npy_tests
"""

import argparse
import io
import os
import subprocess
import sys
import tempfile

import numpy as np
from numpy.lib import format as npy_format

# The same arrays as InteropArrays in npy_test.cpp.
ARRAYS = {
    "int8": np.array([-128, -1, 0, 1, 127], dtype="<i1"),
    "uint8": np.array([0, 1, 254, 255], dtype="<u1"),
    "int32": np.array([[-2**31, -1, 0], [1, 123456789, 2**31 - 1]], dtype="<i4"),
    "int64": np.array([-2**63, 0, 2**63 - 1], dtype="<i8"),
    "float32": np.array([0.0, -0.0, 1.5, -2.25, np.finfo(np.float32).max,
                         np.finfo(np.float32).smallest_subnormal, np.inf, -np.inf], dtype="<f4"),
    "float32_4d": ((np.arange(120) - 60) / 4).astype("<f4").reshape(2, 3, 4, 5),
    "int8_4d": (np.arange(12) - 6).astype("<i1").reshape(2, 1, 3, 2),
    "float64_scalar": np.array(0.1, dtype="<f8"),
    "int8_empty": np.zeros((2, 0), dtype="<i1"),
}


def save_bytes(array):
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--npy-tests", required=True, help="the npy_tests executable")
    args = parser.parse_args()

    failures = []
    with tempfile.TemporaryDirectory(prefix="npy_interop_") as directory:
        for name, array in ARRAYS.items():
            np.save(os.path.join(directory, f"numpy_{name}.npy"), array)
        for version in ((2, 0), (3, 0)):
            with open(os.path.join(directory, f"numpy_int32_v{version[0]}.npy"), "wb") as f:
                npy_format.write_array(f, ARRAYS["int32"], version=version)

        env = dict(os.environ, NPY_INTEROP_DIR=directory)
        run = subprocess.run([args.npy_tests, "--gtest_filter=NpyInterop.*"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             check=False)
        print(run.stdout)
        if run.returncode != 0 or "[  SKIPPED ]" in run.stdout:
            failures.append(f"npy_tests --gtest_filter=NpyInterop.* exited {run.returncode}")

        for name, expected in ARRAYS.items():
            path = os.path.join(directory, f"ours_{name}.npy")
            if not os.path.exists(path):
                failures.append(f"{name}: npy_tests did not write {path}")
                continue
            loaded = np.load(path, allow_pickle=False)
            if loaded.dtype != expected.dtype or loaded.shape != expected.shape:
                failures.append(f"{name}: numpy loads {loaded.dtype}{loaded.shape}, "
                                f"expected {expected.dtype}{expected.shape}")
            elif loaded.tobytes() != expected.tobytes():
                failures.append(f"{name}: numpy loads {loaded!r}, expected {expected!r}")
            with open(path, "rb") as f:
                ours = f.read()
            if ours != save_bytes(expected):
                failures.append(f"{name}: our file differs from numpy.save's:\n  ours  {ours[:200]!r}"
                                f"\n  numpy {save_bytes(expected)[:200]!r}")

    for failure in failures:
        print("FAIL:", failure)
    print(f"npy interop with numpy {np.__version__}: "
          f"{'FAILED' if failures else 'OK'} ({len(ARRAYS)} arrays each way, plus versions 2.0, 3.0)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
