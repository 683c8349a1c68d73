#!/usr/bin/env bash
# Installs csd's build and test dependencies from Debian bookworm packages.
# Idempotent: packages already present are skipped; needs root (or sudo) only
# when something is missing.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config
  libtorch-dev libgloo-dev libfftw3-dev libeigen3-dev libhdf5-dev libcli11-dev
  nlohmann-json3-dev libspdlog-dev libgtest-dev libbenchmark-dev libpng-dev libtiff-dev libgif-dev
  python3-numpy python3-matplotlib python3-h5py python3-torch python3-pil
  python3-xarray python3-h5netcdf
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install_deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

echo "install_deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
