#!/usr/bin/env bash
# The test command: installs dependencies, configures, builds and runs ctest.
#   bash scripts/test.sh            # everything
#   CSD_BUILD_DIR=build-ci bash scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh
bash scripts/build.sh "$@"
BUILD_DIR="${CSD_BUILD_DIR:-build}"
ctest --test-dir "$BUILD_DIR" --output-on-failure -j "${CSD_JOBS:-$(nproc)}" --timeout 600
