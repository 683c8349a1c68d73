#!/usr/bin/env bash
# The paper's speed-up figure on this CPU: surrogate rollout ms per frame (LibTorch,
# THREADS threads, batch 1) beside the solver's ms per frame (one thread, 100 steps,
# default deterministic FFTW plans) at N = 128, 256, 512, measured in one run.
#   scripts/bench_speedup.sh          THREADS=2; build folder $CSD_BUILD_DIR (scripts/env.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
csd_no_arguments "$@"
build="$CSD_BUILD_DIR"
threads="${THREADS:-2}"
cmake --build "$build" --target bench_solver bench_surrogate -j "$CSD_JOBS" >/dev/null
solver_json="$("$build/bench/bench_solver" --json --repeats 5)"
rows=""
for n in 128 256 512; do
  frames=10; [ "$n" = 512 ] && frames=3
  rows+="$("$build/bench/bench_surrogate" --mode rollout --size "$n" --batch 1 --frames "$frames" \
            --threads "$threads" --repeats 3 | tail -n 1)"$'\n'
done
/usr/bin/python3 - "$solver_json" "$rows" "$threads" <<'PY'
import json, sys
solver = {r["n"]: r for r in json.loads(sys.argv[1])}
print(f"| N | solver ms/frame (1 thread) | surrogate ms/frame ({sys.argv[3]} threads) | solver / surrogate |")
print("|---|---|---|---|")
for line in sys.argv[2].strip().splitlines():
    f = line.split(",")
    n, ms = int(f[2]), float(f[6])
    s = solver[n]
    print(f"| {n} | {s['solver_ms_per_frame']:.1f} | {ms:.1f} | {s['solver_ms_per_frame'] / ms:.2f} |")
PY
