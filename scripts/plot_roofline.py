#!/usr/bin/python3
"""Draws the roofline of an npusim run: the design's roof and ridge, and every layer at its
operational intensity and achieved MACs per cycle.

Usage:
  npusim --arch configs/int8_64x64.yaml --format json workloads/resnet.yaml > report.json
  scripts/plot_roofline.py report.json --out resnet_roofline.png
  npusim ... --format json workloads/resnet.yaml | scripts/plot_roofline.py --out roofline.png

Reads the report's `roofline` object and each layer's `operational_intensity`,
`macs_per_cycle`, `bound`, `cycles`, `macs` and `matrix_busy_cycles` (docs/metrics.md). A dash
above or through each point marks the layer's own array ceiling, its MACs over the cycles the
array was busy with it: a compute-bound layer whose folds are mostly fill and drain sits far below
the peak, under that dash. Points are coloured by the layer's bound
and sized by its share of the run's cycles; the slowest layers are labelled. Layers without MACs
(pooling, element-wise, copies) or without DRAM traffic have no place on a MACs-per-byte axis and
are counted in the legend instead. Needs matplotlib (Debian: python3-matplotlib).
"""

import argparse
import json
import math
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 (the backend must be chosen first)

BOUND_COLOURS = {
    "compute": "tab:blue",
    "memory": "tab:orange",
    "vector": "tab:green",
    "none": "tab:gray",
}


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("report", nargs="?", help="npusim --format json output (default: stdin)")
    parser.add_argument("--out", default="roofline.png", help="PNG to write (default: %(default)s)")
    parser.add_argument("--label", type=int, default=6, metavar="N",
                        help="label the N layers with the most cycles (default: %(default)s)")
    parser.add_argument("--dpi", type=int, default=150)
    return parser.parse_args(argv)


def read_report(path):
    if path is None or path == "-":
        return json.load(sys.stdin)
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def placeable(layer):
    """A layer has a point when it has MACs, DRAM traffic and time."""
    return layer["macs"] > 0 and layer["operational_intensity"] > 0 and layer["cycles"] > 0


def plot(report, out, label_count, dpi):
    roof = report["roofline"]
    peak = roof["peak_macs_per_cycle"]
    bandwidth = roof["dram_bytes_per_cycle"]
    ridge = roof["ridge_macs_per_byte"]
    layers = report["layers"]
    points = [l for l in layers if placeable(l)]
    total_cycles = max(report["totals"]["cycles"], 1)

    # The x range spans the layers and the ridge with a margin of a third of a decade each side.
    intensities = [l["operational_intensity"] for l in points] + [ridge]
    x_low = 10 ** (math.floor(math.log10(min(intensities)) * 3 - 1) / 3)
    x_high = 10 ** (math.ceil(math.log10(max(intensities)) * 3 + 1) / 3)
    x_high = max(x_high, ridge * 4)  # room for the flat roof and the ridge's label
    achieved = [l["macs_per_cycle"] for l in points] or [peak]
    y_low = 10 ** math.floor(math.log10(min(min(achieved), x_low * bandwidth, peak) / 2))
    y_high = peak * 3

    fig, ax = plt.subplots(figsize=(10, 6.5))
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(x_low, x_high)
    ax.set_ylim(y_low, y_high)

    # The roof: bandwidth x intensity up to the ridge, the array's peak beyond it.
    xs = [x_low, ridge, x_high]
    ax.plot(xs, [min(peak, x * bandwidth) for x in xs], color="black", linewidth=2,
            label=f"roof: {peak:,.0f} MACs/cycle, {bandwidth:.2f} B/cycle")
    ax.axvline(ridge, color="black", linestyle=":", linewidth=1)
    label_box = dict(boxstyle="round,pad=0.2", facecolor="white", edgecolor="none", alpha=0.8)
    ax.annotate(f"ridge {ridge:.1f} MACs/B", xy=(ridge, peak), xytext=(6, -14),
                textcoords="offset points", fontsize=9, bbox=label_box, zorder=2)
    ax.annotate(f"peak {peak:,.0f} MACs/cycle", xy=(x_high, peak), xytext=(-4, 4),
                textcoords="offset points", fontsize=9, ha="right")

    for bound, colour in BOUND_COLOURS.items():
        group = [l for l in points if l["bound"] == bound]
        if not group:
            continue
        ax.scatter([l["operational_intensity"] for l in group],
                   [l["macs_per_cycle"] for l in group],
                   s=[20 + 600 * l["cycles"] / total_cycles for l in group],
                   color=colour, alpha=0.7, edgecolors="black", linewidths=0.5,
                   label=f"{bound}-bound layers ({len(group)})", zorder=3)

    # Each layer's own compute ceiling: its MACs over the cycles the array was busy with it. A
    # batch-1 layer whose folds stream few rows (fill, drain and preload dominate) has a ceiling
    # far below the peak; a compute-bound point on the bandwidth slope sits under such a ceiling,
    # not under the slope.
    ceilings = [l for l in points if l.get("matrix_busy_cycles", 0) > 0]
    if ceilings:
        ax.scatter([l["operational_intensity"] for l in ceilings],
                   [l["macs"] / l["matrix_busy_cycles"] for l in ceilings], marker="_", s=160,
                   color="dimgray", linewidths=1.5, zorder=2,
                   label="each layer's array ceiling (MACs / array-busy cycles)")

    totals = report["totals"]
    if totals["macs"] > 0 and totals["operational_intensity"] > 0:
        ax.scatter([totals["operational_intensity"]], [totals["macs_per_cycle"]], marker="*",
                   s=260, color="crimson", edgecolors="black", linewidths=0.6, zorder=4,
                   label=f"whole model ({totals['macs_per_cycle']:,.0f} MACs/cycle)")

    # Label the slowest layers in a column in the top-left corner, which is above the memory roof
    # and so always empty, with a leader line to each point: neighbouring points never overprint.
    slowest = sorted(points, key=lambda l: l["cycles"], reverse=True)[:max(label_count, 0)]
    slowest.sort(key=lambda l: l["macs_per_cycle"], reverse=True)
    for rank, layer in enumerate(slowest):
        share = 100.0 * layer["cycles"] / total_cycles
        ax.annotate(f"{layer['name']}: {share:.1f}% of cycles, {layer['bound']}-bound",
                    xy=(layer["operational_intensity"], layer["macs_per_cycle"]),
                    xytext=(0.02, 0.95 - 0.05 * rank), textcoords="axes fraction", fontsize=8,
                    va="center",
                    bbox=label_box,
                    arrowprops=dict(arrowstyle="-", color="gray", linewidth=0.6,
                                    shrinkA=0, shrinkB=3))

    hidden = [l for l in layers if not placeable(l)]
    if hidden:
        share = 100.0 * sum(l["cycles"] for l in hidden) / total_cycles
        ax.plot([], [], linestyle="none",
                label=f"not shown: {len(hidden)} layers without MACs or DRAM traffic "
                      f"({share:.1f}% of cycles)")

    ax.set_xlabel("operational intensity (MACs per DRAM byte)")
    ax.set_ylabel("achieved MACs per cycle")
    ax.set_title(f"{report['workload']} on {report['arch']}: roofline "
                 f"(point area ~ share of cycles)")
    ax.grid(True, which="major", linestyle="-", alpha=0.3)
    ax.grid(True, which="minor", linestyle=":", alpha=0.15)
    ax.legend(loc="lower right", fontsize=9, framealpha=0.9)
    fig.tight_layout()
    fig.savefig(out, dpi=dpi)
    plt.close(fig)


def main(argv):
    args = parse_args(argv)
    try:
        report = read_report(args.report)
    except (OSError, json.JSONDecodeError) as error:
        print(f"plot_roofline: cannot read the report: {error}", file=sys.stderr)
        return 1
    if "roofline" not in report:
        print("plot_roofline: the report has no 'roofline' object (npusim --format json)",
              file=sys.stderr)
        return 1
    plot(report, args.out, args.label, args.dpi)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
