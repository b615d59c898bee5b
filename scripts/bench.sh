#!/usr/bin/env bash
# Times npusim end to end (read config and workload, compile, simulate, report) on ResNet-50 for
# every int8 config, then every shipped workload on int8_64x64, and prints the program size and
# the best and median wall time of N runs.
# Usage: scripts/bench.sh [runs]   (default 10; target: ResNet-50 on int8_64x64 under 1 s)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-10}"
"$repo/scripts/setup.sh" >/dev/null
npusim="${NPUSIM_BUILD_DIR:-$repo/build}/tools/npusim"
cd "$repo"

# One config and workload: program size, simulated cycles, best and median wall time.
bench() {
  local config="$1" workload="$2" label="$3"
  local asm cycles instructions times sorted start end
  asm="$(mktemp)"
  cycles=$("$npusim" --arch "$config" --format json --emit-asm "$asm" "$workload" |
    /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["totals"]["cycles"])')
  instructions=$(grep -cE '^ *[0-9]+ +@' "$asm")
  rm -f "$asm"
  times=()
  for ((i = 0; i < runs; i++)); do
    start=$(date +%s%N)
    "$npusim" --arch "$config" --format json "$workload" >/dev/null
    end=$(date +%s%N)
    times+=("$(( (end - start) / 1000 ))")
  done
  sorted=($(printf '%s\n' "${times[@]}" | sort -n))
  awk -v c="$(basename "$config" .yaml)" -v w="$label" -v n="$instructions" -v y="$cycles" \
    -v b="${sorted[0]}" -v m="${sorted[$((runs / 2))]}" \
    'BEGIN { printf "%-14s %-18s %12s %14s %10.3f %10.3f\n", c, w, n, y, b / 1e6, m / 1e6 }'
}

printf '%-14s %-18s %12s %14s %10s %10s\n' config workload instructions "sim cycles" "best s" "median s"
for config in configs/int8_32x32.yaml configs/int8_64x64.yaml configs/int8_128x128.yaml; do
  bench "$config" workloads/resnet.yaml resnet50
done
echo
for workload in workloads/*.yaml; do
  bench configs/int8_64x64.yaml "$workload" "$(basename "$workload" .yaml)"
done
