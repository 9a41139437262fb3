# Sourced by beamforge's sbatch templates: MPI environment, launch, and signal forwarding.
#
# Every template runs `bf_job SUBCOMMAND CONFIG ARGS...`: LAUNCHER=mpirun (default) or srun (srun --mpi=pmix; needs
# Slurm built with PMIx: `srun --mpi=list` shows pmix), CONFIG (default configs/CONFIG_FILE, or none), OUT (default
# $SLURM_SUBMIT_DIR/SUBCOMMAND-out) and --resume, so that submitting the same script again continues the run.
# Progress goes to the job log every PROGRESS_EVERY seconds (default 60).
#
# Slurm sends the signal requested with `#SBATCH --signal=B:USR1@180` to this batch shell only. bf_launch runs the
# job step in the background and forwards USR1 (and TERM and INT) to it as USR1; beamforge then finishes its current batch,
# flushes, leaves OUT/<job>.h5.partial and exits with status 75. Submitting the same script again resumes it.
#
# beamforge refuses to start when SLURM_NTASKS > 1 but the MPI world has size 1 (a launcher that started N
# independent singletons), so a broken srun/PMIx setup fails at once instead of writing N copies.

source "$BEAMFORGE_HOME/scripts/mpi-env"
BEAMFORGE_BIN=${BEAMFORGE_BIN:-$BEAMFORGE_HOME/.build/release/beamforge}

# bf_launch mpirun|srun SUBCOMMAND [ARGS...]: runs beamforge on every task of the allocation and exits with its status.
bf_launch() {
    local launcher=$1
    shift
    local -a command
    case "$launcher" in
        mpirun) command=(mpirun -np "${SLURM_NTASKS:-1}" "$BEAMFORGE_BIN" "$@") ;;
        srun) command=(srun --mpi=pmix --kill-on-bad-exit=1 "$BEAMFORGE_BIN" "$@") ;;
        *) echo "bf_launch: unknown launcher $launcher (mpirun or srun)" >&2; exit 2 ;;
    esac
    echo "beamforge: ${command[*]}"
    "${command[@]}" &
    local pid=$!
    trap "echo 'beamforge: stop requested, forwarding SIGUSR1'; kill -USR1 $pid 2>/dev/null || true" USR1 TERM INT
    local status=0
    wait "$pid" || status=$?
    # wait returns early when a trapped signal arrives; keep waiting for the step to finish its batch.
    while kill -0 "$pid" 2>/dev/null; do
        status=0
        wait "$pid" || status=$?
    done
    if [ "$status" -eq 75 ]; then
        echo "beamforge: stopped before the time limit; submit again to resume"
    fi
    exit "$status"
}

# bf_job SUBCOMMAND CONFIG_FILE [ARGS...]: the templates' common line (see the top of this file); an empty
# CONFIG_FILE means the subcommand's built-in defaults unless CONFIG is set.
bf_job() {
    local subcommand=$1 config=$2
    shift 2
    local -a settings=()
    if [ -n "${CONFIG:-}" ]; then
        settings=(--config "$CONFIG")
    elif [ -n "$config" ]; then
        settings=(--config "$BEAMFORGE_HOME/configs/$config")
    fi
    bf_launch "${LAUNCHER:-mpirun}" "$subcommand" "${settings[@]}" \
        --out "${OUT:-${SLURM_SUBMIT_DIR:-$PWD}/$subcommand-out}" --resume --progress-every "${PROGRESS_EVERY:-60}" "$@"
}
