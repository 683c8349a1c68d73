#!/usr/bin/env bash
#SBATCH --job-name=csd-train
#SBATCH --nodes=1
#SBATCH --ntasks-per-node=4
#SBATCH --gpus-per-node=4
#SBATCH --cpus-per-task=8
#SBATCH --time=24:00:00
# Data-parallel training: `srun` starts one csd process per task (per GPU), each reads
# its rank from SLURM_PROCID / SLURM_NTASKS / SLURM_LOCALID, and rank 0's host serves
# the c10d rendezvous (README "Scaling out"). Flags after the script go to csd train:
#
#   sbatch scripts/slurm/train_ddp.sh --config configs/paper/model.json
#   sbatch scripts/slurm/train_ddp.sh --config configs/paper/model.json --resume     # after a time limit
#   sbatch --nodes=2 scripts/slurm/train_ddp.sh --config configs/paper/model.json    # 8 GPUs
#   sbatch --gpus-per-node=0 --ntasks-per-node=2 scripts/slurm/train_ddp.sh \
#          --config configs/quick/model.json --device cpu                           # CPU ranks, gloo
#
# train.batch_size is the global batch: each of the N ranks takes B/N of it, so the
# run is the same as one process with batch B. Environment: CSD_BIN (default: csd on
# PATH, else build/apps/csd), MASTER_PORT (default derived from the job id).
set -euo pipefail
MASTER_ADDR=$(scontrol show hostnames "$SLURM_JOB_NODELIST" | head -n 1)
MASTER_PORT=${MASTER_PORT:-$((20000 + SLURM_JOB_ID % 20000))}
export MASTER_ADDR MASTER_PORT
csd=${CSD_BIN:-$(command -v csd || echo "$PWD/build/apps/csd")}
# --kill-on-bad-exit: a failed rank ends the step; the others would fail within
# train.dist_timeout anyway.
srun --kill-on-bad-exit=1 "$csd" train --threads "${SLURM_CPUS_PER_TASK:-1}" "$@"
