"""beamforge ptycho-ingest from numbered TIFFs and an EPICS CSV (Tests/e2e/ptycho_data.py): the same frames as an
areaDetector HDF5 scan, written as single-frame TIFFs with unpadded names in shuffled order and a CSV with shuffled
rows, must give the same file as the HDF5 input; frames are matched to rows by frame_index, not by name order."""
import csv
import os
import shutil
import signal
import subprocess

import h5py
import numpy as np
import pytest

from conftest import BEAMFORGE, datasets, environment, mpirun, wait_for
from ptycho_data import make_scan, write_tiff_series

COMMON = ["--roi", "48,40", "--center", "30,30", "--rotate", "90", "--flip", "v", "--no-progress"]


def response_args(s):
    return ["--dark", str(s["dir"] / "darks.h5"), "--flat", str(s["dir"] / "flats.h5"),
            "--mask", str(s["dir"] / "mask.h5"), "--frames-per-pos", str(s["fpp"])]


@pytest.fixture(scope="module")
def scan(tmp_path_factory):
    s = make_scan(tmp_path_factory.mktemp("scan"), positions=40, fpp=2)
    x_frames, y_frames = np.repeat(s["x_m"], s["fpp"]), np.repeat(s["y_m"], s["fpp"])
    s["pattern"], s["csv"] = write_tiff_series(s["dir"] / "tiffs", s["frames"], x_frames, y_frames)
    return s


def tiff_ingest(out, s, *args, ranks=1):
    r = mpirun(ranks, BEAMFORGE, "ptycho-ingest", "--pattern", str(s["pattern"]), "--csv", str(s["csv"]),
               "--out", str(out), *response_args(s), *COMMON, *args)
    assert r.returncode == 0, r.stderr
    return out / "ptycho.h5"


@pytest.fixture(scope="module")
def from_hdf5(scan, tmp_path_factory):
    out = tmp_path_factory.mktemp("hdf5")
    r = mpirun(2, BEAMFORGE, "ptycho-ingest", str(scan["scan"]), "--out", str(out), *response_args(scan), *COMMON,
               "--energy-path", "/entry/instrument/NDAttributes/Energy[keV]", "--distance", "2.5m",
               "--pixel-size", "75um", "--pos-units", "um", "--exposure", "0.1")
    assert r.returncode == 0, r.stderr
    return out / "ptycho.h5"


@pytest.fixture(scope="module")
def from_tiffs(scan, tmp_path_factory):
    return tiff_ingest(tmp_path_factory.mktemp("tiff3"), scan, "--batch-size", "3", ranks=3)


def test_tiff_and_hdf5_inputs_give_the_same_frames(from_hdf5, from_tiffs):
    """The corrected frames, masks and exposures bit for bit: the same raw counts through the same code."""
    a, b = datasets(from_hdf5, "entry"), datasets(from_tiffs, "entry")
    assert a.keys() == b.keys()
    for name in ("data", "mask", "mask_valid", "dark", "flat", "exposure_s", "energy_eV", "det_dist_m", "pixel_m"):
        assert a[name] == b[name], name
    with h5py.File(from_hdf5) as f, h5py.File(from_tiffs) as g:
        assert g["entry/data"].shape == (40, 48, 40)
        np.testing.assert_array_equal(f["entry_1/instrument_1/detector_1/mask"][()],
                                      g["entry_1/instrument_1/detector_1/mask"][()])
        assert f["ptycho"].attrs["orientation"] == g["ptycho"].attrs["orientation"] == 7
        # Positions: µm × 1e-6 from the HDF5 file, metres printed with repr() in the CSV: equal to 1 ulp.
        for key in ("posx_m", "posy_m", "pos"):
            np.testing.assert_allclose(g["entry"][key][()], f["entry"][key][()], rtol=2.3e-16, atol=0)
        assert g["entry_1/instrument_1/source_1/energy"][()] == f["entry_1/instrument_1/source_1/energy"][()]


def test_frames_follow_the_csv_frame_index(scan, from_tiffs):
    """Names are unpadded (_10 sorts before _2 lexicographically) and the CSV rows are shuffled: position p holds
    frames 2p and 2p + 1 of the scan, at their own stage positions."""
    with h5py.File(from_tiffs) as f:
        np.testing.assert_allclose(f["entry/posx_m"][()], scan["x_m"], rtol=1e-15, atol=1e-21)
        np.testing.assert_allclose(f["entry/posy_m"][()], scan["y_m"], rtol=1e-15, atol=1e-21)
        np.testing.assert_allclose(f["entry/exposure_s"][()], 0.2, rtol=1e-15)
        assert f["entry/energy_eV"][()] == 7000.0 and f["entry/det_dist_m"][()] == 2.5
        assert f["entry/pixel_m"][()] == pytest.approx(75e-6, rel=1e-15)
    rows = list(csv.DictReader((from_tiffs.parent / "meta.csv").open()))
    assert [r["frames"] for r in rows[:3]] == ["0;1", "2;3", "4;5"]


def test_tiff_output_is_identical_for_one_and_three_ranks(scan, from_tiffs, tmp_path):
    single = tiff_ingest(tmp_path, scan, "--batch-size", "7")
    assert (from_tiffs.parent / "meta.csv").read_bytes() == (single.parent / "meta.csv").read_bytes()
    for group in ("ptycho", "entry", "entry_1"):
        assert datasets(from_tiffs, group) == datasets(single, group)


def test_given_quantities_override_the_csv(scan, tmp_path):
    h5 = tiff_ingest(tmp_path, scan, "--energy", "8keV", "--distance", "3m", "--pixel-size", "55um",
                     "--exposure", "0.5")
    with h5py.File(h5) as f:
        assert f["entry/energy_eV"][()] == 8000.0 and f["entry/det_dist_m"][()] == 3.0
        assert f["entry/pixel_m"][()] == pytest.approx(55e-6, rel=1e-15)
        np.testing.assert_allclose(f["entry/exposure_s"][()], 1.0, rtol=1e-15)


def test_a_killed_tiff_run_resumes_to_the_same_file(scan, from_tiffs, tmp_path):
    """SIGKILL part-way (batches of one position, slowed by the jitter schedule's pauses), then --resume on 2 ranks:
    the file equals the uninterrupted 3-rank run's."""
    out = tmp_path / "killed"
    args = [str(BEAMFORGE), "ptycho-ingest", "--pattern", str(scan["pattern"]), "--csv", str(scan["csv"]),
            "--out", str(out), *response_args(scan), *COMMON, "--batch-size", "1", "--schedule", "jitter:3"]
    job = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment(),
                           start_new_session=True)
    spool = lambda: sum(p.stat().st_size for p in out.glob("meta.csv.spool*")) if out.exists() else 0
    assert wait_for(lambda: spool() > 200, timeout=60)
    os.killpg(job.pid, signal.SIGKILL)
    job.communicate(timeout=60)
    assert (out / "ptycho.h5.partial").exists() and not (out / "ptycho.h5").exists()
    r = mpirun(2, *args[:-4], "--resume")
    assert r.returncode == 0, r.stderr
    assert (out / "meta.csv").read_bytes() == (from_tiffs.parent / "meta.csv").read_bytes()
    for group in ("ptycho", "entry", "entry_1"):
        assert datasets(out / "ptycho.h5", group) == datasets(from_tiffs, group)


def test_the_hdf5_sidecar_gives_the_same_file(scan, from_tiffs, tmp_path):
    """The EPICS table as an HDF5 sidecar (one 1-D dataset per column, rows shuffled alike) instead of the CSV."""
    sidecar = dict(scan, csv=scan["csv"].with_suffix(".h5"))
    h5 = tiff_ingest(tmp_path, sidecar, ranks=2)
    for group in ("ptycho", "entry", "entry_1"):
        assert datasets(h5, group) == datasets(from_tiffs, group)


@pytest.mark.parametrize("stored", ["int32", "uint16-gzip"])
def test_frames_read_through_hdf5_equal_the_mapped_uint16_frames(scan, from_hdf5, tmp_path, stored):
    """Uncompressed uint16 stacks are converted from the mapped file in Swift; an int32 or a compressed stack of
    the same counts goes through HDF5's own read and conversion: the same corrected frames and masks, bit for bit."""
    path, key = tmp_path / "scan.h5", "/entry/instrument/detector/data"
    shutil.copy(scan["scan"], path)
    with h5py.File(path, "a") as f:
        frames = f[key][()]
        del f[key], f["/entry/data/data"]
        if stored == "int32":
            f.create_dataset(key, data=frames.astype(np.int32))
        else:
            f.create_dataset(key, data=frames, chunks=(1,) + frames.shape[1:], compression="gzip")
        f["/entry/data/data"] = f[key]
    out = tmp_path / "out"
    r = mpirun(2, BEAMFORGE, "ptycho-ingest", str(path), "--out", str(out), *response_args(scan), *COMMON,
               "--energy-path", "/entry/instrument/NDAttributes/Energy[keV]", "--distance", "2.5m",
               "--pixel-size", "75um", "--pos-units", "um", "--exposure", "0.1", "--sat", "65535")
    assert r.returncode == 0, r.stderr
    a, b = datasets(from_hdf5, "entry"), datasets(out / "ptycho.h5", "entry")
    for name in ("data", "mask", "mask_valid"):
        assert a[name] == b[name], name
