#!/usr/bin/env bash
# Builds (if needed) and runs the solver benchmark: ms per frame at N = 128, 256, 512 on
# one thread beside its FFT floor (100 x one r2c + one c2r). Extra arguments go to the
# benchmark, e.g.  scripts/bench_solver.sh --both --json
# Build folder: $CSD_BUILD_DIR (scripts/env.sh); configured like scripts/build.sh if it
# is new, and only the benchmark is built. `cmake --preset bench` makes a folder without
# LibTorch and tests for it: CSD_BUILD_DIR=build-bench scripts/bench_solver.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
if [[ ! -f "$CSD_BUILD_DIR/CMakeCache.txt" ]]; then
  cmake -S . -B "$CSD_BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release
fi
cmake --build "$CSD_BUILD_DIR" --target bench_solver -j "$CSD_JOBS"
exec "$CSD_BUILD_DIR/bench/bench_solver" "$@"
