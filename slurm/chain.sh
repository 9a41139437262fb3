#!/usr/bin/env bash
# Submits COUNT jobs of one template, each starting after the previous one ends (afterany), so a long run
# continues across time limits: every job passes --resume and computes only what is missing; once the output
# is complete the remaining jobs find it so and exit at once.
#
#   slurm/chain.sh 4 slurm/saxs.sbatch --n 1000000
set -euo pipefail
if [ $# -lt 2 ]; then
    echo "usage: $0 COUNT TEMPLATE [beamforge arguments...]" >&2
    exit 2
fi
count=$1
template=$2
shift 2
previous=$(sbatch --parsable "$template" "$@")
echo "submitted $previous"
for _ in $(seq 2 "$count"); do
    previous=$(sbatch --parsable --dependency=afterany:"$previous" "$template" "$@")
    echo "submitted $previous (after the previous one)"
done
