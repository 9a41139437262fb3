"""beamforge ptycho-qc end to end: a synthetic scan with outlier positions of known kinds (blank, beam dump, shifted
beam, saturated burst; Tests/e2e/ptycho_data.py) is ingested, then scored on 1 and 3 ranks; the features and scores
are checked against a NumPy transcription (Tests/e2e/qc_reference.py) and the outliers must be found."""
import csv
import json

import h5py
import numpy as np
import pytest

from conftest import BEAMFORGE, ROOT, datasets, mpirun
import qc_reference as ref
from ptycho_data import make_scan

OUTLIERS = {5: "blank", 17: "dump", 33: "shift", 48: "burst", 71: "blank", 90: "shift", 104: "burst", 112: "dump"}
POSITIONS = 120


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    s = make_scan(tmp_path_factory.mktemp("qcscan"), positions=POSITIONS, fpp=2, outliers=OUTLIERS)
    out = s["dir"] / "ingest"
    r = mpirun(2, BEAMFORGE, "ptycho-ingest", str(s["scan"]), "--out", str(out), "--no-progress",
               "--dark", str(s["dir"] / "darks.h5"), "--flat", str(s["dir"] / "flats.h5"),
               "--mask", str(s["dir"] / "mask.h5"), "--frames-per-pos", "2", "--roi", "48,48", "--center", "27,36",
               "--energy", "7keV", "--distance", "2.5m", "--pixel-size", "75um", "--pos-units", "um")
    assert r.returncode == 0, r.stderr
    return out / "ptycho.h5"


def qc(h5, out, *args, ranks=1):
    r = mpirun(ranks, BEAMFORGE, "ptycho-qc", str(h5), "--out", str(out), "--no-progress", *args)
    assert r.returncode == 0, r.stderr
    return out


@pytest.fixture(scope="module")
def three(ingested, tmp_path_factory):
    return qc(ingested, tmp_path_factory.mktemp("qc3") / "qc", "--batch-size", "7", ranks=3)


@pytest.fixture(scope="module")
def reference(ingested):
    with h5py.File(ingested) as f:
        data = f["entry_1/data_1/data"][()]
        valid = f["entry_1/ptypy/mask_valid"][()]
        static = f["entry_1/instrument_1/detector_1/mask"][()] != 0
        dist, pix = f["entry_1/instrument_1/detector_1/distance"][()], f["entry_1/instrument_1/detector_1/x_pixel_size"][()]
    feats = ref.features(data, valid, static, dist, pix)
    return feats, *ref.scores(feats)


def test_features_match_the_numpy_transcription(three, reference):
    """Sums in a different order (NumPy's pairwise sums): 1e-9 relative; the PCA error through a different
    eigensolver (Jacobi vs LAPACK) and covariance formula (block sums vs centred): 1e-6 relative."""
    feats, _, _ = reference
    with h5py.File(three / "qc.h5") as f:
        for name in ref.COLUMNS:
            rtol, atol = (1e-6, 1e-9) if name == "pca_error" else (1e-9, 1e-9)
            np.testing.assert_allclose(f["qc"][name][()], feats[name], rtol=rtol, atol=atol, err_msg=name)


def test_scores_and_verdicts_match_the_transcription(three, reference):
    _, score, worst = reference
    rows = list(csv.DictReader((three / "qc.csv").open()))
    np.testing.assert_allclose([float(r["score"]) for r in rows], score, rtol=1e-6, atol=1e-9)
    assert [r["accepted"] == "1" for r in rows] == list(score <= 0.5)
    for r, w in zip(rows, worst):
        if r["accepted"] == "0":
            assert r["reason"].startswith(ref.SCORED[w][0] + " "), r["reason"]


def test_outliers_are_found(three):
    """Recall ≥ 0.9 at the injected positions, ≤ 2 % false rejects among the others."""
    rejected = set(np.load(three / "reject_indices.npy").tolist())
    recall = len(rejected & set(OUTLIERS)) / len(OUTLIERS)
    false = len(rejected - set(OUTLIERS)) / (POSITIONS - len(OUTLIERS))
    assert recall >= 0.9, (sorted(rejected), OUTLIERS)
    assert false <= 0.02, sorted(rejected - set(OUTLIERS))


def test_lists_agree_with_the_table(three):
    rows = list(csv.DictReader((three / "qc.csv").open()))
    accept, reject = np.load(three / "accept_indices.npy"), np.load(three / "reject_indices.npy")
    assert accept.dtype == np.int64 and sorted(accept.tolist() + reject.tolist()) == list(range(POSITIONS))
    assert [int(r["index"]) for r in rows if r["accepted"] == "1"] == accept.tolist()
    params = json.loads((three / "ptypy_indices.json").read_text())
    assert params["accept"] == accept.tolist() and params["reject"] == reject.tolist()
    with h5py.File(params["framefilter"]["file"]) as f:
        np.testing.assert_array_equal(np.flatnonzero(f[params["framefilter"]["key"]][()] > 0), accept)


def test_identical_for_one_two_and_three_ranks(ingested, three, tmp_path):
    for ranks in (1, 2):
        other = qc(ingested, tmp_path / f"r{ranks}", "--batch-size", "16", ranks=ranks)
        assert (other / "qc.csv").read_bytes() == (three / "qc.csv").read_bytes()
        assert datasets(other / "qc.h5", "qc") == datasets(three / "qc.h5", "qc")


@pytest.mark.parametrize("args, count", [(["--reject-topk", "5"], 5), (["--reject-topp", "0.1"], 12)])
def test_topk_and_topp_reject_the_highest_scores(ingested, three, tmp_path, args, count):
    out = qc(ingested, tmp_path / "q", *args)
    rows = list(csv.DictReader((three / "qc.csv").open()))
    order = sorted(range(POSITIONS), key=lambda i: (-float(rows[i]["score"]), i))
    assert sorted(np.load(out / "reject_indices.npy").tolist()) == sorted(order[:count])


def test_a_region_limits_the_rejections(ingested, three, tmp_path):
    with h5py.File(ingested) as f:
        x, y = f["entry/posx_m"][()], f["entry/posy_m"][()]
    out = qc(ingested, tmp_path / "q", "--circ", "-1e-6,0.5e-6,3e-6")  # negative coordinates are values
    inside = np.hypot(x + 1e-6, y - 0.5e-6) <= 3e-6
    base = set(np.load(three / "reject_indices.npy").tolist())
    assert set(np.load(out / "reject_indices.npy").tolist()) == {i for i in base if inside[i]}


def test_the_shipped_config_is_the_default(ingested, three, tmp_path):
    out = qc(ingested, tmp_path / "c", "--config", str(ROOT / "configs" / "ptycho-qc.yml"))
    assert (out / "qc.csv").read_bytes() == (three / "qc.csv").read_bytes()


def test_maps_and_gallery(three):
    """qc_maps.png has the four panels' size; every mapped cell of qc_maps.npz holds the value of a position
    (nearest-position gridding of a spiral scan); the gallery shows the 12 highest scores."""
    from PIL import Image
    with Image.open(three / "qc_maps.png") as png:
        assert png.format == "PNG" and png.size == (1440, 1240)
    rows = list(csv.DictReader((three / "qc.csv").open()))
    maps = np.load(three / "qc_maps.npz")
    for key in ("log_total", "com_x_mrad", "com_y_mrad", "score"):
        values = np.array([float(r[key]) for r in rows], np.float32)
        cells = maps[key][np.isfinite(maps[key])]
        assert cells.size >= POSITIONS and np.isin(cells, values).all(), key
    x0, x1, y0, y1 = maps["extent_m"]
    x, y = np.array([float(r["x_m"]) for r in rows]), np.array([float(r["y_m"]) for r in rows])
    assert x0 < x.min() and x.max() < x1 and y0 < y.min() and y.max() < y1
    worst = sorted(range(POSITIONS), key=lambda i: (-float(rows[i]["score"]), i))[:12]
    assert sorted(p.name for p in (three / "thumbs").iterdir()) == sorted(f"pos_{i:06d}.png" for i in worst)
    html = (three / "index.html").read_text()
    assert all(f"thumbs/pos_{i:06d}.png" in html for i in worst) and "qc_maps.png" in html


def test_raster_scans_are_mapped_on_their_grid(tmp_path):
    s = make_scan(tmp_path, positions=36, fpp=2, spiral=False)
    r = mpirun(2, BEAMFORGE, "ptycho-ingest", str(s["scan"]), "--out", str(tmp_path / "i"), "--no-progress",
               "--frames-per-pos", "2", "--energy", "7keV", "--distance", "2.5m", "--pixel-size", "75um",
               "--pos-units", "um")
    assert r.returncode == 0, r.stderr
    out = qc(tmp_path / "i" / "ptycho.h5", tmp_path / "q", "--thumbs-topk", "0")
    rows = list(csv.DictReader((out / "qc.csv").open()))
    stxm = np.load(out / "qc_maps.npz")["log_total"]
    # Positions are row-major with y slow (ptycho_data.raster): cell (row, column) = position row · 6 + column.
    assert stxm.shape == (6, 6)
    np.testing.assert_array_equal(stxm.ravel(), np.array([float(r["log_total"]) for r in rows], np.float32))
    assert not (out / "thumbs").exists()


def test_a_foreign_cxi_file_without_masks(ingested, three, tmp_path):
    """A CXI file with only patterns, positions and geometry (other paths): no static or per-position mask, so every
    pixel counts and nothing is saturated; the features still match the transcription and the outliers are found."""
    foreign = tmp_path / "foreign.cxi"
    with h5py.File(ingested) as f, h5py.File(foreign, "w") as g:
        g["entry_1/data_1/data"] = f["entry_1/data_1/data"][()]
        g["pos/x"], g["pos/y"] = f["entry/posx_m"][()], f["entry/posy_m"][()]
        for key in ("distance", "x_pixel_size"):
            g[f"entry_1/instrument_1/detector_1/{key}"] = f[f"entry_1/instrument_1/detector_1/{key}"][()]
        data = g["entry_1/data_1/data"][()]
        dist, pix = g["entry_1/instrument_1/detector_1/distance"][()], g["entry_1/instrument_1/detector_1/x_pixel_size"][()]
    out = qc(foreign, tmp_path / "q", "--pos-x-path", "/pos/x", "--pos-y-path", "/pos/y", ranks=2)
    everything = np.ones(data.shape, bool)
    feats = ref.features(data, everything, ~everything[0], dist, pix)
    with h5py.File(out / "qc.h5") as f:
        assert (f["qc/saturated"][()] == 0).all()
        for name in ref.COLUMNS:
            rtol = 1e-6 if name == "pca_error" else 1e-9
            np.testing.assert_allclose(f["qc"][name][()], feats[name], rtol=rtol, atol=1e-9, err_msg=name)
    rejected = set(np.load(out / "reject_indices.npy").tolist())
    assert len(rejected & set(OUTLIERS)) / len(OUTLIERS) >= 0.9
