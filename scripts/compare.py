#!/usr/bin/python3
"""Compares two npusim runs of the same workload layer by layer: where the cycles, bytes and
energy went, and which layers changed what bounds them.

Usage:
  npusim --arch configs/int8_64x64.yaml --format json workloads/resnet.yaml > a.json
  npusim --arch configs/int8_64x64.yaml --set dram.bandwidth_gbps=25.6 --format json \\
      workloads/resnet.yaml > b.json
  scripts/compare.py a.json b.json [--top 10] [--json]

Prints the totals of both runs with B's ratio to A, then the layers whose cycles changed most
(by cycles gained or lost, largest first), each with both runs' cycles, bound and DRAM bytes,
and a count of layers whose bound changed. Layers are matched by name; layers only one run has
are listed. Standard library only.
"""

import argparse
import json
import sys

TOTALS = [
    ("cycles", "cycles", "{:,.0f}"),
    ("latency_ms", "latency (ms)", "{:.3f}"),
    ("utilization", "utilization", "{:.1%}"),
    ("dram_bytes", "DRAM bytes", "{:,.0f}"),
    ("energy_uj", "energy (uJ)", "{:,.1f}"),
    ("inferences_per_j", "inferences/J", "{:,.1f}"),
]


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("a", help="the first run's report (npusim --format json)")
    parser.add_argument("b", help="the second run's report")
    parser.add_argument("--top", type=int, default=10,
                        help="how many changed layers to list (default: %(default)s)")
    parser.add_argument("--json", action="store_true", help="print the comparison as JSON")
    return parser.parse_args(argv)


def read_report(path):
    try:
        with open(path, encoding="utf-8") as file:
            report = json.load(file)
    except (OSError, json.JSONDecodeError) as error:
        sys.exit(f"compare: {path}: cannot read the report: {error}")
    if "totals" not in report or "layers" not in report:
        sys.exit(f"compare: {path}: not an npusim report (expected npusim --format json)")
    return report


def totals_of(report):
    t = report["totals"]
    return {
        "cycles": t["cycles"],
        "latency_ms": t["latency_ms"],
        "utilization": t["utilization"],
        "dram_bytes": t["dram_read_bytes"] + t["dram_write_bytes"],
        "energy_uj": t["energy_pj"] / 1e6,
        "inferences_per_j": t["inferences_per_j"],
    }


def ratio(b, a):
    return b / a if a else None


def compare(a, b, top):
    totals_a, totals_b = totals_of(a), totals_of(b)
    layers_a = {layer["name"]: layer for layer in a["layers"]}
    layers_b = {layer["name"]: layer for layer in b["layers"]}
    common = [layer["name"] for layer in a["layers"] if layer["name"] in layers_b]
    changed = []
    for name in common:
        la, lb = layers_a[name], layers_b[name]
        changed.append({
            "name": name,
            "op": la["op"],
            "cycles_a": la["cycles"],
            "cycles_b": lb["cycles"],
            "delta_cycles": lb["cycles"] - la["cycles"],
            "bound_a": la["bound"],
            "bound_b": lb["bound"],
            "dram_bytes_a": la["dram_read_bytes"] + la["dram_write_bytes"],
            "dram_bytes_b": lb["dram_read_bytes"] + lb["dram_write_bytes"],
        })
    changed.sort(key=lambda row: (-abs(row["delta_cycles"]), row["name"]))
    return {
        "a": {"arch": a.get("arch"), "workload": a.get("workload"), **totals_a},
        "b": {"arch": b.get("arch"), "workload": b.get("workload"), **totals_b},
        "ratios": {key: ratio(totals_b[key], totals_a[key]) for key in totals_a},
        "layers": [row for row in changed if row["delta_cycles"] != 0][:max(top, 0)],
        "unchanged_layers": sum(1 for row in changed if row["delta_cycles"] == 0),
        "bound_changes": sum(1 for row in changed if row["bound_a"] != row["bound_b"]),
        "only_in_a": [name for name in layers_a if name not in layers_b],
        "only_in_b": [name for name in layers_b if name not in layers_a],
    }


def print_comparison(result):
    a, b = result["a"], result["b"]
    print(f"A: {a['workload']} on {a['arch']}")
    print(f"B: {b['workload']} on {b['arch']}")
    print(f"{'':<14} {'A':>16} {'B':>16} {'B/A':>7}")
    for key, label, form in TOTALS:
        r = result["ratios"][key]
        print(f"{label:<14} {form.format(a[key]):>16} {form.format(b[key]):>16} "
              f"{'' if r is None else f'{r:.3f}':>7}")
    rows = result["layers"]
    if rows:
        print(f"\nlayers that changed most ({len(rows)} shown; "
              f"{result['unchanged_layers']} unchanged, {result['bound_changes']} changed bound):")
        width = max(len(row["name"]) for row in rows)
        for row in rows:
            bound = (row["bound_a"] if row["bound_a"] == row["bound_b"]
                     else f"{row['bound_a']} -> {row['bound_b']}")
            print(f"  {row['name']:<{width}} {row['cycles_a']:>12,} -> {row['cycles_b']:>12,} "
                  f"({row['delta_cycles']:+,})  {bound}, DRAM {row['dram_bytes_a']:,} -> "
                  f"{row['dram_bytes_b']:,} B")
    else:
        print("\nno layer's cycles changed")
    for side in ("a", "b"):
        names = result[f"only_in_{side}"]
        if names:
            print(f"only in {side.upper()}: {', '.join(names)}")


def main(argv):
    args = parse_args(argv)
    result = compare(read_report(args.a), read_report(args.b), args.top)
    if args.json:
        json.dump(result, sys.stdout, indent=2)
        print()
    else:
        print_comparison(result)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
