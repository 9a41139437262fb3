"""beamforge integrate, issue 24: the gaps found by using it as SAXSDog's users do. --update of a complete output
whose directory gained frames and --resume refusing a changed input list, input directories read recursively and
by pattern, .chi layouts (flat, mirror, relpath) with colliding names refused up front, and a
calibration with qStart = qStop (SAXSDog's default) accepted with zero integral parameters."""
import csv
import json
import shutil

import numpy as np
import tifffile

from conftest import assert_clean_failure, datasets
from test_integrate import FRAME, calibration, integrate


def meta(out):
    with open(out / "meta.csv", newline="") as f:
        return list(csv.DictReader(f))


def scaled_frames(folder, names):
    """The shipped frame scaled by 1, 2, 3… under `names` (relative paths), so each frame is recognisable."""
    base = tifffile.imread(FRAME)
    for k, name in enumerate(names):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        tifffile.imwrite(folder / name, np.where(base < 0, base, base * (k + 1)).astype(np.int32))


def test_zero_q_range_gives_zero_integrals_with_a_warning(tmp_path):
    """SAXSDog's schema default qStart = qStop = 0 was refused ("must exceed qStart"); SAXSDog gives I0 = I1 = I2
    = 0. The curve itself does not depend on the q range: it equals the one with the shipped range exactly."""
    zero = integrate("--calibration", calibration(tmp_path, qStart=0, qStop=0), "--chi", "--out", tmp_path / "z",
                     FRAME)
    assert zero.returncode == 0, zero.stderr
    assert "warning" in zero.stderr and "qStart = qStop" in zero.stderr
    row = meta(tmp_path / "z")[0]
    assert [float(row[f"sasdata01_{k}"]) for k in ("I0", "I1", "I2")] == [0.0, 0.0, 0.0]
    header = (tmp_path / "z" / "chi" / "buf1_00000.chi").read_text().splitlines()[1]
    assert json.loads(header) == {"I0": 0.0, "I1": 0.0, "I2": 0.0}, header
    shipped = integrate("--calibration", calibration(tmp_path), "--chi", "--out", tmp_path / "s", FRAME)
    assert shipped.returncode == 0, shipped.stderr
    assert float(meta(tmp_path / "s")[0]["sasdata01_I0"]) > 0
    a = np.loadtxt(tmp_path / "z" / "chi" / "buf1_00000.chi", skiprows=4)
    b = np.loadtxt(tmp_path / "s" / "chi" / "buf1_00000.chi", skiprows=4)
    assert np.array_equal(a, b, equal_nan=True)


def test_directories_are_read_recursively_and_by_pattern(tmp_path):
    """Before: frames/sub/c.tif was ignored (one level only). --recursive takes every sub-directory, in the order
    of the paths relative to the directory; --pattern keeps the names matching a shell wildcard."""
    names = ["b.tif", "a.tif", "sub/c.tif", "sub/deeper/a.tif", "z_dark.tif"]
    scaled_frames(tmp_path / "frames", names)
    (tmp_path / "frames" / "notes.txt").write_text("not a frame\n")
    cal = calibration(tmp_path)
    flat = integrate("--calibration", cal, "--out", tmp_path / "flat", tmp_path / "frames")
    assert flat.returncode == 0, flat.stderr
    assert [r["source"].split("frames/")[1] for r in meta(tmp_path / "flat")] == ["a.tif", "b.tif", "z_dark.tif"]
    deep = integrate("--calibration", cal, "--recursive", "--out", tmp_path / "deep", tmp_path / "frames", ranks=2)
    assert deep.returncode == 0, deep.stderr
    expected = sorted(names)
    assert [r["source"].split("frames/")[1] for r in meta(tmp_path / "deep")] == expected
    # Each frame is the scaled shipped frame: its total counts say which one was read for each row.
    totals = {r["source"].split("frames/")[1]: float(r["total_counts"]) for r in meta(tmp_path / "deep")}
    unit = totals["b.tif"]
    for k, name in enumerate(names):
        assert totals[name] == (k + 1) * unit
    picked = integrate("--calibration", cal, "--recursive", "--pattern", "[ab].tif", "--out", tmp_path / "picked",
                       tmp_path / "frames")
    assert picked.returncode == 0, picked.stderr
    assert [r["source"].split("frames/")[1] for r in meta(tmp_path / "picked")] == ["a.tif", "b.tif",
                                                                                    "sub/deeper/a.tif"]


def test_chi_layouts_and_colliding_names(tmp_path):
    """Before: d1/x.tif and d2/x.tif wrote one chi/x.chi for two frames. mirror (the default) keeps the folders
    below the inputs' common folder, relpath:../work writes beside the images as SAXSDog's -R does, flat refuses
    the clash up front naming both files, and no run writes one .chi for two frames."""
    scaled_frames(tmp_path / "scan", ["d1/x.tif", "d2/x.tif", "d2/sub/y.tif"])
    cal = calibration(tmp_path)
    inputs = [tmp_path / "scan" / "d1", tmp_path / "scan" / "d2"]
    mirror = integrate("--calibration", cal, "--chi", "--recursive", "--out", tmp_path / "m", *inputs, ranks=2)
    assert mirror.returncode == 0, mirror.stderr
    written = sorted(str(p.relative_to(tmp_path / "m" / "chi")) for p in (tmp_path / "m" / "chi").rglob("*.chi"))
    assert written == ["d1/x.chi", "d2/sub/y.chi", "d2/x.chi"]
    # Each .chi is its own frame's curve: frame 2 is twice frame 1.
    x1 = np.loadtxt(tmp_path / "m" / "chi" / "d1" / "x.chi", skiprows=4)
    x2 = np.loadtxt(tmp_path / "m" / "chi" / "d2" / "x.chi", skiprows=4)
    ok = ~np.isnan(x1[:, 1])
    np.testing.assert_allclose(x2[ok, 1], 2 * x1[ok, 1], rtol=1e-12)

    beside = integrate("--calibration", cal, "--chi", "--chi-layout", "relpath:../work", "--recursive",
                       "--out", tmp_path / "r", tmp_path / "scan" / "d2")
    assert beside.returncode == 0, beside.stderr
    assert (tmp_path / "scan" / "work" / "x.chi").read_bytes() == (tmp_path / "m" / "chi" / "d2" / "x.chi").read_bytes()
    assert (tmp_path / "scan" / "d2" / "work" / "y.chi").exists()
    assert not (tmp_path / "r" / "chi").exists()

    flat = integrate("--calibration", cal, "--chi", "--chi-layout", "flat", "--out", tmp_path / "f", *inputs)
    assert_clean_failure(flat, "d1/x.tif", "d2/x.tif", "chi/x.chi")
    assert flat.returncode == 2
    assert not (tmp_path / "f" / "integrated.h5").exists()

    # One input folder: mirror is the old layout (chi/<frame>.chi).
    shutil.rmtree(tmp_path / "m")
    one = integrate("--calibration", cal, "--chi", "--out", tmp_path / "one", tmp_path / "scan" / "d1")
    assert one.returncode == 0, one.stderr
    assert [p.name for p in (tmp_path / "one" / "chi").iterdir()] == ["x.chi"]


def test_update_adds_new_frames_and_resume_names_the_change(tmp_path):
    """Before: --resume on a complete output whose directory had gained frames said "already complete; nothing to
    do" and exited 0, skipping them. Now --resume refuses naming the new frames, and --update computes only those
    (the others are copied) into an output identical to a fresh run over all of them, on any number of ranks."""
    frames = tmp_path / "frames"
    scaled_frames(frames, ["a.tif", "c.tif", "e.tif"])
    cal = calibration(tmp_path)
    out, fresh = tmp_path / "o", tmp_path / "fresh"
    first = integrate("--calibration", cal, "--chi", "--out", out, frames)
    assert first.returncode == 0, first.stderr
    # New frames sort between and after the old ones: rows move, as in a fresh run.
    scaled_frames(frames, ["b.tif", "d.tif", "f.tif", "g.tif"])

    resumed = integrate("--calibration", cal, "--chi", "--resume", "--out", out, frames)
    assert_clean_failure(resumed, "integrated.h5", "4 new", "b.tif", "--update")
    assert resumed.returncode == 2

    updated = integrate("--calibration", cal, "--chi", "--update", "--out", out, frames, ranks=2)
    assert updated.returncode == 0, updated.stderr
    assert "3 of 7 items kept, 4 new" in updated.stderr
    again = integrate("--calibration", cal, "--chi", "--update", "--out", out, frames)
    assert again.returncode == 0 and "nothing to update" in again.stderr, again.stderr

    whole = integrate("--calibration", cal, "--chi", "--out", fresh, frames, ranks=3)
    assert whole.returncode == 0, whole.stderr
    assert (out / "meta.csv").read_bytes() == (fresh / "meta.csv").read_bytes()
    assert datasets(out / "integrated.h5", "integrated") == datasets(fresh / "integrated.h5", "integrated")
    for name in "abcdefg":
        assert (out / "chi" / f"{name}.chi").read_bytes() == (fresh / "chi" / f"{name}.chi").read_bytes()
    assert [r["frame"] for r in meta(out)] == [str(k) for k in range(7)]

    # A frame gone: --update only adds, --resume names it; the output stays as it was.
    (frames / "c.tif").unlink()
    before = (out / "integrated.h5").read_bytes()
    for flag in ("--update", "--resume"):
        r = integrate("--calibration", cal, "--chi", flag, "--out", out, frames)
        assert_clean_failure(r, "1 gone", "c.tif")
        assert r.returncode == 2
    assert (out / "integrated.h5").read_bytes() == before
    # Another calibration is another configuration, as for --resume.
    other = integrate("--calibration", calibration(tmp_path, qStop=3), "--update", "--out", fresh, frames)
    assert_clean_failure(other, "different configuration")


def test_pilatus_header_fields_in_meta_csv(tmp_path):
    """meta.csv carries the exposure time, acquisition date and image path of Pilatus TIFF headers, as tifffile
    reads the tags; frames without a header leave the fields empty."""
    import tifffile as tf
    plain = tmp_path / "plain.tif"
    tf.imwrite(plain, tf.imread(FRAME))
    r = integrate("--calibration", calibration(tmp_path), "--chi-layout", "flat", "--out", tmp_path / "o", FRAME,
                  plain)
    assert r.returncode == 0, r.stderr
    shipped, bare = meta(tmp_path / "o")
    with tf.TiffFile(FRAME) as f:
        tags = f.pages[0].tags
        lines = tags["ImageDescription"].value.splitlines()
        date = tags["DateTime"].value
    exposure = next(float(line.split()[2]) for line in lines if line.startswith("# Exposure_time"))
    path = next(line.split(":", 1)[1].strip() for line in lines if line.startswith("# Image_path:"))
    assert float(shipped["exposure_time_s"]) == exposure == 10.0
    assert shipped["image_path"] == path
    assert shipped["acquired"] == date.replace(":", "-", 2).replace(" ", "T") == "2014-01-31T12:26:52"
    assert bare["exposure_time_s"] == bare["image_path"] == ""
