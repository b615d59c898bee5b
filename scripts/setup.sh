#!/usr/bin/env bash
# Installs what npusim needs (Debian packages only), then configures and builds it in build/.
# Idempotent: installs nothing when every package is present, and the build is incremental.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${NPUSIM_BUILD_DIR:-$repo/build}"

packages=(
  g++ cmake ninja-build pkgconf
  libsystemc-dev libyaml-cpp-dev nlohmann-json3-dev libcli11-dev
  libonnx-dev libprotobuf-dev
  libgtest-dev libgmock-dev
  python3 python3-yaml python3-numpy python3-matplotlib
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} > 0)); then
  echo "npusim setup: installing ${missing[*]}" >&2
  as_root=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "npusim setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
    as_root=(sudo)
  fi
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [[ ! -f "$build_dir/build.ninja" ]]; then
  cmake -S "$repo" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$build_dir" -j "$(nproc)"
