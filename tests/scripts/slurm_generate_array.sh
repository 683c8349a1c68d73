#!/usr/bin/env bash
# Runs scripts/slurm/generate_array.sh against a stand-in `sbatch` that runs each job at
# once, in order (array tasks one by one with SLURM_ARRAY_TASK_ID), and checks that the
# merged dataset is byte-identical to one `csd generate` of the same config.
#   bash tests/scripts/slurm_generate_array.sh CSD_BINARY SOURCE_DIR
set -euo pipefail
csd=$1 source_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin"
cat >"$work/bin/sbatch" <<'FAKE'
#!/usr/bin/env bash
# Stand-in for sbatch: records its arguments, runs the job script from stdin now.
set -euo pipefail
script=$(mktemp)
cat >"$script"
array="" output=/dev/null
for arg in "$@"; do
  case $arg in
    --array=*) array=${arg#--array=} ;;
    --output=*) output=${arg#--output=} ;;
  esac
  echo "$arg" >>"$FAKE_SBATCH_LOG"
done
if [[ -n $array ]]; then
  for ((task = ${array%-*}; task <= ${array#*-}; ++task)); do
    SLURM_ARRAY_TASK_ID=$task bash "$script" >"${output//%a/$task}" 2>&1
  done
else
  bash "$script" >"$output" 2>&1
fi
echo "$RANDOM"
FAKE
chmod +x "$work/bin/sbatch"
export FAKE_SBATCH_LOG="$work/sbatch.log" CSD_BIN="$csd" CPUS=1
config="$source_dir/configs/smoke/generate.json"
"$csd" generate -q --config "$config" --sequences 5 --out "$work/single.h5"
PATH="$work/bin:$PATH" bash "$source_dir/scripts/slurm/generate_array.sh" \
  "$config" "$work/merged.h5" 3 --sequences 5
grep -q -- "--array=0-2" "$FAKE_SBATCH_LOG"
grep -q -- "--dependency=afterok:" "$FAKE_SBATCH_LOG"
"$csd" info "$work/merged.h5.shards/shard.2.h5" | grep -q "shard 2/3"
cmp "$work/single.h5" "$work/merged.h5"
echo "slurm generate array: merged 3 shards, identical to one run"
