"""beamforge tomo and tomo-qc end to end: real mpirun, tomo.h5 read back with h5py, the TIFF tree with tifffile and PIL."""
import csv
import os
from pathlib import Path

import h5py
import numpy as np
import pytest
import tifffile
from PIL import Image

from conftest import BEAMFORGE, datasets, mpirun, run


def quantise(values, scale):
    """The TIFF rule: round(clip(x / scale, 0, 1) * 65535) in double precision, halves away from zero."""
    return np.floor(np.clip(values.astype(np.float64) / scale, 0, 1) * 65535 + 0.5).astype(np.uint16)


def tomo(out, *args, ranks=1):
    result = mpirun(ranks, BEAMFORGE, "tomo", "--root", str(out), "--no-progress", *args)
    assert result.returncode == 0, result.stderr
    return out / "tomo.h5"


@pytest.fixture(scope="module")
def simple(tmp_path_factory):
    out = tmp_path_factory.mktemp("simple")
    return tomo(out, "--mode", "simple", "-N", "64", "-S", "3", "--start", "7", "--tiff", "--seed", "4")


@pytest.fixture(scope="module")
def complex_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("complex")
    return tomo(out, "-N", "64", "-S", "2", "--tiff", "--seed", "4", ranks=2)


def test_simple_layout_and_values(simple):
    with h5py.File(simple) as f:
        g = f["tomo"]
        n, a, d = 64, int(np.pi * 32), int(np.sqrt(2) * 64)
        assert g["clean"].shape == g["stripe"].shape == g["projection"].shape == (3, n, a, d)
        assert g["clean"].dtype == np.float32 and g["phantom"].shape == (3, 300, 5)
        assert g["clean"].chunks == (1, 1, a, d)  # one sinogram per chunk
        assert (g.attrs["N"], g.attrs["A"], g.attrs["D"]) == (n, a, d)
        assert np.allclose(g.attrs["angles_degrees"], np.linspace(0, 179.9, a, dtype=np.float32))
        clean, stripe, projection = g["clean"][1], g["stripe"][1], g["projection"][1]
        # clean is the projection scaled to [0, 1] over the sample; stripe is clip(|clean + stripes|, 0, 1).
        assert clean.min() == 0 and clean.max() == 1
        assert np.allclose(clean, projection / projection.max(), atol=1e-6)
        assert stripe.min() >= 0 and stripe.max() <= 1
        # Stripes are offsets constant along angles: where a column differs, it differs at every angle
        # (clipping aside), and about int(90 * 1.2 %) = 1 stripe of width 1-7 per sinogram.
        diff = stripe != clean
        columns = diff.any(axis=1)
        assert 1.0 <= columns.sum(axis=1).mean() <= 6.0
        # Stats recorded in the file equal a direct computation over every sample.
        everything = g["clean"][()].astype(np.float64)
        assert np.isclose(f["stats/clean/mean"][0], everything.mean(), rtol=1e-9)
        assert np.isclose(f["stats/clean/std"][0], everything.std(), rtol=1e-7)
        assert f["stats/clean/max"][0] == 1 and f["stats/stripe/items"].shape == (3, 5)
    rows = list(csv.DictReader(open(simple.parent / "meta.csv")))
    assert [r["sample"] for r in rows] == ["7", "8", "9"]
    assert all(int(r["spheres"]) == 300 for r in rows)


def test_tiff_tree_matches_nostripesnet(simple):
    root = simple.parent
    for sample in ("0007", "0008", "0009"):
        for kind in ("clean", "stripe"):
            files = sorted(os.listdir(root / sample / kind))
            assert files == [f"{sample}_{kind}_{k:04d}.tif" for k in range(64)]
    path = root / "0008" / "stripe" / "0008_stripe_0031.tif"
    image = tifffile.imread(path)
    assert image.dtype == np.uint16 and image.shape == (100, 90)
    assert np.array_equal(np.array(Image.open(path)), image)
    with tifffile.TiffFile(path) as t:
        assert len(t.pages) == 1 and t.pages[0].compression == 1
    with h5py.File(simple) as f:
        expected = quantise(f["tomo/stripe"][1, 31], 1.0)
    assert np.array_equal(image, expected)


def test_identical_across_rank_counts(simple, tmp_path):
    again = tomo(tmp_path, "--mode", "simple", "-N", "64", "-S", "3", "--start", "7", "--seed", "4", ranks=3)
    assert datasets(simple, "tomo") == datasets(again, "tomo")
    assert datasets(simple, "stats") == datasets(again, "stats")


def test_complex_identical_across_rank_counts(complex_run, tmp_path):
    again = tomo(tmp_path, "-N", "64", "-S", "2", "--seed", "4", ranks=1)
    assert datasets(complex_run, "tomo") == datasets(again, "tomo")
    assert datasets(complex_run, "stats") == datasets(again, "stats")


def test_complex_shifts_noise_and_defects(complex_run):
    with h5py.File(complex_run) as f:
        g = f["tomo"]
        assert g["shifts"].shape == (2, 5, 64, 100, 90) and g["shifts"].chunks == (1, 1, 1, 100, 90)
        assert list(g["shifts"].attrs["offsets"]) == [-4, -2, 0, 2, 4]
        clean, shifts, projection = g["clean"][0], g["shifts"][0], g["projection"][0]
    # clean is rescaled to [0, max(projection)] (NoStripesNet's rescale(..., b=max)).
    assert clean.min() == 0 and np.isclose(clean.max(), projection.max(), rtol=1e-6)
    # Each shift differs from clean only in the rows its defect maps cover, and those rows move by the step.
    rows = [set(np.nonzero((shifts[k] != clean).any(axis=(1, 2)))[0]) for k in range(5)]
    assert all(rows)
    for k in range(4):
        assert {(r + 2) % 64 for r in rows[k]} == rows[k + 1]
    # Inside a defect row only defect columns change, at every angle (a stripe).
    k, r = 2, sorted(rows[2])[0]
    changed = shifts[k, r] != clean[r]
    assert changed.any(axis=0).sum() < 90 and changed.any(axis=0).sum() >= 1
    # The noise is independent between projections: residual correlation of adjacent angles well below
    # NoStripesNet's 1.0 (the shared part is the flat-field noise of 20 averaged flats, ~1/21 at most).
    residual = clean - projection * (clean.max() / projection.max())
    inside = projection > 0.2 * projection.max()
    both = inside[:, :-1, :] & inside[:, 1:, :]
    c = np.corrcoef(residual[:, :-1, :][both], residual[:, 1:, :][both])[0, 1]
    assert abs(c) < 0.05, c
    # Samples differ (their own streams).
    with h5py.File(complex_run) as f:
        assert not np.array_equal(f["tomo/clean"][1], clean)


def test_complex_tiff_tree(complex_run):
    root = complex_run.parent
    assert sorted(os.listdir(root / "0001")) == ["clean"] + [f"shift{k:02d}" for k in range(5)]
    files = sorted(os.listdir(root / "0001" / "shift03"))
    assert files == [f"0001_shift03_{k:04d}.tif" for k in range(64)]
    image = tifffile.imread(root / "0001" / "shift03" / "0001_shift03_0010.tif")
    with h5py.File(complex_run) as f:
        peak = f["tomo/projection"][1].max()
        expected = quantise(f["tomo/shifts"][1, 3, 10], float(peak))
    assert np.array_equal(image, expected)


def test_tomo_qc_shows_the_rings(complex_run):
    root = complex_run.parent
    with h5py.File(complex_run) as f:
        shifts, clean = f["tomo/shifts"][0, 0], f["tomo/clean"][0]
    row = int(np.nonzero((shifts != clean).any(axis=(1, 2)))[0][0])
    result = run([BEAMFORGE, "tomo-qc", "--out", str(root), "--row", str(row), "--row", "32"])
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(open(root / "tomo_qc.csv")))
    by = {(int(r["row"]), r["variant"]): float(r["rms_from_clean"]) for r in rows}
    assert by[(row, "clean")] == 0 and by[(row, "shift00")] > 0
    image = tifffile.imread(root / "qc" / f"0000_row{row:04d}_shift00.tif")
    assert image.shape == (64, 64) and image.dtype == np.uint16
    bad = run([BEAMFORGE, "tomo-qc", "--out", str(root), "--row", "64"])
    assert bad.returncode == 2 and "--row 64" in bad.stderr


@pytest.mark.parametrize("args, message", [
    (["-N", "2048"], "of memory per rank"),
    (["--objects", "400000"], "objects"),
    (["--shiftstep=-1"], "shiftstep"),
    (["-N", "16", "--shifts", "9", "--shiftstep", "5"], "shiftstep"),
    (["--mode", "medium"], "mode"),
    (["--set", "stripes.max_thickness=11", "--mode", "simple"], "stripes.max_thickness"),
])
def test_bad_input_is_refused_before_work(tmp_path, args, message):
    result = run([BEAMFORGE, "tomo", "--root", str(tmp_path / "out"), "--no-progress", *args])
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and result.stderr.count("error") == 1, result.stderr
    assert not (tmp_path / "out" / "tomo.h5").exists()


def test_unwritable_root_is_refused(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = run([BEAMFORGE, "tomo", "--root", str(blocker), "-N", "16", "--no-progress"])
    assert result.returncode == 2 and str(blocker) in result.stderr


def test_a_one_letter_relative_output_directory(tmp_path):
    """`--root o` from the current directory: Foundation's deletingLastPathComponent traps on one-character names."""
    import subprocess
    from conftest import environment
    r = subprocess.run([BEAMFORGE, "tomo", "--root", "o", "--mode", "simple", "-N", "16", "-S", "1", "--no-progress"],
                       capture_output=True, text=True, timeout=120, env=environment(), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "o" / "tomo.h5").exists()
