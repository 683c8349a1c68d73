#!/usr/bin/env bash
# C++ (LibTorch) vs Python (PyTorch) speed of the conv-GRU surrogate, same architecture
# and the same libtorch, 2 threads by default, one process per case so that the peak RSS
# belongs to that case alone. Prints the raw CSV and a markdown table.
#
#   scripts/bench_surrogate.sh        (needs bench_surrogate in $CSD_BUILD_DIR, scripts/env.sh)
#   THREADS=4 REPEATS=5 CSD_BUILD_DIR=build-nn scripts/bench_surrogate.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/env.sh"
csd_no_arguments "$@"
build="$CSD_BUILD_DIR"
bench="$build/bench/bench_surrogate"
python="${CSD_PYTHON:-/usr/bin/python3}"
threads="${THREADS:-2}"
repeats="${REPEATS:-3}"

if [[ ! -x "$bench" ]]; then
  echo "error: $bench not found; build it with: cmake --build $build --target bench_surrogate" >&2
  exit 1
fi
if ! "$python" -c 'import torch' 2>/dev/null; then
  echo "error: $python cannot import torch; install python3-torch or set CSD_PYTHON" >&2
  exit 1
fi

# mode size batch frames
cases=("rollout 128 1 10" "rollout 256 1 10" "rollout 512 1 3" "train 64 4 10" "train 128 4 10")
csv="$(mktemp)"
trap 'rm -f "$csv"' EXIT
echo "impl,mode,size,batch,frames,threads,ms_per_frame,peak_rss_mib" >"$csv"
for c in "${cases[@]}"; do
  read -r mode size batch frames <<<"$c"
  args=(--mode "$mode" --size "$size" --batch "$batch" --frames "$frames" --threads "$threads"
        --repeats "$repeats")
  "$bench" "${args[@]}" | tail -n 1 >>"$csv"
  "$python" "$here/bench_surrogate.py" "${args[@]}" | tail -n 1 >>"$csv"
done
cat "$csv"
echo

"$python" - "$csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
key = lambda r: (r["mode"], int(r["size"]))
cpp = {key(r): r for r in rows if r["impl"] == "cpp"}
py = {key(r): r for r in rows if r["impl"] == "python"}
print("| case | N | batch | C++ ms/frame | Python ms/frame | speed-up | C++ peak RSS MiB | Python peak RSS MiB |")
print("|---|---|---|---|---|---|---|---|")
for k in sorted(cpp, key=lambda k: (k[0] != "rollout", k[1])):
    c, p = cpp[k], py.get(k)
    if p is None:
        continue
    speedup = float(p["ms_per_frame"]) / float(c["ms_per_frame"])
    print(f"| {k[0]} | {k[1]} | {c['batch']} | {float(c['ms_per_frame']):.1f} | "
          f"{float(p['ms_per_frame']):.1f} | {speedup:.2f}x | {float(c['peak_rss_mib']):.0f} | "
          f"{float(p['peak_rss_mib']):.0f} |")
PY
