#!/usr/bin/env bash
# The main job end to end on a small built-in default (a few minutes on 2 cores):
#   1. solver test set: 8 sequences × 101 frames (100 τ = 5 training horizons) of 64²,
#      random ⟨φ⟩ and η, the paper's physics (τ = 100 steps)
#   2. csd evaluate: the shipped surrogate rolled out from every φ₀, compared frame by frame
#      at H, 5H (H = 20 frames, the training horizon)
#   3. csd rollout: a 512² large-domain prediction (16× the training area), then csd analyze
#   4. csd phasediagram: a (⟨φ⟩, η) grid, surrogate against solver, with the spinodal line
# Everything goes to runs/demo/ (replaced on every run). Figures: runs/demo/*/*.png.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh
source scripts/env.sh
CSD="$CSD_BIN"
[ -x "$CSD" ] || bash scripts/build.sh
MODEL="${CSD_MODEL:-data/model-small.pt}"
OUT=runs/demo
rm -rf "$OUT"
mkdir -p "$OUT"

"$CSD" generate --config configs/quick/test.json --sequences 8 --frames 101 --out "$OUT/test.h5" \
  --png-every 20
"$CSD" info "$OUT/test.h5"
"$CSD" evaluate --model "$MODEL" --data "$OUT/test.h5" --out "$OUT/evaluate" --headline-frame 20 \
  --horizon 20
"$CSD" rollout --model "$MODEL" --perlin --size 512 --mean-phi 0.45 --eta 0.004 --frames 21 \
  --seed 7 --png-every 10 --out "$OUT/large.h5"
"$CSD" analyze "$OUT/large.h5" --out "$OUT/large-analysis"
"$CSD" phasediagram --model "$MODEL" --grid --phi-range 0.1 0.9 --eta-range 0 0.012 \
  --phi-points 9 --eta-points 4 --size 64 --frame 100 --solver --out "$OUT/phase"

echo
echo "demo done. Headline figures:"
/usr/bin/python3 - "$OUT" <<'PY'
import json, sys
out = sys.argv[1]
ev = json.load(open(f"{out}/evaluate/summary.json"))
ph = json.load(open(f"{out}/phase/summary.json"))
print(json.dumps({"evaluate": ev.get("headline"), "horizon": ev.get("horizon"),
                  "seconds_per_frame": ev.get("seconds_per_frame"),
                  "phase_agreement_percent": ph.get("agreement_percent")}, indent=2))
PY
echo "figures: $OUT/evaluate/*.png $OUT/evaluate/snapshots/ $OUT/large.h5.png/ $OUT/large-analysis/ $OUT/phase/"
