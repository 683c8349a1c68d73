#!/usr/bin/env bash
# Generation throughput on all cores: builds S sequences of the paper's training set
# (100 frames of 128²) and extrapolates to the full 2000 sequences; also reports bytes
# on disk per frame.
#   scripts/bench_generate.sh [SEQUENCES=50] [extra csd generate flags...]
set -euo pipefail
cd "$(dirname "$0")/.."
SEQ="${1:-50}"; shift || true
source scripts/env.sh
CSD="$CSD_BIN"
[ -x "$CSD" ] || bash scripts/build.sh >/dev/null
OUT="$(mktemp -d)/bench.h5"
start=$(date +%s.%N)
"$CSD" generate -q --config configs/paper/train.json --sequences "$SEQ" --out "$OUT" "$@"
end=$(date +%s.%N)
bytes=$(stat -c %s "$OUT")
/usr/bin/python3 - "$SEQ" "$start" "$end" "$bytes" "$(nproc)" <<'PY'
import sys
seq, start, end, size, cores = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
t = end - start
frames = seq * 100
print(f"sequences: {seq} x 100 frames of 128^2 on {cores} cores: {t:.1f} s "
      f"({seq * 99 / t:.1f} solver frames/s)")
print(f"extrapolated paper training set (2000 sequences): {t * 2000 / seq / 60:.1f} min "
      f"(target <= 15 min)")
print(f"bytes on disk per frame: {size / frames:.0f} (raw float32: {128*128*4})")
PY
rm -rf "$(dirname "$OUT")"
