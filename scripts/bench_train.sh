#!/usr/bin/env bash
# Training throughput of the default recipe (scheme rollout) against the paper's
# (curriculum at its free-rollout end: given 1 frame, every frame in the loss), both with
# 20 frames carrying the loss per sequence, batch 8, in one run on the same data.
#   scripts/bench_train.sh        THREADS=2 REPEATS=3 SIZES="32 64 128"; csd: $CSD_BIN (scripts/env.sh)
# Reports loss-carrying sample-frames per second of training steps (train_seconds in
# history.csv: no validation, no checkpoint I/O), median over REPEATS runs of 2 epochs
# (epoch 1 excluded: allocator warm-up). Take it on an idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
csd_no_arguments "$@"
CSD="$CSD_BIN"
threads="${THREADS:-2}"
repeats="${REPEATS:-3}"
sizes="${SIZES:-32 64 128}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
rows=""
for n in $sizes; do
  # 17 sequences: 16 train (2 batches of 8), 1 validation.
  "$CSD" generate --out "$work/d$n.h5" --sequences 17 --frames 41 --size "$n" --seed 5 \
    --threads "$threads" >/dev/null 2>&1
  for scheme in rollout curriculum; do
    for r in $(seq "$repeats"); do
      out="$work/$scheme-$n-$r"
      if [ "$scheme" = rollout ]; then
        extra=(--scheme rollout)
        cfg='{"train":{"loss_frames_start":20,"loss_frames_end":20,"validation_fraction":0.05}}'
      else
        extra=(--scheme curriculum --curriculum-epochs 0 --max-frames 21 --lr-schedule constant)
        cfg='{"train":{"loss_weights":"fixed","noise_feedback":false,"validation_fraction":0.05}}'
      fi
      echo "$cfg" > "$work/cfg.json"
      "$CSD" train --config "$work/cfg.json" --data "$work/d$n.h5" --out "$out" --epochs 3 \
        --threads "$threads" "${extra[@]}" >/dev/null 2>&1
      rows+="$n,$scheme,$(tail -n 2 "$out/history.csv" | cut -d, -f11 | paste -sd' ')"$'\n'
    done
  done
done
/usr/bin/python3 - "$rows" "$threads" <<'PY'
import statistics, sys
rows = [l.split(",") for l in sys.argv[1].strip().splitlines()]
times = {}
for n, scheme, secs in rows:
    times.setdefault((int(n), scheme), []).extend(float(s) for s in secs.split())
frames = 16 * 20  # loss-carrying sample-frames per epoch
print(f"| N | scheme | s per epoch (median) | loss frames/s ({sys.argv[2]} threads) | rollout / curriculum time |")
print("|---|---|---|---|---|")
for n in sorted({k[0] for k in times}):
    base = statistics.median(times[(n, "curriculum")])
    for scheme in ("curriculum", "rollout"):
        t = statistics.median(times[(n, scheme)])
        print(f"| {n} | {scheme} | {t:.2f} | {frames / t:.1f} | {t / base:.2f} |")
PY
