#!/usr/bin/env bash
# Long-horizon coarsening study (issue 13): the solver and the surrogate from the same
# initial fields to 10 H, judged by their coarsening law rather than pixel by pixel.
#   bash scripts/coarsening_study.sh [MODEL] [OUT]   (defaults: data/model-small.pt, runs/quick/coarsening)
# The solver data are $CSD_STUDY_DATA (default runs/quick/test128.h5: 16 sequences × 201
# frames of 128², 10 H for H = 20; generated here by the solver if absent). csd evaluate
# rolls the surrogate out from every sequence's φ₀ and η and compares; this script then
# prints n of L ~ t^n (fitted over [H, 10H] by default) with its interval, L and ⟨f⟩ at
# H, 5H, 10H for both. Everything is also in OUT/summary.json ("coarsening") and
# OUT/coarsening.png (docs/figures.md).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
MODEL="${1:-data/model-small.pt}"
OUT="${2:-runs/quick/coarsening}"
DATA="${CSD_STUDY_DATA:-runs/quick/test128.h5}"
H="${CSD_HORIZON:-20}"
THREADS="${CSD_THREADS:-0}"
[ -f "$DATA" ] || "$CSD_BIN" generate --config configs/quick/test128.json --out "$DATA"
"$CSD_BIN" evaluate --model "$MODEL" --data "$DATA" --out "$OUT" --horizon "$H" \
  --headline-frame "$H" --threads "$THREADS" --overwrite
/usr/bin/python3 - "$OUT/summary.json" <<'EOF'
import json, sys
summary = json.load(open(sys.argv[1]))
c = summary["coarsening"]
fit = c["fit"]
def exponent(g):
    if g.get("n") is None:
        return "not fitted (" + g.get("reason", "") + ")"
    q = g["per_sequence"]
    return (f"{g['n']:.3f} [{g['interval'][0]:.3f}, {g['interval'][1]:.3f}]; per sequence "
            f"{q['median']:.3f} [{q['q1']:.3f}, {q['q3']:.3f}]")
ref, pred = c["reference"], c["prediction"]
print(f"\n{summary['sequences']} sequences of {summary['size']}², frames 0 … {summary['frames'] - 1}; "
      f"n fitted to the median L(t) over t/τ ∈ [{fit['start_frame']}, {fit['end_frame']}] "
      f"({100 * fit['confidence']:g} % interval; per-sequence median [q1, q3])\n")
print(f"| | {ref['label']} | {pred['label']} | {pred['label']} / {ref['label']} |")
print("|---|---|---|---|")
print(f"| n | {exponent(ref)} | {exponent(pred)} | |")
for r in c["length_ratio"]:
    print(f"| L at {r['label']} (t/τ = {r['frame']}) | {r['length_b']:.2f} | {r['length_a']:.2f} | {r['ratio']:.3f} |")
for r in c["length_ratio"]:
    print(f"| ⟨f⟩ at {r['label']} | {r['f_mean_b']:.5f} | {r['f_mean_a']:.5f} | {r['f_mean_a'] / r['f_mean_b']:.3f} |")
EOF
