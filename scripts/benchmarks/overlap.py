"""scripts/bench overlap: does writing stall computing? For stack (0.5 MB and 2 MB frames) and integrate (Pilatus 1M
frames), each on 1 and 2 ranks, the same run twice: computing and writing in turn (--no-overlap), which times each
phase alone, and reading and computing the next batches while writing the last (--overlap). A job with an input
side (a SourcedJob) has its reads timed as their own phase; the others read while computing. An h5py raw read of
the same frames is given beside it. The target of issue 17: the overlapped loop within 1.25 x the slowest phase
alone. Appends the table to BENCHMARKS.md."""
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import h5py

from benchlib import BIN, MPI_ENV, PREBUILT, record, stamp
from integrate import pilatus_stack
from stack import CHUNK, DATA, FLATS, DARKS, write_scan

WORK = Path("/tmp/beamforge-bench-overlap")
# Unbound ranks: mpirun binds each of 1 or 2 ranks to one core, which would put the reader, compute and main threads
# on that core; both modes run unbound, so that the comparison is about overlap, not binding.
ENV = dict(MPI_ENV, OMPI_MCA_hwloc_base_binding_policy="none")
PHASES = re.compile(r"main loop on rank 0: ([0-9.]+) s: read ([0-9.]+) s, compute ([0-9.]+) s, write ([0-9.]+) s, "
                    r"waiting ([0-9.]+) s")


def run(args, ranks):
    """Runs beamforge on `ranks` ranks; returns rank 0's loop seconds and phases (loop, read, compute, write,
    wait)."""
    command = ["mpirun", "-np", str(ranks), str(BIN / "beamforge"), *map(str, args), "--no-progress", "--overwrite"]
    result = subprocess.run(command, capture_output=True, text=True, env=ENV)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stderr}")
    return tuple(map(float, PHASES.search(result.stderr).groups()))


def best(args, ranks, repeats=2):
    """The fastest of `repeats` runs (by loop time)."""
    return min((run(args, ranks) for _ in range(repeats)), key=lambda r: r[0])


def raw_read(path, dataset, first, ranks):
    """Seconds h5py takes to read frames `first`... of `dataset` in the chunks beamforge reads, split by rank."""
    t = time.perf_counter()
    with h5py.File(path, "r") as f:
        d = f[dataset]
        rows = d.shape[1]
        for r in range(0, rows, CHUNK):
            d[first:, r:min(rows, r + CHUNK), :]
    return (time.perf_counter() - t) / ranks


def main():
    if not PREBUILT:
        subprocess.run(["swift", "build", "-c", "release", "--product", "beamforge"], check=True)
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    cases = []
    for rows in (256, 1024):
        scan = WORK / f"{rows}.nxs"
        write_scan(scan, rows)
        frame_mb = rows * 1024 * 2 / 2 ** 20
        cases.append((f"stack, {rows} rows ({frame_mb:.1f} MiB frames)",
                      ["stack", scan, "--root", WORK / "out", "--chunk-size", CHUNK],
                      lambda ranks, scan=scan: raw_read(scan, DATA, FLATS + DARKS, ranks)))
    pilatus = WORK / "pilatus.h5"
    cal = pilatus_stack(pilatus, 256)
    cal_path = WORK / "cal.json"
    import json
    cal["Masks"][0]["Oversampling"] = 1
    cal_path.write_text(json.dumps(cal))
    cases.append(("integrate, 256 Pilatus 1M frames",
                  ["integrate", "--calibration", cal_path, "--out", WORK / "out", "--batch-size", 32, pilatus],
                  None))
    subprocess.run(["sync"])
    lines = [f"\n## overlap — {stamp()}\n",
             "The main loop (rank 0) with computing and writing in turn (`--no-overlap`: each phase alone) and with "
             "the next batch computed while the last is written (`--overlap`). Read is the runner's reader stage "
             "for jobs with an input side (0 where the job still reads while computing), beside an h5py read of "
             "the same frames. Best of 2 runs each; inputs in the page cache; ranks not bound to cores.\n",
             "| case | ranks | read alone (h5py) | compute alone | write alone | loop in turn | loop overlapped | "
             "overlapped / slowest phase |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for name, args, reader in cases:
        for ranks in (1, 2):
            serial = best([*args, "--no-overlap"], ranks)
            overlapped = best([*args, "--overlap"], ranks)
            h5py_read = reader(ranks) if reader else None
            loop, read, compute, write, _ = serial
            slowest = max(read, compute, write)
            h5py_text = f"{h5py_read:.2f} s" if h5py_read is not None else "—"
            lines.append(f"| {name} | {ranks} | {read:.2f} s ({h5py_text}) | {compute:.2f} s | {write:.2f} s | "
                         f"{loop:.2f} s | {overlapped[0]:.2f} s | {overlapped[0] / slowest:.2f} |")
            print(lines[-1], flush=True)
    record("\n".join(lines) + "\n")
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
