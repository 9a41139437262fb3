"""scripts/bench stack: beamforge stack's end-to-end throughput against a raw h5py read of the same slabs of the same
file in the same run (1 and 2 ranks), peak RSS per rank for two volume sizes (it must not grow with the volume), and
the stripe-mask time per GB. Both from the page cache (warm) and, where the page cache can be dropped (root), from
storage (cold: the case of scans larger than memory). Appends the results to BENCHMARKS.md."""
import multiprocessing
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import h5py
import numpy as np

from benchlib import BIN, MPI_ENV, record, stamp

WORK = Path("/tmp/beamforge-bench-stack")
DATA = "/entry1/tomo_entry/data/data"
KEYS = "/entry1/tomo_entry/instrument/detector/image_key"
ANGLES, COLUMNS, CHUNK = 1200, 1024, 64
FLATS, DARKS = 10, 10


def write_scan(path, rows):
    """A uint16 scan: flats and darks first, then ANGLES projections of a smooth object with photon noise, one frame
    per HDF5 chunk.
    A few short runs of detector rows have pixels whose gain drifted after the flats were taken (ring artefacts),
    so the stripe mask has stripes to find and merge."""
    rng = np.random.default_rng(rows)
    flat = 20000 + 2000 * np.sin(np.arange(COLUMNS) / 40.0)[None, :] + np.zeros((rows, 1))
    gain = np.ones((rows, COLUMNS))
    for first, count, columns, factor in ((40, 12, slice(300, 302), 0.96), (100, 8, slice(700, 701), 1.05),
                                          (180, 20, slice(512, 516), 0.97)):
        gain[first:first + count, columns] = factor
    with h5py.File(path, "w") as f:
        d = f.create_dataset(DATA, shape=(FLATS + DARKS + ANGLES, rows, COLUMNS), dtype=np.uint16,
                             chunks=(1, rows, COLUMNS))
        d[:FLATS] = np.rint(flat + rng.normal(0, 30, (FLATS, rows, COLUMNS))).astype(np.uint16)
        d[FLATS:FLATS + DARKS] = 100
        x = np.arange(COLUMNS)[None, :] - COLUMNS / 2
        for a in range(0, ANGLES, 50):
            theta = np.pi * (a + np.arange(50))[:, None, None] / ANGLES
            centre = 150 * np.cos(theta)
            absorb = 0.8 * np.exp(-((x[None] - centre) ** 2) / (2 * 80.0 ** 2)) * np.ones((1, rows, 1))
            counts = gain * flat * np.exp(-absorb)
            counts += np.sqrt(counts) * rng.standard_normal(counts.shape, dtype=np.float32)  # photon noise
            d[FLATS + DARKS + a:FLATS + DARKS + a + 50] = np.rint(counts + 100).astype(np.uint16)
        f[KEYS] = np.array([1] * FLATS + [2] * DARKS + [0] * ANGLES, dtype=np.uint8)
    return ANGLES * rows * COLUMNS * 2


def read_rows(args):
    path, rows = args
    with h5py.File(path, "r") as f:
        d = f[DATA]
        for r in range(rows.start, rows.stop, CHUNK):
            d[FLATS + DARKS:, r:min(rows.stop, r + CHUNK), :]


def drop_caches():
    """Writes back dirty pages and empties the page cache; False when not allowed (not root)."""
    os.sync()
    try:
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def raw_read(path, rows, ranks, cold):
    """Seconds for `ranks` processes to read their rows of every projection in CHUNK-row slabs (h5py), from the
    page cache (after a first read) or, `cold`, from storage."""
    bounds = [rows * k // ranks for k in range(ranks + 1)]
    parts = [(path, range(bounds[k], bounds[k + 1])) for k in range(ranks)]
    with multiprocessing.Pool(ranks) as pool:
        pool.map(read_rows, parts)  # warm the page cache and the pool
        if cold:
            drop_caches()
        t = time.perf_counter()
        pool.map(read_rows, parts)
        return time.perf_counter() - t


RSS = """import resource, subprocess, sys
code = subprocess.run(sys.argv[1:]).returncode
print("rss_kb", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, flush=True)
sys.exit(code)
"""


class MemoryCap:
    """A memory cgroup (v1, or v2 with the memory controller) capping the processes started in it: page cache
    included, which the kernel reclaims under the cap; anything else beyond it is killed (counted in oom_kills).
    None when this machine offers no writable memory cgroup (not root, or no such controller)."""

    def __init__(self, path, version):
        self.path, self.version = path, version

    @classmethod
    def make(cls, limit_bytes):
        v1, v2 = Path("/sys/fs/cgroup/memory"), None
        for root in (Path("/sys/fs/cgroup"), Path("/sys/fs/cgroup/unified")):
            controllers = root / "cgroup.controllers"
            if controllers.exists() and "memory" in controllers.read_text().split():
                v2 = root
        try:
            if (v1 / "memory.limit_in_bytes").exists():
                cap = cls(v1 / "beamforge-bench", 1)
                cap.path.mkdir(exist_ok=True)
                (cap.path / "memory.limit_in_bytes").write_text(str(limit_bytes))
            elif v2 is not None:
                cap = cls(v2 / "beamforge-bench", 2)
                cap.path.mkdir(exist_ok=True)
                (cap.path / "memory.max").write_text(str(limit_bytes))
            else:
                return None
        except OSError:
            return None
        return cap

    def enter(self):
        """Moves the calling process (a child before exec) into the cgroup."""
        (self.path / "cgroup.procs").write_text(str(os.getpid()))

    def remove(self):
        """Deletes the cgroup (its processes have exited)."""
        try:
            self.path.rmdir()
        except OSError:
            pass

    def oom_kills(self):
        text = (self.path / ("memory.oom_control" if self.version == 1 else "memory.events")).read_text()
        return int(re.search(r"oom_kill (\d+)", text).group(1))


def beamforge(command, path, ranks, out, *extra, cold=False, cap=None):
    """Wall seconds of `beamforge <command>` on `ranks` ranks and the peak RSS of each rank (KiB); the input from
    the page cache (read once before) or, `cold`, from storage; inside the memory cgroup `cap` when given."""
    shutil.rmtree(out, ignore_errors=True)
    if cold:
        drop_caches()
    else:
        os.sync()  # earlier runs' output must not throttle this run's writes
        with open(path, "rb") as f:
            while f.read(1 << 24):
                pass
    args = ["mpirun", "-np", str(ranks), sys.executable, "-c", RSS, str(BIN / "beamforge"), command, str(path),
            "--root", str(out), "--chunk-size", str(CHUNK), "--no-progress", *extra]
    t = time.perf_counter()
    result = subprocess.run(args, capture_output=True, text=True, env=MPI_ENV, preexec_fn=cap.enter if cap else None)
    seconds = time.perf_counter() - t
    if result.returncode != 0:
        sys.exit(f"beamforge {command} failed:\n{result.stderr}")
    # The ranks' lines can interleave through mpirun: take every "rss_kb N" wherever it appears.
    rss = [int(kb) for kb in re.findall(r"rss_kb (\d+)", result.stdout)]
    return seconds, rss


def main():
    subprocess.run(["swift", "build", "-c", "release", "--product", "beamforge"], check=True)
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    sizes = {}
    for rows in (256, 1024):
        sizes[rows] = write_scan(WORK / f"{rows}.nxs", rows)
    os.sync()  # the scans' own write-back must not slow the runs
    cold_ok = drop_caches()
    lines = [f"\n## stack — {stamp()}\n",
             f"Synthetic uint16 scans of {ANGLES} projections × rows × {COLUMNS} columns (one frame per HDF5 chunk), "
             f"{CHUNK}-row chunks, raw mode (anti-aliased resize to 402 × 362, stack.h5 and the TIFF tree written). "
             "Raw read: h5py reading the same slabs of the same file, one process per rank. Warm: the scan in the "
             "page cache; cold: the page cache dropped before each run, the scan read from storage (a scan larger "
             "than memory)." + ("" if cold_ok else " Cold runs skipped: dropping the page cache needs root.") + "\n",
             "| rows | input | ranks | cache | raw read | beamforge stack | ratio | peak RSS per rank |",
             "|---:|---:|---:|---|---:|---:|---:|---:|"]
    for rows in (256, 1024):
        path, gb = WORK / f"{rows}.nxs", sizes[rows] / 1e9
        for ranks in (1, 2):
            for cold in (False, True) if cold_ok else (False,):
                read = raw_read(path, rows, ranks, cold)
                seconds, rss = beamforge("stack", path, ranks, WORK / "out", cold=cold)
                lines.append(f"| {rows} | {gb:.2f} GB | {ranks} | {'cold' if cold else 'warm'} | {gb / read:.2f} GB/s "
                             f"| {gb / seconds:.3f} GB/s ({seconds:.1f} s) | {read / seconds:.0%} "
                             f"| {max(rss) / 1024:.0f} MiB |")
                print(lines[-1], flush=True)
    # Memory per rank bounded by the chunk, shown under a hard cap: the 2.52 GB scan on 2 ranks within 320 MiB each.
    per_rank, ranks, rows = 320 << 20, 2, 1024
    cap = MemoryCap.make(ranks * per_rank)
    if cap is None:
        lines.append("\nCapped run skipped: no writable memory cgroup here (needs root and the memory controller).")
    else:
        before = cap.oom_kills()
        seconds, rss = beamforge("stack", WORK / f"{rows}.nxs", ranks, WORK / "out", cold=True, cap=cap)
        lines.append(f"\nUnder a memory cgroup of {ranks} × {per_rank >> 20} MiB (mpirun, its daemon, both ranks and "
                     f"the page cache they fill), the {sizes[rows] / 1e9:.2f} GB scan ({sizes[rows] / per_rank:.1f}× "
                     f"one rank's share) ran in {seconds:.1f} s from storage, peak RSS {max(rss) / 1024:.0f} MiB per "
                     f"rank, {cap.oom_kills() - before} processes killed for memory.")
        cap.remove()
        print(lines[-1], flush=True)
    lines.append("\nStripe masks (`beamforge mask`, NoStripesNet's parameters: size 250, radius 3, length 600, depth "
                 "30, width 22), same scans (warm), mask.h5 and the .npz written; marked: the share of voxels the "
                 "mask marks (the scans' drifting pixels):\n")
    lines.append("| rows | input | ranks | seconds | seconds per GB of input | marked | peak RSS per rank |")
    lines.append("|---:|---:|---:|---:|---:|---:|---:|")
    for rows in (256, 1024):
        path, gb = WORK / f"{rows}.nxs", sizes[rows] / 1e9
        for ranks in (1, 2):
            seconds, rss = beamforge("mask", path, ranks, WORK / "mask")
            with np.load(WORK / "mask" / "masks.npz") as npz:
                marked = npz[f"m{rows}"].mean()
            lines.append(f"| {rows} | {gb:.2f} GB | {ranks} | {seconds:.1f} | {seconds / gb:.1f} | {marked:.2%} "
                         f"| {max(rss) / 1024:.0f} MiB |")
            print(lines[-1], flush=True)
    record("\n".join(lines) + "\n")
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
