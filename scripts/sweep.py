#!/usr/bin/python3
"""Runs npusim over a grid of designs and workloads and tabulates the totals, one row per point;
optionally plots one metric against one varied key.

Usage:
  scripts/sweep.py --arch configs/int8_64x64.yaml --workload workloads/resnet.yaml \\
      --vary dram.bandwidth_gbps 6.4 12.8 25.6 51.2 \\
      --vary array.rows+array.cols 32 64 128 --out sweep.csv
  scripts/sweep.py ... --plot sweep.png --x dram.bandwidth_gbps --y latency_ms \\
      --series array.rows

The grid is every --arch x every --workload x every value of each --vary (keys joined with '+'
take each value together, e.g. a square array). Fixed overrides go in --set. Each point is one
`npusim --format json` run, several at a time (--jobs). A point npusim refuses (a tile that cannot
fit, a value out of range) is a row with its one-line error in `error` and no figures: a sweep over
buffer sizes expects some. Rows come out in grid order whatever order the runs finish in. Figures
are the report's totals (docs/metrics.md); `dram_bytes` is read + write. Needs matplotlib only for
--plot (Debian: python3-matplotlib).
"""

import argparse
import concurrent.futures
import csv
import itertools
import json
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The report totals a row carries, in column order (docs/metrics.md).
METRICS = [
    "cycles", "latency_ms", "inferences_per_s", "utilization", "macs_per_cycle", "peak_tops",
    "achieved_tops", "dram_bytes", "operational_intensity", "energy_uj", "pj_per_mac",
    "tops_per_w", "inferences_per_j", "peak_activation_bytes", "compute_bound_layers",
    "memory_bound_layers",
]


class Axis:
    """One --vary: the keys set together and the values they take."""

    def __init__(self, keys, values):
        self.keys = keys
        self.values = values

    @property
    def name(self):
        return "+".join(self.keys)


def parse_vary(tokens):
    keys = tokens[0].split("+")
    if any(not key or "=" in key for key in keys) or len(tokens) < 2:
        raise argparse.ArgumentTypeError(
            f"--vary {' '.join(tokens)}: expected KEY[+KEY...] VALUE [VALUE...], "
            f"e.g. --vary dram.bandwidth_gbps 6.4 12.8")
    return Axis(keys, tokens[1:])


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("--npusim", default=os.path.join(REPO, "build", "tools", "npusim"),
                        help="the simulator binary (default: %(default)s)")
    parser.add_argument("--arch", nargs="+", required=True, metavar="CONFIG",
                        help="arch configs (paths, or names in configs/)")
    parser.add_argument("--workload", nargs="+", required=True, metavar="WORKLOAD",
                        help="workloads (YAML or ONNX)")
    parser.add_argument("--vary", nargs="+", action="append", default=[],
                        metavar="KEY_OR_VALUE", help="KEY[+KEY...] VALUE [VALUE...]: a grid axis")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="an override every point gets (repeatable)")
    parser.add_argument("--mapping-objective", choices=("latency", "traffic"),
                        help="passed to npusim")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="runs at a time (default: the CPU count, %(default)s)")
    parser.add_argument("--out", help="write the rows as CSV here (default: a table on stdout)")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON instead")
    parser.add_argument("--plot", metavar="PNG", help="also plot --y against --x")
    parser.add_argument("--x", help="with --plot: the varied key on the x axis")
    parser.add_argument("--y", default="latency_ms",
                        help="with --plot: the metric on the y axis (default: %(default)s)")
    parser.add_argument("--series", help="with --plot: the varied key that makes one line each")
    args = parser.parse_args(argv)
    try:
        args.axes = [parse_vary(tokens) for tokens in args.vary]
    except argparse.ArgumentTypeError as error:
        parser.error(str(error))
    names = [axis.name for axis in args.axes] + [key for axis in args.axes for key in axis.keys]
    if len(set(axis.name for axis in args.axes)) != len(args.axes):
        parser.error("a key is varied twice")
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    if args.plot:
        if args.x not in names:
            parser.error(f"--plot needs --x, one of the varied keys: {', '.join(names) or 'none'}")
        if args.series and args.series not in names + ["arch", "workload"]:
            parser.error(f"--series {args.series}: not a varied key, 'arch' or 'workload'")
        if args.y not in METRICS:
            parser.error(f"--y {args.y}: expected one of {', '.join(METRICS)}")
    return args


def config_path(name):
    if os.path.exists(name) or name.endswith((".yaml", ".yml")):
        return name
    return os.path.join(REPO, "configs", name + ".yaml")


def stem(path):
    return os.path.splitext(os.path.basename(path))[0]


def points(args):
    """The grid, in order: (arch, workload, {axis name: value}) for every combination."""
    grid = []
    for arch in args.arch:
        for workload in args.workload:
            for values in itertools.product(*[axis.values for axis in args.axes]):
                grid.append((config_path(arch), workload,
                             {axis.name: value for axis, value in zip(args.axes, values)}))
    return grid


def command(args, arch, workload, varied):
    line = [args.npusim, "--arch", arch, "--format", "json"]
    if args.mapping_objective:
        line += ["--mapping-objective", args.mapping_objective]
    for override in args.set:
        line += ["--set", override]
    for axis in args.axes:
        for key in axis.keys:
            line += ["--set", f"{key}={varied[axis.name]}"]
    return line + [workload]


def figures(totals):
    bounds = totals["layers_by_bound"]
    return {
        "cycles": totals["cycles"],
        "latency_ms": totals["latency_ms"],
        "inferences_per_s": totals["inferences_per_s"],
        "utilization": totals["utilization"],
        "macs_per_cycle": totals["macs_per_cycle"],
        "peak_tops": totals["peak_tops"],
        "achieved_tops": totals["achieved_tops"],
        "dram_bytes": totals["dram_read_bytes"] + totals["dram_write_bytes"],
        "operational_intensity": totals["operational_intensity"],
        "energy_uj": totals["energy_pj"] / 1e6,
        "pj_per_mac": totals["pj_per_mac"],
        "tops_per_w": totals["tops_per_w"],
        "inferences_per_j": totals["inferences_per_j"],
        "peak_activation_bytes": totals["peak_activation_bytes"],
        "compute_bound_layers": bounds["compute"],
        "memory_bound_layers": bounds["memory"],
    }


def run_point(args, point):
    arch, workload, varied = point
    row = {"arch": stem(arch), "workload": stem(workload)}
    row.update(varied)
    result = subprocess.run(command(args, arch, workload, varied), capture_output=True, text=True,
                            check=False)
    if result.returncode == 0:
        row.update(figures(json.loads(result.stdout)["totals"]))
        row["error"] = ""
    else:
        row.update({metric: None for metric in METRICS})
        lines = result.stderr.strip().splitlines()
        row["error"] = lines[0] if lines else f"npusim exited with {result.returncode}"
    return row


def run_grid(args):
    grid = points(args)
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        return list(pool.map(lambda point: run_point(args, point), grid))


def columns(args):
    return ["arch", "workload"] + [axis.name for axis in args.axes] + METRICS + ["error"]


def cell(value):
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def write_csv(path, args, rows):
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(columns(args))
        for row in rows:
            writer.writerow([cell(row[column]) for column in columns(args)])


def print_table(args, rows):
    keys = ["arch", "workload"] + [axis.name for axis in args.axes]
    shown = ["cycles", "latency_ms", "utilization", "dram_bytes", "energy_uj", "inferences_per_j"]
    lines = [keys + shown] + [[cell(row[c]) for c in keys + shown] for row in rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(keys + shown))]
    for line, row in zip(lines, [None] + rows):
        left = "  ".join(value.ljust(width) for value, width in zip(line, widths[:len(keys)]))
        if row is not None and row["error"]:
            print(f"{left}  refused: {row['error']}")
            continue
        right = "  ".join(value.rjust(width)
                          for value, width in zip(line[len(keys):], widths[len(keys):]))
        print(f"{left}  {right}")


def series_key(args, row):
    if not args.series:
        return ""
    return f"{args.series} = {row[args.series]}"


def numeric(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def plot(args, rows):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x_axis = next((axis for axis in args.axes if args.x in (axis.name, *axis.keys)))
    lines = {}
    for row in rows:
        if row["error"]:
            continue
        lines.setdefault(series_key(args, row), []).append((row[x_axis.name], row[args.y]))
    fig, ax = plt.subplots(figsize=(8, 5))
    xs_all = [numeric(x) for points_ in lines.values() for x, _ in points_]
    numeric_x = all(x is not None for x in xs_all) and xs_all
    for label, pairs in lines.items():
        if numeric_x:
            pairs = sorted(pairs, key=lambda pair: float(pair[0]))
            ax.plot([float(x) for x, _ in pairs], [y for _, y in pairs], marker="o",
                    label=label or None)
        else:
            ax.plot([str(x) for x, _ in pairs], [y for _, y in pairs], marker="o",
                    label=label or None)
    if numeric_x and min(xs_all) > 0 and max(xs_all) / min(xs_all) >= 10:
        ax.set_xscale("log")
    ax.set_xlabel(args.x)
    ax.set_ylabel(args.y)
    failed = sum(1 for row in rows if row["error"])
    title = f"{args.y} against {args.x}"
    if failed:
        title += f" ({failed} point(s) npusim refused are not drawn)"
    ax.set_title(title)
    ax.grid(True, alpha=0.3)
    if any(lines):
        ax.legend()
    fig.tight_layout()
    fig.savefig(args.plot, dpi=120)
    plt.close(fig)


def main(argv):
    args = parse_args(argv)
    if not os.access(args.npusim, os.X_OK):
        print(f"sweep: {args.npusim}: not an executable (build first, or pass --npusim)",
              file=sys.stderr)
        return 1
    rows = run_grid(args)
    if args.out:
        write_csv(args.out, args, rows)
    if args.json:
        json.dump(rows, sys.stdout, indent=2)
        print()
    elif not args.out:
        print_table(args, rows)
    if args.plot:
        plot(args, rows)
    failed = [row for row in rows if row["error"]]
    if failed:
        print(f"sweep: npusim refused {len(failed)} of {len(rows)} points (their rows say why)",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
