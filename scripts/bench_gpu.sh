#!/usr/bin/env bash
# The CUDA workstation figures (issue 11) in one run: at N = 128, 256, 512
#   - surrogate ms per frame on the GPU, batch 1 and batch 64 (bench_surrogate --device cuda)
#   - LibTorch solver ms per frame on the GPU, batch 1 and 64 (bench_torch_solver)
#   - CPU FFTW solver ms per frame on 1 thread, and on all cores (one bench_solver process
#     per core at once: per-frame cost = median ms / cores)
#   - surrogate ms per frame on the CPU (all cores, batch 1), for the CPU-against-CPU ratio
#   - a training step's frames/s on the GPU (fwd + bwd + Adam, batch 8, 10 frames)
# and the paper's three speed-ups beside ours. Writes one JSON ($OUT, default
# $CSD_BUILD_DIR/bench_gpu.json) and prints markdown tables for the README; every figure
# that was not measured is null in the JSON and "not measured" in the tables, never an
# estimate.
# Without a CUDA GPU (or with a CPU LibTorch) it says so and measures the CPU parts only.
#   scripts/bench_gpu.sh                      build folder $CSD_BUILD_DIR (scripts/env.sh)
#   CSD_BUILD_DIR=build-cuda REPEATS=5 SIZES="128 256" OUT=gpu.json scripts/bench_gpu.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
csd_no_arguments "$@"
build="$CSD_BUILD_DIR"
out_json="${OUT:-$CSD_BUILD_DIR/bench_gpu.json}"
sizes="${SIZES:-128 256 512}"
repeats="${REPEATS:-5}"
cores="$(nproc)"
python="${CSD_PYTHON:-python3}"

if ! cmake --build "$build" --target bench_solver bench_surrogate bench_torch_solver \
     -j "$CSD_JOBS" >/dev/null; then
  echo "error: cannot build the benchmarks in $build; bench_surrogate and bench_torch_solver" \
       "need csd configured with LibTorch (README, Build)" >&2
  exit 1
fi
bench="$build/bench"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

gpu_name=""
if "$bench/bench_torch_solver" --device cuda --size 16 --repeats 1 >/dev/null 2>"$work/probe"; then
  gpu_name="$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -n 1 || true)"
  gpu_name="${gpu_name:-CUDA GPU}"
  echo "GPU: $gpu_name" >&2
else
  echo "note: no CUDA GPU for LibTorch here ($(tr -d '\n' <"$work/probe")); measuring the" \
       "CPU parts only, every GPU figure will read \"not measured\"" >&2
fi

csv="$work/rows.csv"
: >"$csv"
row() { echo "$1,$2,$3,$4" >>"$csv"; }  # what, size, batch, ms per frame
# measure WHAT N B COLUMN COMMAND...: the COLUMN-th CSV field of the command's last line;
# a case that fails (e.g. out of GPU memory) is reported and stays "not measured".
measure() {
  local what="$1" n="$2" b="$3" column="$4" line
  shift 4
  if line="$("$@" 2>"$work/err" | tail -n 1)" && [ -n "$line" ]; then
    row "$what" "$n" "$b" "$(echo "$line" | cut -d, -f"$column")"
  else
    echo "note: $what at N = $n, batch $b failed, left not measured: $(tail -n 1 "$work/err")" >&2
  fi
}
for n in $sizes; do
  echo "N = $n: CPU FFTW solver" >&2
  one="$("$bench/bench_solver" --json --sizes "$n" --repeats "$repeats")"
  row cpu_solver_1thread "$n" 1 "$(echo "$one" | "$python" -c 'import json,sys; print(json.load(sys.stdin)[0]["solver_ms_per_frame"])')"
  for k in $(seq "$cores"); do
    "$bench/bench_solver" --json --sizes "$n" --repeats "$repeats" >"$work/all$k.json" &
  done
  wait
  row cpu_solver_all_cores "$n" 1 "$("$python" - "$cores" "$work"/all*.json <<'PY'
import json, statistics, sys
cores = int(sys.argv[1])
ms = [json.load(open(f))[0]["solver_ms_per_frame"] for f in sys.argv[2:]]
print(statistics.median(ms) / cores)
PY
)"
  frames=10; [ "$n" -ge 512 ] && frames=3
  echo "N = $n: surrogate on the CPU" >&2
  measure surrogate_cpu "$n" 1 7 "$bench/bench_surrogate" --mode rollout --size "$n" --batch 1 \
      --frames "$frames" --threads "$cores" --repeats 3
  if [ -n "$gpu_name" ]; then
    for b in 1 64; do
      echo "N = $n: GPU surrogate and solver, batch $b" >&2
      measure surrogate_gpu "$n" "$b" 7 "$bench/bench_surrogate" --mode rollout --size "$n" \
          --batch "$b" --frames 10 --repeats "$repeats" --device cuda
      measure solver_gpu "$n" "$b" 7 "$bench/bench_torch_solver" --device cuda --size "$n" \
          --batch "$b" --repeats "$repeats"
    done
    measure train_gpu "$n" 8 7 "$bench/bench_surrogate" --mode train --size "$n" --batch 8 \
        --frames 10 --repeats 3 --device cuda
  fi
done

"$python" - "$csv" "$out_json" "$gpu_name" "$cores" "$sizes" <<'PY'
import json, platform, sys
csv_path, out, gpu, cores, sizes = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
sizes = [int(s) for s in sizes.split()]
ms = {}
for line in open(csv_path):
    what, n, batch, value = line.strip().split(",")
    ms[(what, int(n), int(batch))] = float(value)
get = lambda what, n, b=1: ms.get((what, n, b))
paper_gpu_vs_cpu = {128: 40, 256: 90, 512: 145}
ratio = lambda a, b: None if a is None or b is None else a / b
rows = []
for n in sizes:
    train_ms = get("train_gpu", n, 8)
    rows.append({
        "n": n,
        "surrogate_gpu_ms": {"batch1": get("surrogate_gpu", n, 1), "batch64": get("surrogate_gpu", n, 64)},
        "solver_gpu_ms": {"batch1": get("solver_gpu", n, 1), "batch64": get("solver_gpu", n, 64)},
        "cpu_solver_ms": {"one_thread": get("cpu_solver_1thread", n), "all_cores": get("cpu_solver_all_cores", n)},
        "surrogate_cpu_ms": get("surrogate_cpu", n),
        "train_frames_per_s": None if train_ms is None else 1000.0 / train_ms,
        "speedup": {
            "surrogate_gpu_vs_cpu_solver": {"ours": ratio(get("cpu_solver_1thread", n), get("surrogate_gpu", n, 1)),
                                            "paper": paper_gpu_vs_cpu.get(n)},
            "surrogate_gpu_vs_gpu_solver": {"ours": ratio(get("solver_gpu", n, 1), get("surrogate_gpu", n, 1)),
                                            "paper": "3-4"},
            "surrogate_cpu_vs_cpu_solver": {"ours": ratio(get("cpu_solver_1thread", n), get("surrogate_cpu", n)),
                                            "paper": "3-4"},
        },
    })
record = {"gpu": gpu or None, "cpu": platform.processor() or platform.machine(), "cores": cores,
          "units": "ms per sequence frame (100 solver steps or one surrogate step); speed-ups = solver / surrogate, batch 1",
          "rows": rows}
json.dump(record, open(out, "w"), indent=1)
nm = "not measured"
f = lambda v: nm if v is None else (f"{v:.0f}" if v >= 100 else f"{v:.3g}")
x = lambda v: nm if v is None else f"{v:.2g}×"
print(f"GPU: {gpu or 'none (' + nm + ')'}; CPU: {cores} cores; JSON: {out}\n")
print("| N | surrogate GPU ms/frame (b1 / b64) | solver GPU ms/frame (b1 / b64) | FFTW CPU ms/frame (1 thread / all cores) | surrogate CPU ms/frame | train frames/s (GPU, b8) |")
print("|---|---|---|---|---|---|")
for r in rows:
    s, g, c = r["surrogate_gpu_ms"], r["solver_gpu_ms"], r["cpu_solver_ms"]
    print(f"| {r['n']} | {f(s['batch1'])} / {f(s['batch64'])} | {f(g['batch1'])} / {f(g['batch64'])} | "
          f"{f(c['one_thread'])} / {f(c['all_cores'])} | {f(r['surrogate_cpu_ms'])} | {f(r['train_frames_per_s'])} |")
print("\n| N | surrogate GPU vs CPU solver: paper / ours | surrogate GPU vs GPU solver: paper / ours | surrogate CPU vs CPU solver: paper / ours |")
print("|---|---|---|---|")
for r in rows:
    s = r["speedup"]
    a, b, c = s["surrogate_gpu_vs_cpu_solver"], s["surrogate_gpu_vs_gpu_solver"], s["surrogate_cpu_vs_cpu_solver"]
    paper = "no paper figure" if a["paper"] is None else f"{a['paper']}×"
    print(f"| {r['n']} | {paper} / {x(a['ours'])} | 3–4× / {x(b['ours'])} | 3–4× / {x(c['ours'])} |")
PY
