"""What the benchmarks share: paths, the mpirun environment, the machine stamp, BENCHMARKS.md."""
import datetime
import os
import platform
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # scripts/benchmarks/benchlib.py -> repository root
# BEAMFORGE_BIN_DIR runs a binary built elsewhere (a relocated bundle on a machine without Swift); the benchmarks
# then leave building alone.
BIN = Path(os.environ.get("BEAMFORGE_BIN_DIR", ROOT / ".build" / "release"))
PREBUILT = "BEAMFORGE_BIN_DIR" in os.environ
MPI_ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               OMPI_MCA_rmaps_base_oversubscribe="1")


def stamp():
    """'YYYY-MM-DD, host (cpu, N cores)' for a section heading."""
    machine = f"{platform.node()} ({platform.processor() or platform.machine()}, {os.cpu_count()} cores)"
    return f"{datetime.date.today().isoformat()}, {machine}"


def record(text):
    """Appends a section to BENCHMARKS.md (created with its header if missing)."""
    bench = ROOT / "BENCHMARKS.md"
    if not bench.exists():
        bench.write_text("# beamforge benchmarks\n\nEach section is one `scripts/bench` run, newest last.\n\n")
    with bench.open("a") as f:
        f.write(text)
