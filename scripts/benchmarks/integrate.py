#!/usr/bin/env python3
"""scripts/bench integrate: beamforge integrate against pyFAI's integrate1d on the same machine in one run.

Stacks: the real Pilatus 1M frame (1043 x 981, int32, with its Fit2D mask) resampled with Poisson noise, and a
synthetic Eiger 4M pattern (2167 x 2070, uint32, no mask), stored as HDF5 (page-cached: this measures
integration, not the disk). Same bins (SAXSDog's grid: pyFAI gets its edges as npt and radial_range), same
split mode (beamforge oversampling 1 = pyFAI "no"; beamforge --split full = pyFAI "full"), solid angle off,
Poisson errors; pyFAI's CSR engine with as many OpenMP threads as beamforge has ranks, frames already in memory
(its I/O is not counted; beamforge's reading of the HDF5 stack and writing of integrated.h5 is).
beamforge's rate is frames / the runner's loop time; its matrix set-up is reported apart. Both tools: the best of
two runs (this VM's neighbours add up to 30 % noise).
Memory bandwidth: beamforge's bytes per frame through memory (the stored frame, read in place from the mapped
page cache; the matrix once per 8 frames; the 8-lane tiles stay in cache) against numpy's copy bandwidth on one
core.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import h5py
import numpy as np

from benchlib import BIN, MPI_ENV as ENV, ROOT, record, stamp

BEAMFORGE = str(BIN / "beamforge")
DATA = ROOT / "Tests" / "Fixtures" / "saxsdog"


def pilatus_stack(path, frames):
    import tifffile
    base = tifffile.imread(DATA / "buf1_00000.tif").astype(np.float64)
    rng = np.random.default_rng(1)
    with h5py.File(path, "w") as f:
        ds = f.create_dataset("entry/data/data", (frames, *base.shape), np.int32)
        for k in range(frames):
            ds[k] = np.where(base < 0, base, rng.poisson(np.clip(base, 0, None)))
    cal = json.loads((DATA / "cal.json").read_text())
    cal["Masks"][0]["MaskFile"] = str(DATA / "AAA_integ.msk")
    return cal


def eiger_stack(path, frames):
    rows, cols = 2167, 2070
    y, x = np.mgrid[0:rows, 0:cols]
    r = np.hypot(y - 1100.3, x - 1000.7)
    mean = 2000.0 / (1 + (r / 40) ** 2.5) + 0.5
    rng = np.random.default_rng(2)
    with h5py.File(path, "w") as f:
        ds = f.create_dataset("entry/data/data", (frames, rows, cols), np.uint32)
        for k in range(frames):
            ds[k] = rng.poisson(mean)
    return {"Title": "Eiger 4M benchmark", "Geometry": {"Tilt": {"TiltAngleDeg": 0.3, "TiltRotDeg": 20.0},
            "DedectorDistanceMM": 2000.0, "BeamCenter": [rows - 1100.8, 1001.2], "Imagesize": [rows, cols],
            "PixelSizeMicroM": [75.0]}, "Wavelength": 1.0,
            "Masks": [{"MaskFile": "", "Oversampling": 1, "PixelPerRadialElement": 1, "qStart": 0, "qStop": 5}]}


def run_beamforge(cal_path, stack, out, ranks, split):
    cmd = ["mpirun", "-np", str(ranks), BEAMFORGE, "integrate", "--calibration", str(cal_path), "--split", split,
           "--out", str(out), "--overwrite", "--no-progress", "--batch-size", "32", str(stack)]
    t0 = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, env=ENV)
    wall = time.perf_counter() - t0
    if r.returncode != 0:
        sys.exit(r.stderr)
    loop = float(re.search(r"computed in ([0-9.]+) s", r.stderr).group(1))
    return loop, wall


def run_pyfai(cal, frames, mask, q, split, threads):
    """pyFAI on the vertically flipped frames with the Fit2D geometry (docs/reference/integration.md section 4)."""
    code = f"""
import numpy as np, h5py, time, json, sys
from pyFAI.integrator.azimuthal import AzimuthalIntegrator
cal = json.loads(sys.argv[1]); g = cal["Geometry"]
with h5py.File(sys.argv[2]) as f: frames = np.ascontiguousarray(np.flip(f["entry/data/data"][()].astype(np.float32), axis=1))
mask = np.load(sys.argv[3]) if sys.argv[3] != "-" else None
q = np.load(sys.argv[4])
ai = AzimuthalIntegrator()
ai.setFit2D(directDist=g["DedectorDistanceMM"], centerX=g["BeamCenter"][1], centerY=g["BeamCenter"][0],
            tilt=g["Tilt"]["TiltAngleDeg"], tiltPlanRotation=g["Tilt"]["TiltRotDeg"],
            pixelX=g["PixelSizeMicroM"][0], pixelY=g["PixelSizeMicroM"][0])
ai.wavelength = cal["Wavelength"] * 1.00001495e-10
dq = q[1] - q[0]
kw = dict(unit="q_nm^-1", method=("{split}", "csr", "cython"), correctSolidAngle=False, mask=mask,
          error_model="poisson", radial_range=(0, q[0] - dq / 2 + len(q) * dq))
ai.integrate1d(frames[0], len(q), **kw)
t = time.perf_counter()
for f in frames: ai.integrate1d(f, len(q), **kw)
print((time.perf_counter() - t) / len(frames))
"""
    env = dict(ENV, OMP_NUM_THREADS=str(threads))
    r = subprocess.run([sys.executable, "-c", code, json.dumps(cal), *map(str, (frames, mask, q))],
                       capture_output=True, text=True, env=env)
    if r.returncode != 0:
        sys.exit(r.stderr)
    return float(r.stdout.split()[-1])


def copy_bandwidth():
    a = np.ones(64 << 20, np.float32)
    b = np.empty_like(a)
    best = 1e9
    for _ in range(5):
        t = time.perf_counter()
        np.copyto(b, a)
        best = min(best, time.perf_counter() - t)
    return 2 * a.nbytes / best / 1e9


def main():
    tmp = Path(tempfile.mkdtemp(prefix="bench-integrate-"))
    bandwidth = copy_bandwidth()
    rows = []
    for name, maker, frames in [("Pilatus 1M", pilatus_stack, 256), ("Eiger 4M", eiger_stack, 64)]:
        stack = tmp / (name.replace(" ", "") + ".h5")
        cal = maker(stack, frames)
        # Write the new stack back and read it once, so that no run pays for the page cache's writeback.
        os.sync()
        with open(stack, "rb") as f:
            while f.read(64 << 20):
                pass
        mask_path = "-"
        if cal["Masks"][0]["MaskFile"]:
            import fabio
            mask = fabio.open(cal["Masks"][0]["MaskFile"]).data.astype(bool)  # pyFAI's orientation
            np.save(tmp / "mask.npy", mask)
            mask_path = tmp / "mask.npy"
        pixels = cal["Geometry"]["Imagesize"][0] * cal["Geometry"]["Imagesize"][1]
        for split, pyfai_split in [("oversampling", "no"), ("full", "full")]:
            c = json.loads(json.dumps(cal))
            c["Masks"][0]["Oversampling"] = 1
            cal_path = tmp / f"cal-{split}.json"
            cal_path.write_text(json.dumps(c))
            for ranks in (1, 2):
                out = tmp / f"out-{split}-{ranks}"
                loop, wall = min(run_beamforge(cal_path, stack, out, ranks, split) for _ in range(2))
                with h5py.File(out / "integrated.h5") as f:
                    q = f["integrated/sasdata01/Q"][()]
                    description = f["integrated/sasprocess/description"][()].decode()
                np.save(tmp / "q.npy", q)
                nnz = int(re.search(r"(\d+) matrix entries", description).group(1))
                pyfai = min(run_pyfai(c, stack, mask_path, tmp / "q.npy", pyfai_split, ranks) for _ in range(2))
                fps = frames / loop
                moved = 4 * pixels + (8 * nnz + 4 * pixels) / 8
                rows.append((name, frames, split, pyfai_split, ranks, len(q), nnz, fps, 1 / pyfai, wall - loop,
                             moved * fps / ranks / 1e9))
                print(rows[-1], flush=True)
    lines = [f"\n## integrate: frames/s vs pyFAI {__import__('importlib.metadata').metadata.version('pyFAI')} "
             f"({stamp()})\n",
             "HDF5 stacks in the page cache; beamforge's time includes reading them and writing integrated.h5, "
             "pyFAI's is integrate1d on frames in memory (CSR engine, OpenMP threads = ranks). Same bins, "
             "same split, solid angle off, Poisson errors. Set-up: beamforge's matrix build and start-up "
             f"(wall minus loop). Bandwidth: bytes moved per frame and rank over numpy's one-core copy "
             f"bandwidth, {bandwidth:.1f} GB/s.\n",
             "| stack | frames | split (beamforge / pyFAI) | ranks = threads | bins | matrix entries | beamforge "
             "frames/s | pyFAI frames/s | ratio | beamforge set-up s | GB/s per rank (of copy bw) |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for (name, frames, split, psplit, ranks, bins, nnz, fps, pfps, setup, gbs) in rows:
        lines.append(f"| {name} | {frames} | {split} / {psplit} | {ranks} | {bins} | {nnz:,} | {fps:.0f} | "
                     f"{pfps:.0f} | {fps / pfps:.1f}x | {setup:.1f} | {gbs:.1f} ({100 * gbs / bandwidth:.0f} %) |")
    text = "\n".join(lines) + "\n"
    print(text)
    record(text)


if __name__ == "__main__":
    main()
