"""scripts/bench orient [--frames N]: beamforge orient end to end on one core (taskset -c 0) for N synthetic ID02
frames (Tests/e2e/orient_data.py: 96 × 128 pixels, equatorial Maier–Saupe rings, Poisson), 3 q bands, 1° χ bins,
both fits; against scipy `curve_fit` fitting the same profiles (read back from orient.h5) with the same models
in NumPy, one start each (beamforge tries two for ms), on the same core. The Python side is fits only (no
integration, no I/O), so the ratio understates the end-to-end gap. Not measured here: the issue's 2,000
Eiger-500k frames with pyFAI integrate_radial (too large for the 2-core shared machine this was written on)."""
import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import h5py
import numpy as np

from benchlib import BIN, ROOT, record, stamp

sys.path.insert(0, str(ROOT / "Tests" / "e2e"))
import orient_data as od  # noqa: E402

BEAMFORGE = str(BIN / "beamforge")
BANDS = ["--q", "0.026,0.03,0.034", "--dq", "0.004", "--chi-bin", "1"]


def ms_equatorial(chi, amplitude, kappa, chi0, y0, slope):
    from scipy.special import i0e
    def f(c2):
        x = 0.5 * kappa * c2
        return np.exp(x + np.abs(x) - 2 * max(0.5 * kappa, 0)) * i0e(x)
    t = (np.arange(256) + 0.5) * np.pi / 256
    c = np.cos(np.radians(chi - chi0 - 90))
    return y0 + slope * chi + amplitude * f(c * c) / f(np.cos(t) ** 2).mean()


def python_fits(path, limit):
    from scipy.optimize import curve_fit
    with h5py.File(path) as f:
        g = f["/orient"]
        chi, I, S, N = g["chi"][()], g["profile_I"][()], g["profile_sigma"][()], g["profile_count"][()]
    profiles = [(I[k, b], S[k, b], N[k, b]) for k in range(I.shape[0]) for b in range(I.shape[1])][:limit]
    start = time.perf_counter()
    for y, s, n in profiles:
        keep = n > 0
        x, y, s = chi[keep], y[keep], s[keep]
        axis = 0.5 * np.degrees(np.angle(((y - y.min()) * np.exp(2j * np.radians(x))).sum()))
        curve_fit(od.pv_pair, x, y, p0=[(y.max() - y.min()) * 40 / 0.788, axis, 40, 0.5, y.min(), 0], sigma=s,
                  bounds=([-np.inf, -np.inf, 0.01, 0, -np.inf, -np.inf], [np.inf, np.inf, 360, 1, np.inf, np.inf]))
        curve_fit(ms_equatorial, x, y, p0=[y.mean() - y.min(), 5, axis - 90, y.min(), 0], sigma=s,
                  bounds=([-np.inf, -500, -np.inf, -np.inf, -np.inf], [np.inf, 500, np.inf, np.inf, np.inf]))
    return (time.perf_counter() - start) / len(profiles)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--frames", type=int, default=400)
    parser.add_argument("--python-profiles", type=int, default=150)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        kappas = np.linspace(2, 14, args.frames)
        per_file = 50
        files = []
        for k in range(0, args.frames, per_file):
            path = work / f"s_{k:05d}.h5"
            od.write_id02(path, [od.frame(kappa, 30, k + j) for j, kappa in enumerate(kappas[k:k + per_file])],
                          f"rods_{500 + k}mT_{k:05d}")
            files.append(str(path))
        rows = []
        for models in ("ms,pv", "pv", "ms"):
            best = float("inf")
            for repeat in range(2):
                out = work / f"o_{models.replace(',', '_')}_{repeat}"
                t = time.perf_counter()
                subprocess.run(["taskset", "-c", "0", BEAMFORGE, "orient", "--no-progress", *BANDS, "--model", models,
                                "--out", str(out), *files], check=True, capture_output=True)
                best = min(best, time.perf_counter() - t)
            rows.append((models, best))
        reference = work / "o_ms_pv_0" / "orient.h5"
        python = python_fits(reference, args.python_profiles)
        with h5py.File(reference) as f:
            statuses = f["/orient/fit_status"][()]
    profiles = args.frames * 3
    ours = dict(rows)["ms,pv"] / profiles
    text = (f"## orient fits ({stamp()}, `scripts/bench orient --frames {args.frames}`)\n\n"
            f"{args.frames} frames × 3 q bands = {profiles} profiles of 360 χ bins (96 × 128 synthetic ID02 frames), one "
            f"core (taskset -c 0), best of two, end to end (reading, integration, fits, orient.h5, meta.csv):\n\n"
            "| models | wall | per profile |\n|---|---|---|\n"
            + "".join(f"| {m} | {t:.2f} s | {1000 * t / profiles:.2f} ms |\n" for m, t in rows)
            + f"\nscipy `curve_fit` (trf, bounded) of pv + ms on {args.python_profiles} of the same profiles, fits only: "
            f"{1000 * python:.1f} ms per profile; beamforge's end-to-end per profile (ms,pv) is "
            f"{python / ours:.0f}× faster. Fit statuses: {int((statuses == 0).sum())} ok of {statuses.size}.\n\n")
    print(text)
    record(text)


if __name__ == "__main__":
    main()
