"""beamforge orient's fits (issue 22): pseudo-Voigt and Maier–Saupe on the azimuthal profiles, S with σ, statuses.

Oracles. (1) scipy.optimize.curve_fit on the very profile orient.h5 holds (same bins: count > 0; same weights
1/σ²; the same periodic pseudo-Voigt pair written in NumPy; absolute_sigma=False as beamforge): both minimise
the same χ², so parameters agree to 1e-5 relative (the optimisers' tolerances, far below σ) and σ to 1e-3
(differently approximated Jacobians at the solution). (2) Synthetic ID02 series from orient_data.py with a known
κ (equatorial Maier–Saupe projection, director at 30° and −45°, κ < 0 included, pixel-area-averaged, Poisson
noise): κ within 3σ and S within 0.01 of the truth. The ring is weak (amplitude 300 counts): the χ bins (2°) and
the pixels' angular extent (≈ 2° at this q) smear the profile, which lowers κ by ≈ (w²/12 + p²/12)/σψ² (≈ 0.8 %
at κ = 16); with a strong ring the statistical σ falls below that resolution bias (measured: κ 16 → 15.85 at
σ 0.025 with amplitude 1500). (3) Up/down field sweeps give one row per frame × band × model in sequence order.
(4) A fit without enough χ bins is a status with blank values, never a silent NaN."""
import csv

import h5py
import numpy as np
import pytest
from scipy.optimize import curve_fit
from scipy.special import dawsn

from conftest import BEAMFORGE, mpirun, run
import orient_data as od

ARGS = ["--q", "0.03", "--dq", "0.004", "--chi-bin", "2"]
COLUMNS = ["source", "frame", "sample", "field_mT", "time_s", "q", "model", "S", "S_sigma", "kappa", "chi0_deg",
           "fwhm_deg", "eta", "r2", "chi2_red", "status"]


def orient(*args, ranks=1):
    cmd = [BEAMFORGE, "orient", "--no-progress", *map(str, args)]
    return mpirun(ranks, *cmd) if ranks > 1 else run(cmd)


def meta(out):
    with open(out / "meta.csv", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == COLUMNS
        return list(reader)


def s_closed(kappa):
    """S(κ) closed form (reference §1.3); κ < 0 by quadrature of the same integrals."""
    if kappa > 0:
        r = np.sqrt(kappa)
        return 3 / (4 * r * dawsn(r)) - 3 / (4 * kappa) - 0.5
    x = np.linspace(0, 1, 200001)
    w = np.exp(kappa * x * x)
    return np.trapezoid(0.5 * (3 * x * x - 1) * w, x) / np.trapezoid(w, x)


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    """An up/down field sweep: κ(B) = 12 B²/(B² + 300²), κ from 6 up (below ≈ 3 the equatorial projections of κ
    about n and of −κ' about n⊥ differ only in higher harmonics, and noise may pick either: docs/orient.md)."""
    d = tmp_path_factory.mktemp("fits")
    fields = [300, 600, 1200, 600, 300]
    kappas = [12 * b * b / (b * b + 300 ** 2) for b in fields]
    for k, (b, kappa) in enumerate(zip(fields, kappas)):
        od.write_id02(d / f"s_{k:04d}.h5", [od.frame(kappa, 30, 100 + k, amplitude=1500, oversample=8)], f"rods_{b}mT_{k:04d}")
    r = orient(*ARGS, "--out", d / "out", *[d / f"s_{k:04d}.h5" for k in range(len(fields))], ranks=2)
    assert r.returncode == 0, r.stderr
    return d, fields, kappas


def test_field_sweep_rows_per_frame_band_model(sweep):
    d, fields, kappas = sweep
    rows = meta(d / "out")
    assert len(rows) == len(fields) * 1 * 2
    assert [r["model"] for r in rows] == ["ms", "pv"] * len(fields)
    assert [int(r["frame"]) for r in rows] == [k for k in range(len(fields)) for _ in range(2)]
    assert [float(r["field_mT"]) for r in rows[::2]] == [float(b) for b in fields]
    assert all(r["sample"] == "rods" and float(r["q"]) == 0.03 and r["status"] == "ok" for r in rows)
    ms = [r for r in rows if r["model"] == "ms"]
    assert all(r["fwhm_deg"] == "" and r["eta"] == "" and r["kappa"] != "" for r in ms)
    assert all(r["kappa"] == "" and r["fwhm_deg"] != "" for r in rows if r["model"] == "pv")
    s = [float(r["S"]) for r in ms]
    assert s[0] < s[1] < s[2] and s[2] > s[3] > s[4]          # up, then down
    for r, kappa in zip(ms, kappas):
        assert abs(float(r["S"]) - s_closed(kappa)) < 0.01, (r["S"], s_closed(kappa))
        assert float(r["chi0_deg"]) == pytest.approx(30, abs=1)


@pytest.mark.parametrize("kappa,director", [(5, 30), (10, 30), (16, -45), (-6, 30), (-12, -45)])
def test_maier_saupe_recovers_kappa_and_s(tmp_path, kappa, director):
    od.write_id02(tmp_path / "t.h5", [od.frame(kappa, director, 7, amplitude=300, oversample=8)], "t_500mT_0001")
    r = orient(*ARGS, "--model", "ms", "--out", tmp_path / "o", tmp_path / "t.h5")
    assert r.returncode == 0, r.stderr
    with h5py.File(tmp_path / "o" / "orient.h5") as f:
        fit, sigma = f["/orient/fit_ms"][0, 0], f["/orient/fit_ms_sigma"][0, 0]
        s, status = f["/orient/S"][0, 0, 0], f["/orient/fit_status"][0, 0, 0]
    assert status == 0
    assert abs(fit[1] - kappa) < 3 * sigma[1], (fit[1], sigma[1])
    assert abs(s - s_closed(kappa)) < 0.01
    assert abs(((fit[2] - director + 90) % 180) - 90) < 1.5


def test_pseudo_voigt_matches_curve_fit(sweep):
    d, _, _ = sweep
    with h5py.File(d / "out" / "orient.h5") as f:
        g = f["/orient"]
        chi, y, s, n = g["chi"][()], g["profile_I"][2, 0], g["profile_sigma"][2, 0], g["profile_count"][2, 0]
        ours, ours_sigma = g["fit_pv"][2, 0], g["fit_pv_sigma"][2, 0]
        chi2_red = g["chi2_red"][2, 0, 1]
    keep = n > 0
    start = [ours[0] * 1.1, ours[1] + 3, ours[2] * 0.9, 0.5, ours[4] * 0.9, 0]
    p, cov = curve_fit(od.pv_pair, chi[keep], y[keep], p0=start, sigma=s[keep], absolute_sigma=False, method="lm",
                       xtol=1e-13, ftol=1e-13, maxfev=20000)
    p[1] = (p[1] + 90) % 180 - 90
    assert np.allclose(ours, p, rtol=1e-5, atol=1e-9), (ours, p)
    assert np.allclose(ours_sigma, np.sqrt(np.diag(cov)), rtol=1e-3), (ours_sigma, np.sqrt(np.diag(cov)))
    residual = (y[keep] - od.pv_pair(chi[keep], *p)) / s[keep]
    assert chi2_red == pytest.approx((residual ** 2).sum() / (keep.sum() - 6), rel=1e-6)


def test_too_few_bins_is_a_status_not_nan(tmp_path):
    """A mask that leaves a 6° wedge: 3 to 5 χ bins of 2° hold pixels, fewer than either model needs."""
    from fabio.edfimage import EdfImage
    q, chi = od.pixel_q_chi()
    mask = (np.degrees(chi) < 0) | (np.degrees(chi) >= 6)
    EdfImage(mask.astype(np.uint8)).write(str(tmp_path / "mask.edf"))
    od.write_id02(tmp_path / "t.h5", [od.frame(8, 30, 3)], "t_500mT_0001")
    r = orient(*ARGS, "--mask", tmp_path / "mask.edf", "--out", tmp_path / "o", tmp_path / "t.h5")
    assert r.returncode == 0, r.stderr
    rows = meta(tmp_path / "o")
    assert [r["status"] for r in rows] == ["too_few_bins"] * 2
    assert all(r["S"] == "" and r["kappa"] == "" for r in rows)
    with h5py.File(tmp_path / "o" / "orient.h5") as f:
        g = f["/orient"]
        assert list(g["fit_status"][0, 0]) == [1, 1]
        assert g["fit_status"].attrs["flag_meanings"].split()[1] == "too_few_bins"
        assert np.isnan(g["S"][0, 0]).all()


def test_report_draws_s_versus_field_and_fitted_profiles(sweep):
    d, fields, _ = sweep
    r = run([BEAMFORGE, "report", str(d / "out")])
    assert r.returncode == 0, r.stderr
    html = (d / "out" / "report.html").read_text()
    assert "Order parameter" in html and "Fitted profiles" in html and "versus field (mT)" in html
    assert html.count("data:image/png;base64,") == 3 + 3          # S, FWHM, director; three frames' profiles
