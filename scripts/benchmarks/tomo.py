#!/usr/bin/env python3
"""scripts/bench tomo: seconds per sample of beamforge tomo (N = 256, 300 spheres), 1 and 2 ranks.

Compute (tomo-bench, no files): the phantom plus its analytic projection alone, and a complete complex-mode sample
(projection, flat fields, photon and electronic noise, 5 shifts, the per-sample statistics) exactly as beamforge tomo
computes it before writing. End to end: beamforge tomo writing tomo.h5 (about 1 GB per complex sample) to the disk,
beside this machine's page-cache write speed for the same bytes, which bounds it.
TomoPhantom's own projector is not installable here (not on PyPI, its sources not reachable); its time is the
reference's measurement on a 2-core x86-64 machine (docs/reference/tomography.md §3): 0.95 s per object, 285 s per 300-sphere sample.
"""
import json
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

from benchlib import BIN, MPI_ENV as ENV, ROOT, record, stamp

TOMOPHANTOM_SECONDS = 285.0


def compute(ranks, samples):
    out = subprocess.run(["mpirun", "-np", str(ranks), str(BIN / "tomo-bench"), str(samples)], env=ENV,
                         capture_output=True, text=True, check=True).stdout
    reports = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    # Ranks work at the same time: the slowest one's time over all samples is the time per sample.
    return (max(r["projection_s"] for r in reports) / samples, max(r["complex_s"] for r in reports) / samples)


def end_to_end(ranks, samples, mode, directory):
    start = time.time()
    subprocess.run(["mpirun", "-np", str(ranks), str(BIN / "beamforge"), "tomo", "--mode", mode, "-S", str(samples),
                    "--root", str(directory), "--no-progress", "--overwrite"], env=ENV, check=True,
                   capture_output=True)
    seconds = time.time() - start
    size = (directory / "tomo.h5").stat().st_size
    return seconds / samples, size / samples


def write_speed(directory, nbytes):
    data = np.ones(nbytes // 8)
    path = directory / "write-test.bin"
    start = time.time()
    with open(path, "wb") as f:
        f.write(memoryview(data))
    seconds = time.time() - start
    path.unlink()
    return nbytes / seconds


def main():
    tmp = Path(tempfile.mkdtemp(prefix="bench-tomo-", dir=ROOT / ".build"))
    rows = []
    for ranks in (1, 2):
        projection, complex_sample = compute(ranks, 4)
        e2e_complex, bytes_complex = end_to_end(ranks, 4, "complex", tmp / f"complex-{ranks}")
        e2e_simple, bytes_simple = end_to_end(ranks, 4, "simple", tmp / f"simple-{ranks}")
        rows.append((ranks, projection, complex_sample, e2e_simple, e2e_complex, bytes_complex))
        print(rows[-1], flush=True)
    speed = write_speed(tmp, 1 << 30)
    lines = [f"\n## tomo: seconds per sample, N = 256, 300 spheres ({stamp()})\n",
             "Compute: tomo-bench (the job's own code, no files); 4 samples over the ranks, time of the slowest "
             "rank / 4. End to end: beamforge tomo -S 4 writing tomo.h5 to the disk (a complex sample is "
             f"{rows[0][5] / 1e9:.2f} GB); this machine writes {speed / 1e6:.0f} MB/s into the page cache "
             "(1 GiB from numpy), which bounds the end-to-end rate. TomoPhantom: the reference's 285 s per sample "
             "on 2 cores (its projector evaluates every pixel for every sphere; not installable here).\n",
             "| ranks | projection alone s | vs TomoPhantom | complex sample, compute s | simple sample end to end s "
             "| complex sample end to end s | of which writing at page-cache speed s |",
             "|---|---|---|---|---|---|---|"]
    for ranks, projection, complex_sample, e2e_simple, e2e_complex, nbytes in rows:
        lines.append(f"| {ranks} | {projection:.3f} | {TOMOPHANTOM_SECONDS / projection:.0f}x | {complex_sample:.2f} | "
                     f"{e2e_simple:.2f} | {e2e_complex:.2f} | {nbytes / speed:.2f} |")
    text = "\n".join(lines) + "\n"
    print(text)
    record(text)
    subprocess.run(["rm", "-rf", str(tmp)])


if __name__ == "__main__":
    main()
