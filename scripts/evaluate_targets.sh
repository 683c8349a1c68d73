#!/usr/bin/env bash
# Scores a surrogate against the long-horizon targets of docs/training.md (issue 8):
# held-out 64² and 128² test sets rolled out to 10 H, and the 9 × 7 phase diagram at 5 H.
#   bash scripts/evaluate_targets.sh [MODEL] [OUT]      (defaults: data/model-small.pt, runs/quick/targets)
# Needs runs/quick/test.h5 and runs/quick/test128.h5 (made here if absent). Prints a
# markdown table of every target with its measured value; OUT/targets.json holds the same.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
CSD="$CSD_BIN"
MODEL="${1:-data/model-small.pt}"
OUT="${2:-runs/quick/targets}"
H="${CSD_HORIZON:-20}"
THREADS="${CSD_THREADS:-0}"
mkdir -p "$OUT"
[ -f runs/quick/test.h5 ] || "$CSD" generate --config configs/quick/test.json
[ -f runs/quick/test128.h5 ] || "$CSD" generate --config configs/quick/test128.json
"$CSD" evaluate --model "$MODEL" --data runs/quick/test.h5 --out "$OUT/test64" \
  --horizon "$H" --headline-frame "$H" --threads "$THREADS" --overwrite
"$CSD" evaluate --model "$MODEL" --data runs/quick/test128.h5 --out "$OUT/test128" \
  --horizon "$H" --headline-frame "$H" --threads "$THREADS" --overwrite
"$CSD" phasediagram --model "$MODEL" --grid --phi-range 0.1 0.9 --eta-range 0 0.012 \
  --phi-points 9 --eta-points 7 --size 64 --frame $((5 * H)) --solver --threads "$THREADS" \
  --out "$OUT/phase"
/usr/bin/python3 scripts/targets_table.py "$OUT" "$H"
