#!/usr/bin/env bash
# Sharded dataset generation on a Slurm cluster: one array task per shard
# (csd generate --shard I/N), then `csd merge` as a job that starts only when every
# shard succeeded (--dependency=afterok). Run it on the login node:
#
#   bash scripts/slurm/generate_array.sh CONFIG OUT SHARDS [csd generate flags...]
#   bash scripts/slurm/generate_array.sh configs/paper/train.json data/paper/train.h5 16
#   SBATCH_ARGS="--partition=cpu --time=02:00:00" CPUS=16 \
#     bash scripts/slurm/generate_array.sh configs/paper/test.json data/paper/test.h5 4 --noise 7.5e-4
#
# Shards go to OUT.shards/shard.I.h5 with their logs; the merged dataset to OUT.
# A task that hits its time limit leaves shard.I.h5.part: resubmitting the same
# command continues every unfinished shard (--resume) and skips finished ones.
# Environment: CSD_BIN (the csd to run; default: csd on PATH, else build/apps/csd),
# CPUS (cores per task, default 8), SBATCH_ARGS (more sbatch options, e.g. partition,
# account, time limit; word-split).
set -euo pipefail
if [[ $# -lt 3 ]]; then
  sed -n '2,17p' "$0" >&2
  exit 2
fi
config=$1 out=$2 shards=$3
shift 3
[[ $shards =~ ^[1-9][0-9]*$ ]] || { echo "error: SHARDS must be a positive integer" >&2; exit 2; }
csd=${CSD_BIN:-$(command -v csd || echo "$PWD/build/apps/csd")}
cpus=${CPUS:-8}
shard_dir="$out.shards"
mkdir -p "$shard_dir"
extra=""
[[ $# -gt 0 ]] && extra=$(printf ' %q' "$@")

# The array: task I writes shard I/N (sequences s ≡ I mod N).
# shellcheck disable=SC2086  # SBATCH_ARGS is a list of options
array_job=$(sbatch --parsable ${SBATCH_ARGS:-} --job-name=csd-generate \
  --array="0-$((shards - 1))" --cpus-per-task="$cpus" --output="$shard_dir/shard.%a.log" <<EOF
#!/usr/bin/env bash
set -euo pipefail
shard="$shard_dir/shard.\$SLURM_ARRAY_TASK_ID.h5"
if [[ -e "\$shard" ]]; then echo "\$shard is finished"; exit 0; fi
mode=""
if [[ -e "\$shard.part" ]]; then mode="--resume"; fi
exec "$csd" generate --config "$config" --threads "$cpus" \\
  --shard "\$SLURM_ARRAY_TASK_ID/$shards" --out "\$shard" \$mode$extra
EOF
)
array_job=${array_job%%;*}  # --parsable prints "id" or "id;cluster"

# The merge: checks config, completeness and coverage, then writes OUT atomically.
inputs=""
for ((i = 0; i < shards; ++i)); do inputs+=" $(printf '%q' "$shard_dir/shard.$i.h5")"; done
# shellcheck disable=SC2086
merge_job=$(sbatch --parsable ${SBATCH_ARGS:-} --job-name=csd-merge \
  --dependency="afterok:$array_job" --cpus-per-task="$cpus" --output="$shard_dir/merge.log" <<EOF
#!/usr/bin/env bash
set -euo pipefail
exec "$csd" merge "$out"$inputs --threads "$cpus"
EOF
)
echo "submitted shards: job $array_job (array 0-$((shards - 1))), merge: job ${merge_job%%;*} -> $out"
