"""`beamforge plot` (SAXSDog's plotchi): the figure's files open, the drawn values equal NumPy's reading of the same
.chi files (old and new SAXSDog, CRLF, Fit2D) and of integrated.h5 frames, and the SVG's curve coordinates map back
onto the data through the axis scales."""
import csv
import re
import shutil

import h5py
import numpy as np
import pytest
from lxml import etree
from PIL import Image

from conftest import BEAMFORGE, SAXSDOG, assert_clean_failure, run, saxsdog_calibration

OLD = SAXSDOG / "saxsdog"          # older SAXSDog: file name, labels, count
CRLF = SAXSDOG / "saxsdogpol"      # the same with CRLF line ends
FIT2D = SAXSDOG / "fit2d"          # Fit2D: title, axis name, empty line, count; 2 columns, CRLF
SVG = "{http://www.w3.org/2000/svg}"
# matplotlib's tab10, the Plot module's series colours, as cairo writes them in SVG.
SERIES = ["rgb(12.156863%,46.666667%,70.588235%)", "rgb(100%,49.803922%,5.490196%)",
          "rgb(17.254902%,62.745098%,17.254902%)", "rgb(83.921569%,15.294118%,15.686275%)"]


def plot(*args):
    return run([BEAMFORGE, "plot", *map(str, args)], timeout=60)


@pytest.fixture(scope="module")
def integrated(tmp_path_factory):
    """integrated.h5 of two frames and their new-layout SAXSDog .chi files (beamforge integrate --chi)."""
    d = tmp_path_factory.mktemp("integrated")
    for name in ("x.tif", "y.tif"):
        shutil.copy(SAXSDOG / "buf1_00000.tif", d / name)
    r = run([BEAMFORGE, "integrate", "--no-progress", "--calibration", str(saxsdog_calibration(d)), "--chi",
             "--out", str(d / "o"), str(d / "x.tif"), str(d / "y.tif")], timeout=120)
    assert r.returncode == 0, r.stderr
    return d / "o"


def loadtxt(path, skip=0, clip=1):
    """plotchi's reading: loadtxt(skiprows=4), then [s:-k] (k = 0: to the end)."""
    a = np.loadtxt(path, skiprows=4)
    return a[skip:len(a) - clip]


def data_rows(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    out = {}
    for r in rows:
        key = (r["panel"], r["curve"])
        out.setdefault(key, []).append([float(r["x"]), float(r["y"]), float(r["error"]) if r["error"] else np.nan])
    return {k: np.array(v) for k, v in out.items()}


def curve_paths(svg, color):
    """The vertices of every stroked path of `color` with more than two vertices (legend samples have two)."""
    tree = etree.parse(str(svg))
    paths = []
    for p in tree.iter(SVG + "path"):
        if f"stroke:{color}" not in (p.get("style") or ""):
            continue
        numbers = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", p.get("d"))]
        points = np.array(numbers).reshape(-1, 2)
        if len(points) > 2:
            paths.append(points)
    return paths


def test_png_has_the_requested_size_and_is_not_blank(tmp_path):
    r = plot(OLD, FIT2D, "-l", "--width", 300, "--height", 200, "-o", tmp_path / "f.png")
    assert r.returncode == 0, r.stderr
    with Image.open(tmp_path / "f.png") as im:
        assert im.size == (600, 400)  # 2 pixels per point
        pixels = np.asarray(im.convert("RGB")).reshape(-1, 3)
    colours = {tuple(p) for p in pixels[::7]}
    assert len(colours) > 20  # axes, text, two curves and their anti-aliasing
    assert (pixels != 255).any(axis=1).mean() > 0.02


@pytest.mark.parametrize("layout", ["old", "crlf", "fit2d", "new"])
def test_values_equal_numpy_for_every_layout(tmp_path, integrated, layout):
    """--data-out holds exactly what NumPy's loadtxt(skiprows=4)[s:-k] reads (shortest round-trip decimals: exact)."""
    path = {"old": OLD, "crlf": CRLF, "fit2d": FIT2D, "new": integrated / "chi" / "x.chi"}[layout]
    r = plot(path, "-s", 3, "-k", 2, "-o", tmp_path / "f.svg", "--data-out", tmp_path / "d.csv")
    assert r.returncode == 0, r.stderr
    want = loadtxt(path, skip=3, clip=2)
    got = data_rows(tmp_path / "d.csv")[("intensity", path.name)]
    assert got.shape[0] == want.shape[0]
    assert np.array_equal(got[:, :2], want[:, :2], equal_nan=True)  # empty bins are NaN in beamforge's .chi
    if want.shape[1] == 3:
        assert np.array_equal(got[:, 2], want[:, 2], equal_nan=True)
    else:
        assert np.isnan(got[:, 2]).all()


def test_clip_zero_keeps_the_end(tmp_path):
    r = plot(FIT2D, "-k", 0, "-o", tmp_path / "f.svg", "--data-out", tmp_path / "d.csv")
    assert r.returncode == 0, r.stderr
    assert len(data_rows(tmp_path / "d.csv")[("intensity", "fit2d")]) == len(np.loadtxt(FIT2D, skiprows=4))


@pytest.mark.parametrize("xscale, yscale", [("linear", "log"), ("log", "log"), ("symlog", "linear")])
def test_svg_curves_map_back_onto_the_data(tmp_path, xscale, yscale):
    """One stroked path per curve whose vertices are drawable data points in order, at page coordinates that are an
    affine function of the scale's transform of the data (log10; matplotlib's symlog): the largest residual is below
    0.01 pt, cairo's coordinates being rounded to 1/256 pt. cairo merges collinear segments (runs of empty bins), so
    a vertex is matched to its data point by x (q rises strictly; the path starts and ends at the first and last
    drawable points)."""
    out = tmp_path / "f.svg"
    r = plot(OLD, FIT2D, CRLF, "-x", xscale, "-y", yscale, "-o", out)
    assert r.returncode == 0, r.stderr
    etree.parse(str(out))  # well-formed
    transforms = {"linear": lambda v: v, "log": np.log10,
                  "symlog": lambda v: np.where(np.abs(v) <= 2, v / 0.9,
                                               np.sign(v) * 2 * (1 / 0.9 + np.log10(np.maximum(np.abs(v), 2) / 2)))}
    for k, path in enumerate([OLD, FIT2D, CRLF]):
        data = loadtxt(path)
        q, i = data[:, 0], data[:, 1]
        drawable = np.isfinite(q) & np.isfinite(i)
        if xscale == "log":
            drawable &= q > 0
        if yscale == "log":
            drawable &= i > 0
        tx, ty = transforms[xscale](q[drawable]), transforms[yscale](i[drawable])
        paths = curve_paths(out, SERIES[k])
        assert len(paths) == 1, f"{path.name}: {len(paths)} curve paths"
        page = paths[0]
        assert 0.5 * len(tx) < len(page) <= len(tx)
        slope = (page[-1, 0] - page[0, 0]) / (tx[-1] - tx[0])
        predicted_x = page[0, 0] + slope * (tx - tx[0])
        matched = np.array([np.argmin(np.abs(predicted_x - x)) for x in page[:, 0]])
        assert np.all(np.diff(matched) > 0) and matched[0] == 0 and matched[-1] == len(tx) - 1
        assert np.abs(predicted_x[matched] - page[:, 0]).max() < 0.01
        fit = np.polyfit(ty[matched], page[:, 1], 1)
        assert np.abs(np.polyval(fit, ty[matched]) - page[:, 1]).max() < 0.01
    # Curves with errors get a filled band each (the old SAXSDog files), Fit2D's two columns none.
    tree = etree.parse(str(out))
    fills = [p.get("style") for p in tree.iter(SVG + "path") if "fill-opacity:0.25" in (p.get("style") or "")]
    assert sum(SERIES[0] in s for s in fills) >= 1 and sum(SERIES[2] in s for s in fills) >= 1
    assert not any(SERIES[1] in s for s in fills)


def test_compare_relative_error_against_numpy(tmp_path):
    """-c: every later curve interpolated linearly onto the first's q (np.interp, NaN outside its range) and
    100·(I − I_ref)/I_ref. Tolerance: 1e-9 relative or 1e-9 % absolute, since NumPy multiplies by the slope where
    beamforge divides last (a few ulps)."""
    out = tmp_path / "c.svg"
    r = plot(OLD, FIT2D, "-c", "-s", 2, "-o", out, "--data-out", tmp_path / "d.csv")
    assert r.returncode == 0, r.stderr
    ref, other = loadtxt(OLD, skip=2), loadtxt(FIT2D, skip=2)
    interpolated = np.interp(ref[:, 0], other[:, 0], other[:, 1], left=np.nan, right=np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        want = np.where(ref[:, 1] == 0, np.nan, 100 * (interpolated - ref[:, 1]) / ref[:, 1])
    got = data_rows(tmp_path / "d.csv")[("relative_error_percent", "fit2d")]
    assert np.array_equal(got[:, 0], ref[:, 0])
    assert np.array_equal(np.isnan(got[:, 1]), np.isnan(want))
    assert np.allclose(got[:, 1], want, rtol=1e-9, atol=1e-9, equal_nan=True)
    assert np.nanmax(np.abs(want)) > 1  # the two integrations differ: a test that can fail
    # Two panels: the second holds the relative curve (finite, placeable points only).
    paths = curve_paths(out, SERIES[1])
    assert len(paths) == 2
    assert 0.5 * np.isfinite(want).sum() < len(paths[1]) <= np.isfinite(want).sum()


def test_frames_of_integrated_h5(tmp_path, integrated):
    h5 = integrated / "integrated.h5"
    r = plot(f"{h5}:1", h5, "--frames", "0", "-k", 0, "-o", tmp_path / "f.png", "--data-out", tmp_path / "d.csv")
    assert r.returncode == 0, r.stderr
    rows = data_rows(tmp_path / "d.csv")
    with h5py.File(h5) as f:
        g = f["integrated/sasdata01"]
        for frame in (0, 1):
            got = rows[("intensity", f"integrated.h5:{frame}")]
            assert np.array_equal(got[:, 0], g["Q"][()])
            assert np.array_equal(got[:, 1], g["I"][frame], equal_nan=True)
            assert np.array_equal(got[:, 2], g["Idev"][frame], equal_nan=True)
    # The .chi written beside it holds the same curve.
    chi = np.loadtxt(integrated / "chi" / "y.chi", skiprows=4)
    assert np.allclose(rows[("intensity", "integrated.h5:1")][:, 1], chi[:, 1], rtol=1e-15, equal_nan=True)


def test_bad_input(tmp_path, integrated):
    bad = tmp_path / "bad.chi"
    bad.write_text("a\nb\nc\nd\n1 2 3\n4 x 6\n")
    cases = [
        ([tmp_path / "missing.chi"], "missing.chi"),
        ([bad], "bad.chi: line 6: 'x' is not a number"),
        ([f"{integrated / 'integrated.h5'}:7"], "frame 7 is out of range (the file has 2 frames"),
        ([integrated / "integrated.h5", "--frames", "0,x"], "--frames"),
        ([OLD, "-c"], "--compare"),
        ([OLD, "-o", tmp_path / "f.pdf"], "--out"),
        ([OLD, "-x", "sqrt"], "--xscale"),
        ([OLD, "-s", 5000], "no points left"),
    ]
    for args, fragment in cases:
        r = plot(*args)
        assert r.returncode == 2, (args, r.stderr)
        assert_clean_failure(r, fragment)
    assert not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob("*.tmp"))
