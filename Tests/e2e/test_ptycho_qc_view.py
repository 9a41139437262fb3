"""ptycho-qc on other CXI layouts and views: positions from a column of a CXI `translation` (N, 3) array
(`PATH[:,K]`), and `--roi`/`--bin` of the patterns before the features (the original kit's evaluate.py options),
checked against the NumPy transcriptions (Tests/e2e/qc_reference.py, ptypy_reference.py)."""
import csv

import h5py
import numpy as np
import pytest

from conftest import BEAMFORGE, datasets, run
import ptypy_reference as pref
import qc_reference as ref
from test_ptycho_qc import OUTLIERS, ingested, qc  # noqa: F401 (ingested is a fixture)

TRANSLATION = "/entry_1/sample_1/geometry_1/translation"


@pytest.fixture(scope="module")
def foreign(ingested, tmp_path_factory):
    """A CXI file with patterns, positions as a (N, 3) translation and as 1-D datasets, and the geometry."""
    path = tmp_path_factory.mktemp("cxi") / "foreign.cxi"
    with h5py.File(ingested) as f, h5py.File(path, "w") as g:
        g["entry_1/data_1/data"] = f["entry_1/data_1/data"][()]
        g[TRANSLATION] = f["entry_1/sample_1/geometry_1/translation"][()]
        g["pos/x"], g["pos/y"] = f["entry/posx_m"][()], f["entry/posy_m"][()]
        for key in ("distance", "x_pixel_size"):
            g[f"entry_1/instrument_1/detector_1/{key}"] = f[f"entry_1/instrument_1/detector_1/{key}"][()]
    return path


def test_positions_from_translation_columns(foreign, tmp_path):
    by_column = qc(foreign, tmp_path / "t", "--pos-x-path", f"{TRANSLATION}[:,0]", "--pos-y-path",
                   f"{TRANSLATION}[:,1]", "--thumbs-topk", "0")
    by_path = qc(foreign, tmp_path / "p", "--pos-x-path", "/pos/x", "--pos-y-path", "/pos/y", "--thumbs-topk", "0")
    assert (by_column / "qc.csv").read_bytes() == (by_path / "qc.csv").read_bytes()
    with h5py.File(foreign) as f:
        t = f[TRANSLATION][()]
    rows = list(csv.DictReader((by_column / "qc.csv").open()))
    np.testing.assert_array_equal([float(r["x_m"]) for r in rows], t[:, 0])
    np.testing.assert_array_equal([float(r["y_m"]) for r in rows], t[:, 1])


@pytest.mark.parametrize("path, fragment", [
    (TRANSLATION, "has shape [120, 3]; select a column: " + TRANSLATION + "[:,0]"),
    (TRANSLATION + "[:,3]", "column 3 of an (N, columns) dataset expected"),
    (TRANSLATION + "[0,:]", "select a column as PATH[:,K]"),
])
def test_bad_columns_are_refused(foreign, tmp_path, path, fragment):
    r = run([BEAMFORGE, "ptycho-qc", str(foreign), "--out", str(tmp_path / "q"), "--no-progress",
             "--pos-x-path", path, "--pos-y-path", "/pos/y"])
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert r.returncode == 2 and len(lines) == 1, r.stderr
    assert lines[0].startswith("beamforge: error: pos_x_path: ") and fragment in lines[0], lines[0]
    assert not (tmp_path / "q" / "qc.h5").exists()


@pytest.fixture(scope="module")
def viewed(ingested, tmp_path_factory):
    return qc(ingested, tmp_path_factory.mktemp("view3") / "qc", "--roi", "40,40", "--bin", "2", "--thumbs-topk", "0",
              ranks=3)


def test_roi_and_bin_features_match_the_transcription(ingested, viewed):
    """The centred 40 × 40 crop of the 48 × 48 patterns (ptypy's centre: pixel (24, 24)), summed over 2 × 2 bins;
    a bin valid when its four pixels are, statically bad when any is; the pixel size doubles for mrad. Tolerances
    as for unbinned features (test_ptycho_qc), the bins' float32 sums being exact in both."""
    with h5py.File(ingested) as f:
        data = f["entry_1/data_1/data"][()]
        valid = f["entry_1/ptypy/mask_valid"][()]
        static = f["entry_1/instrument_1/detector_1/mask"][()] != 0
        dist, pix = f["entry_1/instrument_1/detector_1/distance"][()], f["entry_1/instrument_1/detector_1/x_pixel_size"][()]
    centre = (data.shape[1] // 2, data.shape[2] // 2)
    crop = lambda a, fill=0: pref.crop(a, (40, 40), centre, fill)
    binned = pref.bin_sum(crop(data.astype(np.float64)), 2).astype(np.float32)
    valid_b = pref.bin_valid(crop(valid), 2)
    static_b = pref.bin_valid(crop(~static, fill=False), 2) == 0
    feats = ref.features(binned, valid_b, static_b, dist, 2 * pix)
    with h5py.File(viewed / "qc.h5") as f:
        assert f["qc"].attrs["bin"] == 2 and list(f["qc"].attrs["scored_shape"]) == [20, 20]
        for name in ref.COLUMNS:
            rtol, atol = (1e-6, 1e-9) if name == "pca_error" else (1e-9, 1e-9)
            np.testing.assert_allclose(f["qc"][name][()], feats[name], rtol=rtol, atol=atol, err_msg=name)
    rejected = set(np.load(viewed / "reject_indices.npy").tolist())
    assert len(rejected & set(OUTLIERS)) / len(OUTLIERS) >= 0.9


def test_roi_and_bin_identical_for_one_and_three_ranks(ingested, viewed, tmp_path):
    one = qc(ingested, tmp_path / "q", "--roi", "40,40", "--bin", "2", "--thumbs-topk", "0")
    assert (one / "qc.csv").read_bytes() == (viewed / "qc.csv").read_bytes()
    assert datasets(one / "qc.h5", "qc") == datasets(viewed / "qc.h5", "qc")
