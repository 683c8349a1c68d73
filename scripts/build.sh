#!/usr/bin/env bash
# Configures and builds csd (Release, Ninja, ccache) into ${CSD_BUILD_DIR:-build}.
# Extra arguments are passed to cmake, e.g. -DCSD_WITH_TORCH=OFF.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${CSD_BUILD_DIR:-build}"
JOBS="${CSD_JOBS:-$(nproc)}"
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@"
cmake --build "$BUILD_DIR" -j "$JOBS"
