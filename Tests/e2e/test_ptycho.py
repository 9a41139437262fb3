"""beamforge ptycho-ingest end to end on synthetic areaDetector scans (Tests/e2e/ptycho_data.py): real mpirun, the
output read back with h5py as PtyPy's Hdf5Loader and CXI readers would, the frames checked against a NumPy
transcription of ptypy's corrections (Tests/e2e/ptypy_reference.py)."""
import csv
import json

import h5py
import numpy as np
import pytest

from conftest import BEAMFORGE, datasets, mpirun
import ptypy_reference as ref
from ptycho_data import SIZE, make_scan

# Swift corrects in float32; the transcription in float64: a few float32 ulps of counts up to ~1e5.
RTOL, ATOL = 2e-6, 2e-3
UNITS = ["--energy-path", "/entry/instrument/NDAttributes/Energy[keV]", "--distance", "2.5m", "--pixel-size", "75um",
         "--pos-units", "um"]


def ingest(out, scan, *args, ranks=1):
    s = scan
    r = mpirun(ranks, BEAMFORGE, "ptycho-ingest", str(s["scan"]), "--out", str(out), "--no-progress",
               "--dark", str(s["dir"] / "darks.h5"), "--flat", str(s["dir"] / "flats.h5"),
               "--mask", str(s["dir"] / "mask.h5"), "--frames-per-pos", str(s["fpp"]), *UNITS, *args)
    assert r.returncode == 0, r.stderr
    return out / "ptycho.h5"


def expected(scan, code=0, roi=None, centre=None, how="sum", sat=65535):
    """The transcription on the raw input: corrections, grouping, orientation, window; and the valid mask."""
    dark, flat, bits = ref.response(scan["darks"], scan["flats"], scan["mask"])
    frames = ref.corrected(scan["frames"], dark, flat)
    saturated = scan["frames"] >= sat
    grouped = ref.group(frames, scan["fpp"], how, saturated)
    sat_used = saturated.reshape((-1, scan["fpp"]) + saturated.shape[1:]).any(axis=1)
    data, bits_o, sat_o = ref.orient(grouped, code), ref.orient(bits, code), ref.orient(sat_used, code)
    if roi is not None:
        data = ref.crop(data, roi, centre)
        bits_o = ref.crop(bits_o, roi, centre, fill=0x200)
        sat_o = ref.crop(sat_o, roi, centre, fill=False)
    valid = ((bits_o == 0)[None] & ~sat_o).astype(np.uint8)
    return data, valid, bits_o


@pytest.fixture(scope="module")
def scan(tmp_path_factory):
    return make_scan(tmp_path_factory.mktemp("scan"), positions=40, fpp=2)


@pytest.fixture(scope="module")
def rotated(scan, tmp_path_factory):
    """Rotated 90° clockwise and mirrored up–down, a 48 × 40 window centred at a given pixel, on 3 ranks."""
    out = tmp_path_factory.mktemp("rotated")
    return ingest(out, scan, "--rotate", "90", "--flip", "v", "--roi", "48,40", "--center", "30,30",
                  "--exposure", "0.1", "--batch-size", "3", ranks=3)


def test_frames_equal_the_ptypy_transcription(scan, rotated):
    # 90° clockwise (code 5) then flipud: transpose + fliplr + flipud = code 7.
    data, valid, bits = expected(scan, code=7, roi=(48, 40), centre=(30, 30))
    with h5py.File(rotated) as f:
        assert f["ptycho"].attrs["orientation"] == 7
        np.testing.assert_allclose(f["entry/data"][()], data, rtol=RTOL, atol=ATOL)
        assert f["entry/data"].dtype == np.float32 and f["entry/data"].shape == (40, 48, 40)
        np.testing.assert_array_equal(f["entry/mask_valid"][()], valid)
        np.testing.assert_array_equal(f["entry_1/instrument_1/detector_1/mask"][()], bits)
        np.testing.assert_array_equal(f["entry/mask"][()], (bits != 0).astype(np.uint8))
        # Hot, dead and the static mask all appear, and some positions saturate.
        assert {0x1, 0x4, 0x8} <= {int(b) for b in np.unique(bits)}
        assert (f["entry/mask_valid"][()].sum(axis=(1, 2)) < (bits == 0).sum()).any()


def test_positions_and_units(scan, rotated):
    with h5py.File(rotated) as f:
        np.testing.assert_allclose(f["entry/posx_m"][()], scan["x_m"], rtol=1e-12, atol=1e-18)
        np.testing.assert_allclose(f["entry/posy_m"][()], scan["y_m"], rtol=1e-12, atol=1e-18)
        np.testing.assert_allclose(f["entry/pos"][()], np.stack([scan["y_m"], scan["x_m"]], axis=1), rtol=1e-12)
        assert f["entry/energy_eV"][()] == pytest.approx(7000.0)
        assert f["entry/det_dist_m"][()] == 2.5 and f["entry/pixel_m"][()] == pytest.approx(75e-6)
        assert f["entry/posx_m"].attrs["units"] == "m"
        np.testing.assert_allclose(f["entry/exposure_s"][()], 0.2, rtol=1e-15)  # two 0.1 s exposures summed


def test_cxi_paths_and_units(scan, rotated):
    """CXI 1.6 as h5py reads it: version, data with axes, (N, 3) translations in m, energy in J, links to one
    dataset where units agree; and the ptypy group with (1,)-shaped scalars."""
    with h5py.File(rotated) as f:
        assert int(f["cxi_version"][0]) == 160
        data = f["entry_1/data_1/data"]
        assert data.attrs["axes"] == "translation:y:x"
        assert data.id == f["entry/data"].id == f["entry_1/instrument_1/detector_1/data"].id
        t = f["entry_1/sample_1/geometry_1/translation"][()]
        assert t.shape == (40, 3)
        np.testing.assert_allclose(t[:, 0], scan["x_m"], rtol=1e-12, atol=1e-18)
        np.testing.assert_array_equal(t[:, 2], 0)
        assert f["entry_1/instrument_1/source_1/energy"][()] == pytest.approx(7000 * 1.602176634e-19, rel=1e-12)
        assert f["entry_1/instrument_1/source_1/energy"].attrs["units"] == "J"
        det = f["entry_1/instrument_1/detector_1"]
        assert det["distance"][()] == 2.5 and det["x_pixel_size"][()] == det["y_pixel_size"][()] == pytest.approx(75e-6)
        assert det["corner_position"].shape == (3,) and det["corner_position"][2] == 2.5
        assert f["entry_1"].attrs["NX_class"] == "NXentry"
        assert det.attrs["NX_class"] == "NXdetector"
        p = f["entry_1/ptypy"]
        for key in ("energy_keV", "distance_m", "psize_m"):
            assert p[key].shape == (1,)  # old loaders index [...][0], new ones call [()].item()
        assert p["energy_keV"][...][0] == pytest.approx(7.0)
        assert p["posx_m"].shape == (40,)


def test_ptypy_parameters_name_the_file(scan, rotated):
    params = json.loads((rotated.parent / "ptypy_params.json").read_text())
    assert params["intensities"] == {"file": str(rotated), "key": "entry_1/data_1/data"}
    assert params["positions"]["slow_key"] == "entry_1/ptypy/posy_m"
    assert params["mask"]["invert"] is False
    assert params["shape"] == [48, 40] and params["center"] == [24, 20]
    with h5py.File(rotated) as f:
        for section in ("intensities", "mask", "recorded_energy", "recorded_distance", "recorded_psize"):
            assert params[section]["key"] in f, section


def test_metadata_csv(scan, rotated):
    rows = list(csv.DictReader((rotated.parent / "meta.csv").open()))
    assert [r["position"] for r in rows] == [str(i) for i in range(40)]
    assert rows[3]["frames"] == "6;7"
    assert float(rows[3]["x_m"]) == pytest.approx(scan["x_m"][3], rel=1e-12)
    with h5py.File(rotated) as f:
        sums = f["entry/data"][()].astype(np.float64).sum(axis=(1, 2))
    np.testing.assert_allclose([float(r["sum"]) for r in rows], sums, rtol=1e-9)
    assert {r["status"] for r in rows} <= {"ok", "saturated"}


def test_output_is_identical_for_one_and_three_ranks(scan, rotated, tmp_path):
    single = ingest(tmp_path, scan, "--rotate", "90", "--flip", "v", "--roi", "48,40", "--center", "30,30",
                    "--exposure", "0.1", "--batch-size", "5")
    assert (rotated.parent / "meta.csv").read_bytes() == (single.parent / "meta.csv").read_bytes()
    for group in ("ptycho", "entry", "entry_1"):
        assert datasets(rotated, group) == datasets(single, group)


@pytest.mark.parametrize("rotate, flip", [(90, "none"), (180, "none"), (270, "none"), (0, "h"), (0, "hv"), (270, "v")])
def test_rotate_and_flip_match_numpy(scan, tmp_path, rotate, flip):
    """Whole frames (no window): --rotate clockwise, then --flip, as np.rot90(·, -k) and np.flip on the frame
    axes only; the reverse rotation brings the frames back."""
    plain = ingest(tmp_path / "plain", scan)
    turned = ingest(tmp_path / "turned", scan, "--rotate", str(rotate), "--flip", flip)
    with h5py.File(plain) as a, h5py.File(turned) as b:
        want = np.rot90(a["entry/data"][()], -rotate // 90, axes=(1, 2))
        if "h" in flip:
            want = want[:, :, ::-1]
        if "v" in flip:
            want = want[:, ::-1, :]
        np.testing.assert_array_equal(b["entry/data"][()], want)
        back = b["entry/data"][()]
        if "v" in flip:
            back = back[:, ::-1, :]
        if "h" in flip:
            back = back[:, :, ::-1]
        np.testing.assert_array_equal(np.rot90(back, rotate // 90, axes=(1, 2)), a["entry/data"][()])


def assert_matches(h5, scan, **kwargs):
    """The file's patterns equal the transcription with `kwargs`; returns the expected CXI bits."""
    data, _, bits = expected(scan, **kwargs)
    with h5py.File(h5) as f:
        np.testing.assert_allclose(f["entry/data"][()], data, rtol=RTOL, atol=ATOL)
    return bits


@pytest.mark.parametrize("args, kwargs", [
    (["--grouping", "mean"], dict(how="mean")),
    (["--grouping", "median"], dict(how="median")),
    (["--grouping", "first"], dict(how="first")),
    (["--grouping", "best"], dict(how="best")),
    (["--roi", "16,16", "--center", "50%,25%"], dict(roi=(16, 16), centre=(31.5, 15.75))),  # percent of n - 1
], ids=["mean", "median", "first", "best", "percent-centre"])
def test_grouping_and_centre_options(scan, tmp_path, args, kwargs):
    assert_matches(ingest(tmp_path, scan, *args), scan, **kwargs)


def test_window_past_the_edge_is_padded_and_masked(scan, tmp_path):
    h5 = ingest(tmp_path, scan, "--roi", "32,32", "--center", "4,60")
    bits = assert_matches(h5, scan, roi=(32, 32), centre=(4, 60))
    with h5py.File(h5) as f:
        cxi = f["entry_1/instrument_1/detector_1/mask"][()]
        assert (cxi[:4] & 0x200).all() and (cxi[:, -4:] & 0x200).all()  # rows above 0, columns past 63
        np.testing.assert_array_equal(cxi, bits)


def test_auto_centre_is_the_centre_of_mass(scan, tmp_path):
    h5 = ingest(tmp_path, scan, "--roi", "32,32", "--center", "auto", ranks=2)
    dark, flat, bits = ref.response(scan["darks"], scan["flats"], scan["mask"])
    mean = ref.corrected(scan["frames"], dark, flat).sum(axis=0)
    w = np.where(bits == 0, np.maximum(mean, 0), 0)
    rows, cols = np.mgrid[:SIZE, :SIZE]
    com = ((w * rows).sum() / w.sum(), (w * cols).sum() / w.sum())
    with h5py.File(h5) as f:
        # The mean of float32-corrected frames: the centre agrees to float32 precision.
        np.testing.assert_allclose(f["ptycho"].attrs["center_input"], com, rtol=1e-6)
    assert_matches(h5, scan, roi=(32, 32), centre=com)


def test_input_is_not_modified(scan, tmp_path):
    before = scan["scan"].read_bytes()
    ingest(tmp_path, scan)
    assert scan["scan"].read_bytes() == before
