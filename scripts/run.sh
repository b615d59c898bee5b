#!/usr/bin/env bash
# Quick start: set up, build, and simulate ResNet-50 on the int8 64x64 NPU.
# Any arguments replace the default ones, e.g. scripts/run.sh --arch configs/int8_32x32.yaml workloads/tiny_cnn.yaml
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$repo/scripts/setup.sh" >/dev/null
cd "$repo"
if (($# == 0)); then
  set -- --arch configs/int8_64x64.yaml workloads/resnet.yaml
fi
exec "${NPUSIM_BUILD_DIR:-$repo/build}/tools/npusim" "$@"
