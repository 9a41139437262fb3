"""scripts/bench ptycho: beamforge ptycho-ingest against a NumPy/h5py implementation of the same corrections in the
original kit's manner (the whole stack loaded, then dark clamp, normalised flat, grouping, one write), on the same
synthetic areaDetector scan in the same run; seconds per core, and peak RSS per rank for two scan sizes (it must
not grow with the scan). Issue 21's size is the default: 4,000 positions of 2 frames of 512 × 512 uint16.

    scripts/bench ptycho [--positions 4000] [--size 512] [--fpp 2] [--no-numpy] [--record]

--no-numpy leaves the NumPy version out, for sizes whose whole-stack float32 copies do not fit the machine's memory
(about 5 × the uint16 stack: 21 GB at the issue's size); beamforge's times and memory are then measured alone.
"""
import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import h5py
import numpy as np

from benchlib import BIN, MPI_ENV, PREBUILT, record, stamp

RSS = """import resource, subprocess, sys
code = subprocess.run(sys.argv[1:]).returncode
print("rss_kb", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, flush=True)
sys.exit(code)
"""

NUMPY = """import sys, h5py, numpy as np
scan, darks, flats, out, fpp = sys.argv[1:5] + [int(sys.argv[5])]
with h5py.File(scan) as f:
    raw = f["/entry/instrument/detector/data"][()].astype(np.float32)  # the original: the whole stack at once
with h5py.File(darks) as f:
    dark = f["/entry/instrument/detector/data"][()].astype(np.float32).mean(axis=0)
with h5py.File(flats) as f:
    flat = np.maximum(f["/entry/instrument/detector/data"][()].astype(np.float32).mean(axis=0) - dark, 0)
flat /= flat[flat > 0].mean()
corr = raw - dark
corr[raw < dark] = 0
np.divide(corr, flat, out=corr, where=flat > 0)
grouped = corr.reshape((-1, fpp) + corr.shape[1:]).sum(axis=1)
with h5py.File(out, "w") as f:
    f["/entry/data"] = grouped
"""


def write_stack(path, frames, size, rng, signal=True, block=128):
    """An areaDetector-layout stack written in blocks: a ring pattern (signal) or a flat field plus counts noise,
    a dark offset of 100, SampleX/SampleY per frame."""
    yy, xx = np.mgrid[:size, :size]
    ring = 2000 * np.exp(-((np.hypot(yy - size / 2, xx - size / 2) - size / 8) / 3.0) ** 2) + 50
    with h5py.File(path, "w") as f:
        ds = f.create_dataset("/entry/instrument/detector/data", (frames, size, size), np.uint16,
                              chunks=(1, size, size))
        f["/entry/data/data"] = ds
        for start in range(0, frames, block):
            n = min(block, frames - start)
            base = ring if signal else np.full((size, size), 4000.0)
            noise = rng.integers(0, 32, (n, size, size), dtype=np.uint16)
            ds[start:start + n] = (base[None] * rng.uniform(0.8, 1.2, (n, 1, 1)) + 100).astype(np.uint16) + noise
        attrs = f.create_group("/entry/instrument/NDAttributes")
        attrs["SampleX"] = np.repeat(np.arange(frames // 2) * 0.1, 2)[:frames] if signal else np.zeros(frames)
        attrs["SampleY"] = np.zeros(frames)


def timed(args, env=None):
    """Wall seconds of `args` and the peak RSS (KiB) of each process it starts."""
    t = time.perf_counter()
    r = subprocess.run(args, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - t
    if r.returncode != 0:
        sys.exit(f"{' '.join(args[:6])} failed:\n{r.stderr[-2000:]}")
    return seconds, [int(kb) for kb in re.findall(r"rss_kb (\d+)", r.stdout)]


def beamforge(work, positions, fpp, ranks):
    out = work / f"bf{ranks}"
    shutil.rmtree(out, ignore_errors=True)
    return timed(["mpirun", "-np", str(ranks), sys.executable, "-c", RSS, str(BIN / "beamforge"), "ptycho-ingest",
                  str(work / f"scan{positions}.h5"), "--out", str(out), "--no-progress",
                  "--dark", str(work / "darks.h5"), "--flat", str(work / "flats.h5"), "--frames-per-pos", str(fpp),
                  "--energy", "7keV", "--distance", "2m", "--pixel-size", "75um", "--pos-units", "um"], env=MPI_ENV)


def numpy_ingest(work, positions, fpp):
    return timed([sys.executable, "-c", RSS, sys.executable, "-c", NUMPY, str(work / f"scan{positions}.h5"),
                  str(work / "darks.h5"), str(work / "flats.h5"), str(work / "numpy.h5"), str(fpp)])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--positions", type=int, default=4000)
    p.add_argument("--size", type=int, default=512)
    p.add_argument("--fpp", type=int, default=2)
    p.add_argument("--no-numpy", action="store_true", help="leave the NumPy version out (it does not fit in memory)")
    p.add_argument("--record", action="store_true", help="append the tables to BENCHMARKS.md")
    a = p.parse_args()
    if not PREBUILT:
        subprocess.run(["swift", "build", "-c", "release", "--product", "beamforge"], check=True)
    rng = np.random.default_rng(1)
    work = Path(tempfile.mkdtemp(prefix="bench-ptycho-"))
    try:
        half = a.positions // 2
        for positions in (half, a.positions):
            write_stack(work / f"scan{positions}.h5", positions * a.fpp, a.size, rng)
        write_stack(work / "darks.h5", 8, a.size, rng, signal=False)
        write_stack(work / "flats.h5", 6, a.size, rng, signal=False)
        gb = a.positions * a.fpp * a.size * a.size * 2 / 1e9
        lines = [f"\n## ptycho-ingest vs NumPy ({stamp()}, `scripts/bench ptycho --positions {a.positions} "
                 f"--size {a.size} --fpp {a.fpp}`)\n",
                 f"{a.positions} positions × {a.fpp} frames of {a.size}² uint16 ({gb:.2f} GB), dark and flat stacks, "
                 "page cache warm (each file read once before). NumPy: the whole stack loaded as float32, then the "
                 "same corrections, one process (one core).\n",
                 "| implementation | ranks | seconds | seconds × cores | speed-up per core | peak RSS per rank |",
                 "|---|---|---|---|---|---|"]
        for positions in (half, a.positions):  # warm the page cache
            subprocess.run(["cat", str(work / f"scan{positions}.h5")], stdout=subprocess.DEVNULL, check=True)
        np_seconds = None
        if a.no_numpy:
            lines.append("| NumPy/h5py | 1 | not run (--no-numpy: the whole stack as float32 does not fit) | | | |")
        else:
            np_seconds, np_rss = numpy_ingest(work, a.positions, a.fpp)
            lines.append(f"| NumPy/h5py | 1 | {np_seconds:.2f} | {np_seconds:.2f} | 1.0 | {max(np_rss) / 1024:.0f} MiB |")
        for ranks in (1, 2):
            seconds, rss = beamforge(work, a.positions, a.fpp, ranks)
            speedup = f"{np_seconds / (seconds * ranks):.1f}" if np_seconds else "–"
            lines.append(f"| beamforge | {ranks} | {seconds:.2f} | {seconds * ranks:.2f} | "
                         f"{speedup} | {max(rss) / 1024:.0f} MiB |")
        small_seconds, small_rss = beamforge(work, half, a.fpp, 2)
        _, big_rss = beamforge(work, a.positions, a.fpp, 2)
        lines += ["", f"Peak RSS per rank, 2 ranks: {max(small_rss) / 1024:.0f} MiB for {half} positions, "
                  f"{max(big_rss) / 1024:.0f} MiB for {a.positions} (NumPy: grows with the stack).", ""]
        text = "\n".join(lines) + "\n"
        print(text)
        if a.record:
            record(text)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
