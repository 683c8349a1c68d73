#!/usr/bin/env bash
# Configures and builds csd (Release, Ninja, ccache) into $CSD_BUILD_DIR (default build;
# scripts/env.sh). Extra arguments are passed to cmake, e.g. -DCSD_WITH_TORCH=OFF.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
cmake -S . -B "$CSD_BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@"
cmake --build "$CSD_BUILD_DIR" -j "$CSD_JOBS"
