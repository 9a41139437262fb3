"""beamforge ptycho-ingest's binning (--bin, after the window) and its selection of positions by a region of stage
coordinates (--rect, --circ, after grouping), checked against the NumPy transcription of ptypy's corrections
(Tests/e2e/ptypy_reference.py) on the synthetic areaDetector scan, and across 1, 2 and 3 ranks."""
import csv
import json

import h5py
import numpy as np
import pytest

from conftest import datasets
import ptypy_reference as ref
from ptycho_data import make_scan
from test_ptycho import ATOL, RTOL, expected, ingest

WINDOW = ["--rotate", "90", "--flip", "v", "--roi", "48,40", "--center", "30,30", "--exposure", "0.1"]


@pytest.fixture(scope="module")
def scan(tmp_path_factory):
    return make_scan(tmp_path_factory.mktemp("scan"), positions=40, fpp=2)


@pytest.fixture(scope="module")
def binned(scan, tmp_path_factory):
    return ingest(tmp_path_factory.mktemp("bin3"), scan, *WINDOW, "--bin", "2", "--batch-size", "3", ranks=3)


def test_binning_sums_counts_and_masks_any_bad_pixel(scan, binned):
    """The window as before, then 2 × 2 sums; a bin is valid only if its four pixels are; CXI bits OR-ed. Sums of
    four float32 corrected values (added in double, rounded once) against float64: the tolerance of four pixels."""
    data, valid, bits = expected(scan, code=7, roi=(48, 40), centre=(30, 30))
    with h5py.File(binned) as f:
        assert f["entry/data"].shape == (40, 24, 20)
        np.testing.assert_allclose(f["entry/data"][()], ref.bin_sum(data, 2), rtol=RTOL, atol=4 * ATOL)
        np.testing.assert_array_equal(f["entry/mask_valid"][()], ref.bin_valid(valid, 2))
        cxi = f["entry_1/instrument_1/detector_1/mask"][()]
        np.testing.assert_array_equal(cxi, ref.bin_bits(bits, 2))
        np.testing.assert_array_equal(f["entry/mask"][()], (cxi != 0).astype(np.uint8))
        # A hot, a dead and the static gap row all reach the binned mask; more bins are masked than pixels / 4.
        assert {0x1, 0x4, 0x8} <= {int(b) for b in np.unique(cxi)}
        dark, flat, _ = ref.response(scan["darks"], scan["flats"], scan["mask"])
        window = ref.crop(ref.orient(dark, 7), (48, 40), (30, 30))
        np.testing.assert_allclose(f["entry/dark"][()], ref.bin_sum(window, 2), rtol=1e-6)
        gain = ref.crop(ref.orient(flat, 7), (48, 40), (30, 30))
        np.testing.assert_allclose(f["entry/flat"][()], ref.bin_sum(gain, 2) / 4, rtol=1e-6, atol=1e-7)


def test_binning_scales_the_pixel_size_and_centre(binned):
    with h5py.File(binned) as f:
        assert f["entry/pixel_m"][()] == pytest.approx(150e-6, rel=1e-15)
        det = f["entry_1/instrument_1/detector_1"]
        assert det["x_pixel_size"][()] == det["y_pixel_size"][()] == pytest.approx(150e-6, rel=1e-15)
        assert f["entry_1/ptypy/psize_m"][0] == pytest.approx(150e-6, rel=1e-15)
        # Corner of pixel (0, 0): the centre pixel (12, 10) of the 24 × 20 binned frame, in binned pixels.
        np.testing.assert_allclose(det["corner_position"][()], [-10.5 * 150e-6, -12.5 * 150e-6, 2.5], rtol=1e-12)
        assert f["ptycho"].attrs["bin"] == 2
    params = json.loads((binned.parent / "ptypy_params.json").read_text())
    assert params["shape"] == [24, 20] and params["center"] == [12, 10]


def test_binned_output_is_identical_for_one_and_three_ranks(scan, binned, tmp_path):
    single = ingest(tmp_path, scan, *WINDOW, "--bin", "2")
    assert (binned.parent / "meta.csv").read_bytes() == (single.parent / "meta.csv").read_bytes()
    for group in ("ptycho", "entry", "entry_1"):
        assert datasets(binned, group) == datasets(single, group)


def test_a_whole_frame_bins_too(scan, tmp_path):
    h5 = ingest(tmp_path, scan, "--bin", "4")
    data, valid, _ = expected(scan)
    with h5py.File(h5) as f:
        assert f["entry/data"].shape == (40, 16, 16)
        np.testing.assert_allclose(f["entry/data"][()], ref.bin_sum(data, 4), rtol=RTOL, atol=16 * ATOL)
        np.testing.assert_array_equal(f["entry/mask_valid"][()], ref.bin_valid(valid, 4))


CIRCLE = (-1e-6, 0.5e-6, 2.5e-6)


def inside(scan):
    cx, cy, r = CIRCLE
    return np.flatnonzero(np.hypot(scan["x_m"] - cx, scan["y_m"] - cy) <= r)


@pytest.fixture(scope="module")
def selected(scan, tmp_path_factory):
    circ = ",".join(repr(v) for v in CIRCLE)  # negative coordinates are values, not options
    return ingest(tmp_path_factory.mktemp("sel3"), scan, *WINDOW, "--circ", circ, "--batch-size", "2", ranks=3)


def test_selection_writes_only_the_positions_inside(scan, selected):
    keep = inside(scan)
    assert 5 < len(keep) < 35  # the region cuts the spiral
    data, valid, _ = expected(scan, code=7, roi=(48, 40), centre=(30, 30))
    with h5py.File(selected) as f:
        np.testing.assert_allclose(f["entry/data"][()], data[keep], rtol=RTOL, atol=ATOL)
        np.testing.assert_array_equal(f["entry/mask_valid"][()], valid[keep])
        np.testing.assert_allclose(f["entry/posx_m"][()], scan["x_m"][keep], rtol=1e-12, atol=1e-18)
        np.testing.assert_allclose(f["entry/posy_m"][()], scan["y_m"][keep], rtol=1e-12, atol=1e-18)
        assert f["entry_1/sample_1/geometry_1/translation"].shape == (len(keep), 3)
        np.testing.assert_allclose(f["entry/exposure_s"][()], 0.2, rtol=1e-15)
    rows = list(csv.DictReader((selected.parent / "meta.csv").open()))
    assert [int(r["position"]) for r in rows] == list(range(len(keep)))
    assert [int(r["source_position"]) for r in rows] == keep.tolist()
    assert [r["frames"] for r in rows] == [f"{2 * p};{2 * p + 1}" for p in keep]


@pytest.mark.parametrize("ranks", [1, 2])
def test_selection_is_identical_for_one_two_and_three_ranks(scan, selected, tmp_path, ranks):
    circ = ",".join(repr(v) for v in CIRCLE)
    other = ingest(tmp_path, scan, *WINDOW, "--circ", circ, "--batch-size", "5", ranks=ranks)
    assert (selected.parent / "meta.csv").read_bytes() == (other.parent / "meta.csv").read_bytes()
    for group in ("ptycho", "entry", "entry_1"):
        assert datasets(selected, group) == datasets(other, group)


def test_a_rectangle_with_units_selects_the_same_as_metres(scan, tmp_path):
    """--rect in µm and in m select alike; the rectangle includes its edges."""
    x, y = scan["x_m"], scan["y_m"]
    keep = np.flatnonzero((np.abs(x - 0.5e-6) <= 1.5e-6) & (np.abs(y + 0.5e-6) <= 2e-6))
    a = ingest(tmp_path / "um", scan, "--rect", "0.5um,-0.5um,3um,4um")
    b = ingest(tmp_path / "m", scan, "--rect", "5e-07,-5e-07,3e-06,4e-06")
    with h5py.File(a) as f, h5py.File(b) as g:
        np.testing.assert_allclose(f["entry/posx_m"][()], x[keep], rtol=1e-12, atol=1e-18)
        np.testing.assert_array_equal(f["entry/posx_m"][()], g["entry/posx_m"][()])
        np.testing.assert_array_equal(f["entry/data"][()], g["entry/data"][()])
