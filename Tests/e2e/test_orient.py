"""beamforge orient (issue 22): azimuthal profiles I(χ) in q bands from ID02-like HDF5 series and the same frames as
EDF, geometry from the headers (rectangular detector, off-centre beam, unequal pixel sides).

Oracles. (1) An independent NumPy transcription: every pixel cut into 16 × 16 sub-pixels binned by their centres'
(q, χ); it samples the exact area split, so it agrees to the sampling error of the pixels cut by a band or χ edge
(≈ 1/16 of a pixel's share): counts within 3 %, intensities within 1 %. (2) pyFAI integrate2d ("full", csr):
the band's total pixel count and mean intensity over the ring within 1e-5 (pyFAI's 2-D split spreads a pixel over
χ bins in its own way, its per-bin counts vary by ±30 % around the exact area, so bins are compared with (1)).
(3) Output bit-identical for 1, 2 and 3 ranks."""
import csv

import h5py
import numpy as np
import pytest

from conftest import BEAMFORGE, mpirun, run
import orient_data as od

ARGS = ["--q", "0.03", "--dq", "0.004", "--chi-bin", "2"]


def orient(*args, ranks=1):
    cmd = [BEAMFORGE, "orient", "--no-progress", *map(str, args)]
    return mpirun(ranks, *cmd) if ranks > 1 else run(cmd)


def read(out):
    with h5py.File(out / "orient.h5") as f:
        g = f["/orient"]
        data = {k: g[k][()] for k in ("profile_I", "profile_sigma", "profile_count", "chi", "q_bands", "field_mT",
                                      "time_s", "S", "S_sigma", "r2", "chi2_red", "fit_status", "director_deg")
                if k in g}
        for model in ("ms", "pv"):
            for k in (f"fit_{model}", f"fit_{model}_sigma"):
                if k in g:
                    data[k] = g[k][()]
    with open(out / "frames.csv", newline="") as f:
        data["frames"] = list(csv.DictReader(f))
    with open(out / "meta.csv", newline="") as f:
        data["meta"] = list(csv.DictReader(f))
    return data


@pytest.fixture(scope="module")
def series(tmp_path_factory):
    d = tmp_path_factory.mktemp("orient")
    frames = [od.frame(kappa, 30, seed) for seed, kappa in enumerate([2, 6, 12, 6])]
    od.write_id02(d / "LC_0001.h5", frames[:2], "LC5CB_300mT_0001", end_time="2025-01-02T03:04:05Z")
    od.write_id02(d / "LC_0002.h5", frames[2:], "LC5CB_1.2T_0002", end_time="2025-01-02T03:05:05Z")
    r = orient(*ARGS, "--out", d / "o1", d / "LC_0001.h5", d / "LC_0002.h5")
    assert r.returncode == 0, r.stderr
    return d, frames, read(d / "o1")


def oracle(frame, lower, upper, bin_deg, ov=16):
    rows, cols = np.mgrid[0:od.ROWS * ov, 0:od.COLUMNS * ov]
    d1 = ((rows + 0.5) / ov - od.CENTER_2) * od.PSIZE_2
    d2 = ((cols + 0.5) / ov - od.CENTER_1) * od.PSIZE_1
    q = 4 * np.pi * np.sin(np.arctan2(np.hypot(d1, d2), od.DISTANCE) / 2) / (od.WAVELENGTH * 1e10)
    chi = np.degrees(np.arctan2(d1, d2))
    inside = (q >= lower) & (q < upper)
    n = int(round(360 / bin_deg))
    k = np.floor((chi[inside] + 180) / bin_deg).astype(int) % n
    values = np.repeat(np.repeat(frame.astype(np.float64), ov, 0), ov, 1)[inside]
    count = np.bincount(k, minlength=n) / ov ** 2
    return np.bincount(k, weights=values, minlength=n) / ov ** 2 / count, count


def test_profiles_agree_with_an_oversampled_transcription(series):
    d, frames, out = series
    lower, upper = out["q_bands"][0]
    assert (lower, upper) == pytest.approx((0.028, 0.032), abs=1e-15)
    assert np.allclose(out["chi"], -179 + 2 * np.arange(180))
    for k, frame in enumerate(frames):
        intensity, count = oracle(frame, lower, upper, 2)
        assert np.all(out["profile_count"][k, 0] > 0)
        assert np.max(np.abs(out["profile_count"][k, 0] / count - 1)) < 0.03
        assert np.max(np.abs(out["profile_I"][k, 0] / intensity - 1)) < 0.01


def test_band_totals_agree_with_pyfai(series):
    d, frames, out = series
    ai = od.pyfai_integrator()
    for k, frame in enumerate(frames):
        res = ai.integrate2d(frame.astype(np.float64), npt_rad=20, npt_azim=180, radial_range=(0.02, 0.04),
                             azimuth_range=(-180, 180), unit="q_A^-1", method=("full", "csr", "cython"),
                             correctSolidAngle=False, error_model="poisson")
        band = slice(8, 12)  # radial bins of 0.001 from 0.02: the band 0.028 to 0.032
        signal, norm = res.sum_signal[:, band].sum(), res.sum_normalization[:, band].sum()
        count = out["profile_count"][k, 0]
        assert count.sum() == pytest.approx(norm, rel=1e-5)
        assert np.sum(out["profile_I"][k, 0] * count) / count.sum() == pytest.approx(signal / norm, rel=1e-5)
        # Poisson standard error of each bin: sqrt(sum c^2 max(n, 1)) / sum c, positive and below the mean.
        assert np.all(out["profile_sigma"][k, 0] > 0)


def test_isotropic_ring_has_no_seam_at_180(tmp_path):
    """χ is periodic: the bins either side of ±180° hold pixels split across it like any other bins."""
    frame = od.frame(0, 0, seed=9, amplitude=1e6, background=0)
    od.write_id02(tmp_path / "iso.h5", [frame], "iso_0mT")
    r = orient(*ARGS, "--out", tmp_path / "o", tmp_path / "iso.h5")
    assert r.returncode == 0, r.stderr
    out = read(tmp_path / "o")
    count = out["profile_count"][0, 0]
    assert np.max(np.abs(count / count.mean() - 1)) < 0.02
    assert abs(count[0] / count[90] - 1) < 0.02 and abs(count[-1] / count[90] - 1) < 0.02


def test_field_time_and_moments(series):
    d, frames, out = series
    assert list(out["field_mT"]) == [300.0, 300.0, 1200.0, 1200.0]
    assert list(out["time_s"]) == [1735787045.0] * 2 + [1735787105.0] * 2
    meta = out["frames"]
    assert [r["sample"] for r in meta] == ["LC5CB"] * 4
    assert [r["title"] for r in meta] == ["LC5CB_300mT_0001"] * 2 + ["LC5CB_1.2T_0002"] * 2
    # Equatorial peaks lie perpendicular to the director at 30°: the moment axis is at 30 − 90 = −60°.
    for r in meta:
        assert float(r["q0_chi0_moment_deg"]) == pytest.approx(-60, abs=1.5)
    anisotropy = [float(r["q0_anisotropy"]) for r in meta]
    assert anisotropy[0] < anisotropy[1] < anisotropy[2]


def test_identical_for_one_two_three_ranks_and_from_edf(series):
    d, frames, out = series
    for ranks in (2, 3):
        r = orient(*ARGS, "--out", d / f"o{ranks}", d / "LC_0001.h5", d / "LC_0002.h5", ranks=ranks)
        assert r.returncode == 0, r.stderr
        other = read(d / f"o{ranks}")
        for key in ("profile_I", "profile_sigma", "profile_count", "field_mT", "time_s", "S", "S_sigma", "r2",
                    "chi2_red", "fit_status", "fit_ms", "fit_ms_sigma", "fit_pv", "fit_pv_sigma"):
            assert np.array_equal(out[key], other[key], equal_nan=True), key
        for name in ("meta.csv", "frames.csv"):
            assert (d / f"o{ranks}" / name).read_text() == (d / "o1" / name).read_text()
    titles = ["LC5CB_300mT_0001"] * 2 + ["LC5CB_1.2T_0002"] * 2
    for k, frame in enumerate(frames):
        od.write_edf(d / f"f{k}.edf", frame, titles[k])
    r = orient(*ARGS, "--out", d / "edf", *[d / f"f{k}.edf" for k in range(4)], ranks=2)
    assert r.returncode == 0, r.stderr
    edf = read(d / "edf")
    for key in ("profile_I", "profile_sigma", "profile_count", "field_mT"):
        assert np.array_equal(out[key], edf[key], equal_nan=True), key
