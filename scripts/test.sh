#!/usr/bin/env bash
# The test command: installs dependencies, configures (warnings are errors), builds and
# runs ctest. Extra arguments are passed to cmake.
#   bash scripts/test.sh                            # everything, in build/
#   CSD_BUILD_DIR=build-ci bash scripts/test.sh     # another build folder (scripts/env.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
bash scripts/install_deps.sh
bash scripts/build.sh -DCSD_WERROR=ON "$@"
ctest --test-dir "$CSD_BUILD_DIR" --output-on-failure -j "$CSD_JOBS" --timeout 600
