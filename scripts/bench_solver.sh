#!/usr/bin/env bash
# Builds (if needed) and runs the solver benchmark: ms per frame at N = 128, 256, 512 on
# one thread beside its FFT floor (100 x one r2c + one c2r). Extra arguments go to the
# benchmark, e.g.  scripts/bench_solver.sh --both --json
# BUILD_DIR overrides the build folder (default: build-bench, Release, no LibTorch).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${BUILD_DIR:-build-bench}"
if [[ ! -f "$build_dir/CMakeCache.txt" ]]; then
  cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DCSD_WITH_TORCH=OFF \
    -DCSD_BUILD_BENCH=ON -DCSD_BUILD_TESTS=OFF
fi
cmake --build "$build_dir" --target bench_solver -j "${JOBS:-2}"
exec "$build_dir/bench/bench_solver" "$@"
