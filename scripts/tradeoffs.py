#!/usr/bin/python3
"""Prints what precision and sparsity buy on one design family: a workload at several operand
precisions (one config each), dense and with N:M sparse weights, gated and skipped.

Usage:
  scripts/tradeoffs.py                         # ResNet-50 on int8/int4/fp16_64x64, dense and 2:4
  scripts/tradeoffs.py --npusim build/tools/npusim --configs int8_64x64 fp16_64x64
  scripts/tradeoffs.py --dense workloads/resnet.yaml --sparse workloads/resnet_2of4.yaml --json

Each row is one npusim run (`--format json`); the sparse runs override the design's `sparsity`
block with `--set` (gating: zero operands do not toggle the MAC; skipping: the listed N:M
pattern is not scheduled and its weights move compressed; docs/sparsity.md). Ratios are against
the first config's dense run. Standard library only.
"""

import argparse
import json
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--npusim", default=os.path.join(REPO, "build", "tools", "npusim"),
                        help="the simulator binary (default: %(default)s)")
    parser.add_argument("--configs", nargs="+", default=["int8_64x64", "int4_64x64", "fp16_64x64"],
                        help="config names in configs/ or paths (default: %(default)s)")
    parser.add_argument("--dense", default=os.path.join(REPO, "workloads", "resnet.yaml"),
                        help="the dense workload (default: %(default)s)")
    parser.add_argument("--sparse", default=os.path.join(REPO, "workloads", "resnet_2of4.yaml"),
                        help="the same workload declaring N:M weights (default: %(default)s)")
    parser.add_argument("--pattern", default="2:4", help="the N:M pattern (default: %(default)s)")
    parser.add_argument("--metadata-bits", type=int, default=2,
                        help="index bits per kept weight when skipping (default: %(default)s)")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON instead")
    return parser.parse_args(argv)


def config_path(name):
    return name if name.endswith(".yaml") else os.path.join(REPO, "configs", name + ".yaml")


def run(args, config, workload, overrides):
    command = [args.npusim, "--arch", config_path(config), "--format", "json"]
    for override in overrides:
        command += ["--set", override]
    result = subprocess.run(command + [workload], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"tradeoffs: {' '.join(command)} {workload} failed: {result.stderr.strip()}")
    return json.loads(result.stdout)["totals"], result.stderr.strip()


def rows(args):
    variants = [
        ("dense", args.dense, []),
        ("gated", args.sparse, ["sparsity.support=gating"]),
        ("skipped", args.sparse, ["sparsity.support=skipping",
                                  f"sparsity.structured_patterns=[{args.pattern}]",
                                  f"sparsity.metadata_bits_per_nonzero={args.metadata_bits}"]),
    ]
    table = []
    for config in args.configs:
        for name, workload, overrides in variants:
            totals, warnings = run(args, config, workload, overrides)
            table.append({
                "config": os.path.basename(config_path(config))[:-len(".yaml")],
                "weights": "dense" if name == "dense" else f"{args.pattern} {name}",
                "cycles": totals["cycles"],
                "latency_ms": totals["latency_ms"],
                "dram_bytes": totals["dram_read_bytes"] + totals["dram_write_bytes"],
                "energy_uj": totals["energy_pj"] / 1e6,
                "inferences_per_j": totals["inferences_per_j"],
                "peak_tops": totals["peak_tops"],
                "warning": warnings.splitlines()[0] if warnings else "",
            })
    return table


def print_table(table):
    base = table[0]
    print(f"{'config':<12} {'weights':<14} {'cycles':>11} {'latency':>9} {'DRAM':>9} "
          f"{'energy':>10} {'inf/J':>7} {'peak':>6}   vs {base['config']} {base['weights']}")
    for row in table:
        print(f"{row['config']:<12} {row['weights']:<14} {row['cycles']:>11,} "
              f"{row['latency_ms']:>7.2f}ms {row['dram_bytes'] / 1e6:>7.1f}MB "
              f"{row['energy_uj']:>8.0f}uJ {row['inferences_per_j']:>7.1f} "
              f"{row['peak_tops']:>4.2f}T   time x{row['cycles'] / base['cycles']:.2f}, "
              f"bytes x{row['dram_bytes'] / base['dram_bytes']:.2f}, "
              f"energy x{row['energy_uj'] / base['energy_uj']:.2f}")
    for row in table:
        if row["warning"]:
            print(f"note ({row['config']}, {row['weights']}): {row['warning']}")


def main(argv):
    args = parse_args(argv)
    table = rows(args)
    if args.json:
        json.dump(table, sys.stdout, indent=2)
        print()
    else:
        print_table(table)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
