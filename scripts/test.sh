#!/usr/bin/env bash
# Set up, build, and run the whole test suite (what CI runs).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$repo/scripts/setup.sh"
exec ctest --test-dir "${NPUSIM_BUILD_DIR:-$repo/build}" --output-on-failure -j "$(nproc)"
