"""beamforge orient's pictures (issue 22): DIR/pictures/{S,fwhm,chi0}.png versus field per band and model (rising and
falling sweeps as separate curves), profile_<frame>.png for the chosen frames (--plot-frames, else four spread over
the run), and figures.csv, every drawn value. Oracles: the PNGs are read back with Pillow (valid, the size the
figures ask for at 2 pixels per point); the drawn values equal orient.h5's (S, S_sigma per band × model; the
profile and its σ; the fitted curves evaluated by an independent NumPy transcription of the pseudo-Voigt pair)."""
import csv

import h5py
import numpy as np
import pytest
from PIL import Image

from conftest import BEAMFORGE, run
import orient_data as od

ARGS = ["--q", "0.03,0.04", "--dq", "0.004", "--chi-bin", "2"]
FIELDS = [300, 600, 1200, 600, 300]


def orient(*args):
    return run([BEAMFORGE, "orient", "--no-progress", *map(str, args)])


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    d = tmp_path_factory.mktemp("pictures")
    for k, b in enumerate(FIELDS):
        kappa = 12 * b * b / (b * b + 300 ** 2)
        od.write_id02(d / f"s_{k:04d}.h5", [od.frame(kappa, 30, 100 + k, amplitude=1500)], f"rods_{b}mT_{k:04d}")
    inputs = [d / f"s_{k:04d}.h5" for k in range(len(FIELDS))]
    r = orient(*ARGS, "--plot-frames", "1,4", "--out", d / "out", *inputs)
    assert r.returncode == 0, r.stderr
    r = orient(*ARGS, "--out", d / "default", *inputs)
    assert r.returncode == 0, r.stderr
    with open(d / "out" / "pictures" / "figures.csv", newline="") as f:
        drawn = list(csv.DictReader(f))
    return d, drawn


def png_size(path):
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with Image.open(path) as image:
        image.load()                                     # decodes every row: a truncated file fails here
        return image.size


def test_pictures_are_valid_pngs_of_the_figures_size(sweep):
    d, _ = sweep
    pictures = d / "out" / "pictures"
    assert sorted(p.name for p in pictures.iterdir()) == ["S.png", "chi0.png", "figures.csv", "fwhm.png",
                                                          "profile_1.png", "profile_4.png"]
    for name in ("S.png", "fwhm.png", "chi0.png"):
        assert png_size(pictures / name) == (920, 640)
    for name in ("profile_1.png", "profile_4.png"):
        assert png_size(pictures / name) == (920, 1200)      # one 300-point panel per band
    assert not (d / "out" / "pictures.partial").exists()
    default = sorted(p.name for p in (d / "default" / "pictures").glob("profile_*.png"))
    assert default == ["profile_0.png", "profile_1.png", "profile_2.png", "profile_4.png"]


def test_s_versus_field_draws_the_h5_values_with_sweeps_apart(sweep):
    d, drawn = sweep
    with h5py.File(d / "out" / "orient.h5") as f:
        s, sigma = f["/orient/S"][()], f["/orient/S_sigma"][()]
        models = f["/orient/S"].attrs["models"].split(",") if "models" in f["/orient/S"].attrs else ["ms", "pv"]
    points = [p for p in drawn if p["figure"] == "S"]
    assert len(points) == len(FIELDS) * 2 * 2                  # frames × bands × models
    curves = {p["curve"] for p in points}
    assert curves == {f"{m}, q = {q}, {w}" for m in ("ms", "pv") for q in ("0.03", "0.04") for w in ("up", "down")}
    for p in points:
        model, band, direction = p["curve"].split(", ")
        b = ["q = 0.03", "q = 0.04"].index(band)
        m = models.index(model)
        frames = [k for k, field in enumerate(FIELDS) if field == float(p["x"])]
        # frame 0..2 rise to 1200 mT, 3..4 fall
        frame = [k for k in frames if (k <= 2) == (direction == "up")][0]
        assert float(p["y"]) == s[frame, b, m]
        assert float(p["error"]) == sigma[frame, b, m]


def test_profile_figure_draws_the_profile_and_the_fitted_curves(sweep):
    d, drawn = sweep
    with h5py.File(d / "out" / "orient.h5") as f:
        chi = f["/orient/chi"][()]
        i, sigma = f["/orient/profile_I"][4, 1], f["/orient/profile_sigma"][4, 1]
        pv = f["/orient/fit_pv"][4, 1]
    data = [p for p in drawn if p["figure"] == "profile_4_q1" and p["curve"] == "data"]
    assert np.array_equal([float(p["x"]) for p in data], chi)
    assert np.array_equal([float(p["y"]) for p in data], i)
    assert np.array_equal([float(p["error"]) for p in data], sigma)
    curve = np.array([float(p["y"]) for p in drawn if p["figure"] == "profile_4_q1" and p["curve"] == "pv"])
    assert np.allclose(curve, od.pv_pair(chi, *pv), rtol=1e-12, atol=0)
    assert {p["curve"] for p in drawn if p["figure"] == "profile_1_q0"} == {"data", "ms", "pv"}
