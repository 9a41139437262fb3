"""beamforge integrate: the real Pilatus frame against SAXSDog, Fit2D and pyFAI; NXcanSAS read by SasView's loader;
.chi byte layout; HDF5 stacks and TIFF directories; identity across rank counts; bad input."""
import json
import re
from pathlib import Path

import h5py
import numpy as np
import pytest
import tifffile

import saxsdog_reference as saxsdog
from conftest import BEAMFORGE, ROOT, assert_clean_failure, mpirun, run

DATA = ROOT / "Tests" / "Fixtures" / "saxsdog"
FRAME = DATA / "buf1_00000.tif"


def integrate(*args, ranks=1, timeout=300):
    cmd = [BEAMFORGE, "integrate", "--no-progress", *map(str, args)]
    return mpirun(ranks, *cmd, timeout=timeout) if ranks > 1 else run(cmd, timeout=timeout)


def calibration(tmp_path, name="cal.json", **mask_changes):
    """A copy of a shipped calibration with its mask re-pointed (or removed: MaskFile "")."""
    cal = json.loads((DATA / name).read_text())
    cal["Masks"][0]["MaskFile"] = str(DATA / "AAA_integ.msk")
    cal["Masks"][0].update(mask_changes)
    path = tmp_path / f"cal-{len(list(tmp_path.glob('cal-*')))}.json"
    path.write_text(json.dumps(cal, indent=2))
    return path


def read_chi(path):
    return np.loadtxt(path, skiprows=4)


def ratios(q, values, ref_q, ref_values):
    """mine/ref after interpolating mine onto the reference q, over 0.1 < q < 6 nm^-1 and filled bins."""
    ok = ~np.isnan(values)
    keep = (ref_q > 0.1) & (ref_q < 6) & (ref_values > 0)
    return np.interp(ref_q[keep], q[ok], values[ok]) / ref_values[keep]


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    out = tmp_path_factory.mktemp("real")
    cal = calibration(out)
    r = integrate("--calibration", cal, "--chi", "--out", out / "o", FRAME)
    assert r.returncode == 0, r.stderr
    return out / "o"


def test_real_frame_agrees_with_saxsdog_and_fit2d(real):
    """Tolerances from docs/reference/integration.md §1: the stored SAXSDog curve came from an older code (q step 0.11 % off), so
    compare after interpolation: median within 1e-3 and p5-p95 within +-0.6 %; Fit2D differs from SAXSDog itself
    by 0.2 % in the median, so about 1 %."""
    with h5py.File(real / "integrated.h5") as f:
        g = f["integrated/sasdata01"]
        q, intensity, err = g["Q"][()], g["I"][0], g["Idev_saxsdog"][0]
    ref = np.loadtxt(DATA / "saxsdog", skiprows=4)
    r = ratios(q, intensity, ref[:, 0], ref[:, 1])
    assert abs(np.median(r) - 1) < 1e-3
    assert 0.994 < np.percentile(r, 5) and np.percentile(r, 95) < 1.006
    e = ratios(q, err, ref[:, 0], ref[:, 2])
    assert abs(np.median(e) - 1) < 1e-3
    fit2d = np.loadtxt(DATA / "fit2d", skiprows=4)
    f2 = ratios(q, intensity, fit2d[:, 0], fit2d[:, 1])
    assert abs(np.median(f2) - 1) < 1e-2
    assert 0.99 < np.percentile(f2, 5) and np.percentile(f2, 95) < 1.01


def test_chi_file_matches_saxsdog_layout_and_hdf5(real):
    text = (real / "chi" / "buf1_00000.chi").read_text()
    lines = text.split("\n")
    cal = json.loads(lines[0])
    assert cal["Geometry"]["DedectorDistanceMM"] == 1031.657 and list(cal)[0] == "Title"  # order as loaded
    integrals = json.loads(lines[1])
    assert list(integrals) == ["I0", "I1", "I2"] and integrals["I0"] > 0
    assert lines[2] == '["Scattering Vector  q [$nm^{-1}$]", "Intensity (Count/Pixel)", "Error Margin"]'
    assert lines[3] == "   1003"
    assert text.endswith("\n ") and not text.endswith("\n \n")
    number = r"(-?\d\.\d{18}e[+-]\d\d|nan)"
    rows = lines[4:-1]
    assert len(rows) == 1003
    assert all(re.fullmatch(rf" {number} {number} {number}", row) for row in rows)
    data = read_chi(real / "chi" / "buf1_00000.chi")
    with h5py.File(real / "integrated.h5") as f:
        g = f["integrated/sasdata01"]
        assert np.array_equal(data[:, 1], g["I"][0], equal_nan=True)
        assert np.array_equal(data[:, 2], g["Idev_saxsdog"][0], equal_nan=True)
        assert np.array_equal(data[:, 0], g["Q"][()])
    # The integral parameters in the header and in meta.csv agree.
    meta = (real / "meta.csv").read_text().splitlines()
    header, row = meta[0].split(","), meta[1].split(",")
    assert float(row[header.index("sasdata01_I0")]) == integrals["I0"]


def test_saxsdogpol_is_the_saxsdog_curve_with_crlf():
    """The shipped saxsdogpol is not a polarization reference: parsing it (CRLF) gives the saxsdog numbers."""
    a = np.loadtxt(DATA / "saxsdog", skiprows=4)
    raw = (DATA / "saxsdogpol").read_bytes()
    assert b"\r\n" in raw
    b = np.loadtxt(DATA / "saxsdogpol", skiprows=4)
    assert np.array_equal(a, b)


def test_nxcansas_loads_in_sasview(real):
    from sasdata.dataloader.loader import Loader
    loaded = Loader().load(str(real / "integrated.h5"))
    assert len(loaded) == 1
    with h5py.File(real / "integrated.h5") as f:
        g = f["integrated/sasdata01"]
        assert g.attrs["canSAS_class"] == "SASdata" and g.attrs["signal"] == "I"
        assert list(g.attrs["I_axes"]) == [".", "Q"] and list(g.attrs["Q_indices"]) == [1]
        assert g["I"].attrs["uncertainties"] == "Idev" and g["Q"].attrs["units"] == "1/nm"
        assert f["integrated"].attrs["canSAS_class"] == "SASentry"
        q_angstrom = g["Q"][()] / 10
        intensity = g["I"][0]
    data = loaded[0]
    ok = ~np.isnan(intensity)
    # sasdata converts 1/nm to 1/angstrom; it may drop NaN points.
    y = np.asarray(data.y)
    x = np.asarray(data.x)
    assert np.allclose(x[~np.isnan(y)], q_angstrom[ok], rtol=1e-12)
    assert np.array_equal(y[~np.isnan(y)], intensity[ok])


def test_pixel_binning_matches_pyfai(tmp_path):
    """Oversampling 1 against pyFAI's no-split CSR on the vertically flipped image with setFit2D (docs/reference/integration.md
    §4, §17.2), solid-angle correction off, identical bin edges. Pixels lying on a bin edge within rounding may
    fall on either side, which moves a handful of bins by ~1e-4; the rest agree to 1e-5."""
    import fabio
    from pyFAI.integrator.azimuthal import AzimuthalIntegrator
    cal = calibration(tmp_path, Oversampling=1)
    r = integrate("--calibration", cal, "--out", tmp_path / "o", FRAME)
    assert r.returncode == 0, r.stderr
    with h5py.File(tmp_path / "o" / "integrated.h5") as f:
        g = f["integrated/sasdata01"]
        q, mine, sem = g["Q"][()], g["I"][0], g["Idev"][0]
    dq = q[1] - q[0]
    image = np.flipud(fabio.open(str(FRAME)).data.astype(np.float64))
    mask = fabio.open(str(DATA / "AAA_integ.msk")).data.astype(bool) | (image < 0)
    ai = AzimuthalIntegrator()
    ai.setFit2D(directDist=1031.657, centerX=387.772, centerY=808.37, tilt=-0.56, tiltPlanRotation=73.569,
                pixelX=172, pixelY=172)
    ai.wavelength = 1.54e-10 * 1.00001495
    res = ai.integrate1d(image, len(q), unit="q_nm^-1", radial_range=(0, q[0] - dq / 2 + len(q) * dq),
                         method=("no", "csr", "cython"), correctSolidAngle=False, mask=mask, error_model="poisson")
    assert np.allclose(res.radial, q, rtol=0, atol=1e-5)
    ok = ~np.isnan(mine) & (res.count > 0)
    d = np.abs(res.intensity[ok] / mine[ok] - 1)
    assert np.median(d) < 1e-6 and np.mean(d < 1e-5) > 0.85 and d.max() < 2e-3
    s = np.abs(res.sigma[ok] / sem[ok] - 1)
    assert np.median(s) < 1e-6 and s.max() < 5e-3


def test_poni_calibration_matches_pyfai(tmp_path):
    """A PONI file (pyFAI's rotation geometry, evaluated directly) against pyFAI itself on the same image."""
    import fabio
    from pyFAI.integrator.azimuthal import AzimuthalIntegrator
    image = fabio.open(str(FRAME)).data.astype(np.int32)
    mask = fabio.open(str(DATA / "AAA_integ.msk")).data.astype(np.uint8)
    ai = AzimuthalIntegrator()
    ai.setFit2D(directDist=1031.657, centerX=387.772, centerY=808.37, tilt=-10, tiltPlanRotation=73.569,
                pixelX=172, pixelY=172)
    ai.wavelength = 1.54e-10
    ai.detector.max_shape = image.shape
    ai.save(str(tmp_path / "geo.poni"))
    # The PONI describes the image as pyFAI reads it: the SAXSDog frame flipped, and its mask likewise.
    tifffile.imwrite(tmp_path / "frame.tif", np.flipud(image))
    tifffile.imwrite(tmp_path / "mask.tif", mask)
    # Geometry only: the solid angle (on by default for PONI files, as in pyFAI) is off on both sides here;
    # test_integrate_pyfai.py compares the corrections.
    r = integrate("--calibration", tmp_path / "geo.poni", "--mask", tmp_path / "mask.tif", "--out", tmp_path / "o",
                  "--no-solid-angle", tmp_path / "frame.tif")
    assert r.returncode == 0, r.stderr
    with h5py.File(tmp_path / "o" / "integrated.h5") as f:
        g = f["integrated/sasdata01"]
        q, mine = g["Q"][()], g["I"][0]
    dq = q[1] - q[0]
    flipped = np.flipud(image).astype(np.float64)
    res = ai.integrate1d(flipped, len(q), unit="q_nm^-1", radial_range=(0, q[0] - dq / 2 + len(q) * dq),
                         method=("no", "csr", "cython"), correctSolidAngle=False,
                         mask=mask.astype(bool) | (flipped < 0))
    ok = ~np.isnan(mine) & (res.count > 0)
    assert ok.sum() > 800
    d = np.abs(res.intensity[ok] / mine[ok] - 1)
    # Same estimator, pyFAI's own geometry: q per pixel agrees to rounding, so bins agree but for edge pixels.
    assert np.median(d) < 1e-6 and np.mean(d < 1e-5) > 0.85


CUTS = [
    {"Direction": "x", "Plane": "InPlane", "CutPosition": 300, "CutMargin": 2, "IncidentAngle": 0.3, "MaskRef": 0},
    {"Direction": "x", "Plane": "Vertical", "CutPosition": 700, "CutMargin": 1, "IncidentAngle": 0.3, "MaskRef": -1},
    {"Direction": "y", "Plane": "Vertical", "CutPosition": 388, "CutMargin": 3, "IncidentAngle": 0.2, "MaskRef": 0},
    {"Direction": "y", "Plane": "InPlane", "CutPosition": 1, "CutMargin": 4, "IncidentAngle": 0.0, "MaskRef": 0},
]


def real_mask():
    """True where the Fit2D mask leaves the pixel in, rows top-down as the TIFF (fabio reads .msk rows bottom-up)."""
    import fabio
    return np.flipud(~fabio.open(str(DATA / "AAA_integ.msk")).data.astype(bool))


def test_gisaxs_cuts_match_saxsdog_slices(tmp_path):
    """Each cut against the NumPy transcription of SAXSDog's GISAXSSlices: same bins, q grid to rounding (1e-13),
    I and the .chi error column to rounding (both sum the same integers in double). Negative pixels are excluded
    frame by frame (beamforge's dynamic mask), so the reference gets the same mask. MaskRef -1 means no mask."""
    cal = json.loads(calibration(tmp_path).read_text())
    cal["Slices"] = CUTS
    path = tmp_path / "gisaxs.json"
    path.write_text(json.dumps(cal))
    r = integrate("--calibration", path, "--chi", "--out", tmp_path / "o", FRAME, ranks=2)
    assert r.returncode == 0, r.stderr
    image = tifffile.imread(FRAME)
    static = real_mask()
    with h5py.File(tmp_path / "o" / "integrated.h5") as f:
        assert "sasdata01" in f["integrated"]
        for k, cut in enumerate(CUTS):
            g = f[f"integrated/cut{k + 2:02d}"]
            assert g.attrs["signal"] == "I" and list(g.attrs["axes"]) == [".", "q"]
            valid = (static if cut["MaskRef"] == 0 else np.ones_like(static)) & (image >= 0)
            q, intensity, error = saxsdog.gisaxs_cut(cal, cut, image, valid)
            assert np.allclose(g["q"][()], q, rtol=1e-13, atol=1e-13), cut
            assert np.allclose(g["I"][0], intensity, rtol=1e-13, equal_nan=True), cut
            assert np.allclose(g["Idev_saxsdog"][0], error, rtol=1e-13, equal_nan=True), cut
            assert np.isfinite(intensity).sum() > 100
            chi = tmp_path / "o" / "chi" / f"buf1_00000_cS{k + 1}.chi"
            lines = chi.read_text().split("\n")
            assert json.loads(lines[0])["Slices"] == CUTS and lines[2] == "Intensity"
            qname = ("vertical scattering Vector $q_{v} [nm^{-1}]$" if cut["Plane"] == "Vertical"
                     else "horizontal scattering vector  $ q_{h} [nm^{-1}]$")
            assert json.loads(lines[1]) == [qname, "Intensity (Count/Pixel)", "Error Margin"]
            assert lines[3] == f"   {len(q)}"
            data = read_chi(chi)
            assert np.array_equal(data[:, 1], g["I"][0], equal_nan=True)
    # GISAXS mode: the slices only, numbered as before; the first integration's curve and file are not written.
    cal["GISAXSmode"] = True
    path.write_text(json.dumps(cal))
    r = integrate("--calibration", path, "--chi", "--out", tmp_path / "g", FRAME)
    assert r.returncode == 0, r.stderr
    with h5py.File(tmp_path / "g" / "integrated.h5") as f:
        assert sorted(k for k in f["integrated"] if k.startswith(("sasdata", "cut"))) == \
            ["cut02", "cut03", "cut04", "cut05"]
    assert sorted(p.name for p in (tmp_path / "g" / "chi").iterdir()) == \
        [f"buf1_00000_cS{k}.chi" for k in range(1, 5)]


def test_phi_mode_matches_saxsdog_transcription(tmp_path):
    """Phi-mode (oversampling 2, band 0.5-1.5 nm^-1) against the NumPy transcription of docs/reference/integration.md §8: the
    label scale, the grid and every bin's I to rounding (measured: identical; oversampling 3 over 0.2-4 nm^-1
    too)."""
    entry = {"MaskFile": str(DATA / "AAA_integ.msk"), "Oversampling": 2, "PixelPerRadialElement": 1, "Name": "phi",
             "Phi-mode": True, "qStart": 0.5, "qStop": 1.5}
    cal = json.loads(calibration(tmp_path).read_text())
    cal["Masks"].append(entry)
    path = tmp_path / "phi.json"
    path.write_text(json.dumps(cal))
    r = integrate("--calibration", path, "--chi", "--out", tmp_path / "o", FRAME)
    assert r.returncode == 0, r.stderr
    image = tifffile.imread(FRAME)
    phi, intensity = saxsdog.phi_mode(cal, entry, image, real_mask() & (image >= 0))
    with h5py.File(tmp_path / "o" / "integrated.h5") as f:
        g = f["integrated/phi02"]
        assert g["phi"].attrs["units"] == "rad"
        mine_phi, mine = g["phi"][()], g["I"][0]
    assert len(mine_phi) == len(phi) and np.allclose(mine_phi, phi, rtol=0, atol=1e-12)
    filled = np.isfinite(intensity)
    assert filled.sum() > 100 and np.array_equal(filled, np.isfinite(mine))
    assert np.allclose(mine[filled], intensity[filled], rtol=1e-12)
    chi = read_chi(tmp_path / "o" / "chi" / "buf1_00000_cP1.chi")
    assert np.array_equal(chi[:, 1], mine, equal_nan=True)


def noisy_frames(n):
    base = tifffile.imread(FRAME).astype(np.float64)
    rng = np.random.default_rng(5)
    frames = [np.where(base < 0, base, rng.poisson(np.clip(base, 0, None) * (0.5 + 0.1 * k))) for k in range(n)]
    return np.stack(frames).astype(np.int32)


@pytest.fixture(scope="module")
def stacks(tmp_path_factory):
    d = tmp_path_factory.mktemp("stacks")
    frames = noisy_frames(10)
    with h5py.File(d / "id02.h5", "w") as f:
        f.create_dataset("entry_0000/measurement/data", data=frames)
    with h5py.File(d / "i22.nxs", "w") as f:
        f.create_dataset("entry1/detector/data", data=frames.reshape(2, 5, *frames.shape[1:]))
    # Chunked and compressed: read through HDF5, where the contiguous ones above are used in place (mapped).
    with h5py.File(d / "chunked.h5", "w") as f:
        f.create_dataset("entry_0000/measurement/data", data=frames, chunks=(1, *frames.shape[1:]), compression="gzip")
    (d / "tiffs").mkdir()
    for k, frame in enumerate(frames):
        tifffile.imwrite(d / "tiffs" / f"img_{k:03d}.tif", frame)
    return d, calibration(d)


def test_identical_across_rank_counts_and_input_layouts(stacks, tmp_path):
    d, cal = stacks
    runs = {}
    for name, ranks, inputs in [("one", 1, [d / "id02.h5"]), ("three", 3, [d / "id02.h5"]),
                                ("i22", 2, [d / "i22.nxs"]), ("tiff", 2, [d / "tiffs"]),
                                ("chunked", 2, [d / "chunked.h5"])]:
        r = integrate("--calibration", cal, "--chi", "--batch-size", "3", "--out", tmp_path / name, *inputs,
                      ranks=ranks)
        assert r.returncode == 0, r.stderr
        with h5py.File(tmp_path / name / "integrated.h5") as f:
            g = f["integrated/sasdata01"]
            runs[name] = {k: g[k][()] for k in ("I", "Idev", "Idev_saxsdog", "Istd", "Q")}
    for name in ("three", "i22", "tiff", "chunked"):
        for key, value in runs["one"].items():
            assert value.tobytes() == runs[name][key].tobytes(), f"{name}: {key} differs"
    assert runs["one"]["I"].shape == (10, 1003)
    # Whole files are identical between rank counts: meta.csv and every .chi file.
    assert (tmp_path / "one" / "meta.csv").read_bytes() == (tmp_path / "three" / "meta.csv").read_bytes()
    chi_one = sorted((tmp_path / "one" / "chi").iterdir())
    assert [p.name for p in chi_one] == [f"id02_{k:05d}.chi" for k in range(10)]
    for p in chi_one:
        assert p.read_bytes() == (tmp_path / "three" / "chi" / p.name).read_bytes()
    # Frame k has mean intensity scaled by 0.5 + 0.1 k.
    means = np.nanmean(runs["one"]["I"][:, 100:600], axis=1)
    assert np.allclose(means / means[0], (0.5 + 0.1 * np.arange(10)) / 0.5, rtol=0.01)


def test_multiframe_file_loads_as_one_curve_per_frame(stacks, tmp_path):
    """SasView's loader makes one curve per frame of I (frames x Q). Its multi-frame branch then appends the same
    Data1D object once per frame (sasdata 0.11, cansas_reader_HDF5.add_intermediate), so every returned curve
    shows the last frame; the frames it parses are checked here as it hands them over."""
    from sasdata.dataloader.loader import Loader
    from sasdata.dataloader.readers.cansas_reader_HDF5 import Reader
    d, cal = stacks
    r = integrate("--calibration", cal, "--out", tmp_path / "o", d / "id02.h5")
    assert r.returncode == 0, r.stderr
    path = str(tmp_path / "o" / "integrated.h5")
    assert len(Loader().load(path)) == 10
    parsed = []

    class Capturing(Reader):
        def add_intermediate(self):
            if self.parent_class == "SASdata" and self.multi_frame:
                parsed.extend((np.array(y), np.array(dy)) for y, dy in zip(self.data_frames,
                                                                            self.data_uncertainty_frames))
            super().add_intermediate()

    Capturing().read(path)
    with h5py.File(path) as f:
        intensity, sem = f["integrated/sasdata01/I"][()], f["integrated/sasdata01/Idev"][()]
    assert len(parsed) == 10
    for k, (y, dy) in enumerate(parsed):
        assert np.array_equal(y, intensity[k], equal_nan=True) and np.array_equal(dy, sem[k], equal_nan=True)


def test_overflow_pixels_of_unsigned_frames_are_excluded(tmp_path):
    base = noisy_frames(1)[0]
    frame = np.clip(base, 0, None).astype(np.uint16)
    frame[base < 0] = 65535  # Eiger-style marker in gaps
    frame[500, 100:300] = 65535
    tifffile.imwrite(tmp_path / "eiger.tif", frame)
    cal = calibration(tmp_path, MaskFile="")
    r = integrate("--calibration", cal, "--out", tmp_path / "o", tmp_path / "eiger.tif")
    assert r.returncode == 0, r.stderr
    meta = (tmp_path / "o" / "meta.csv").read_text().splitlines()
    row = dict(zip(meta[0].split(","), meta[1].split(",")))
    assert int(row["excluded_pixels"]) == int((frame == 65535).sum())
    with h5py.File(tmp_path / "o" / "integrated.h5") as f:
        assert np.nanmax(f["integrated/sasdata01/I"][0]) < 65535


# Bad input: one clear message naming the field or file, exit 2, nothing presented as complete.

def test_bad_calibrations_are_named(tmp_path):
    cal = json.loads((DATA / "cal.json").read_text())
    cases = [
        (dict(cal, Wavelength=0), "Wavelength: must be positive"),
        ({k: v for k, v in cal.items() if k != "Geometry"}, "Geometry: is required"),
        (dict(cal, Geometry=dict(cal["Geometry"], BeamCenter=[1, "x"])), "Geometry.BeamCenter[1]: must be a number"),
        (dict(cal, Slices=[dict(CUTS[0], Direction="z")]), 'Slices[0].Direction: must be "x" or "y"'),
        (dict(cal, Slices=[CUTS[0], dict(CUTS[1], CutPosition=2000)]),
         "Slices[1].CutPosition: must be a row from 1 to 1043 (got 2000)"),
        (dict(cal, GISAXSmode=True), "GISAXSmode: is true but Slices is empty"),
    ]
    for k, (content, fragment) in enumerate(cases):
        path = tmp_path / f"bad{k}.json"
        path.write_text(json.dumps(content))
        r = integrate("--calibration", path, "--out", tmp_path / f"o{k}", FRAME)
        assert_clean_failure(r, str(path), fragment)
        assert r.returncode == 2
        assert not (tmp_path / f"o{k}" / "integrated.h5").exists()


def test_mask_of_the_wrong_size(tmp_path):
    tifffile.imwrite(tmp_path / "small.tif", np.zeros((100, 100), np.uint8))
    cal = calibration(tmp_path, MaskFile=str(tmp_path / "small.tif"))
    r = integrate("--calibration", cal, "--out", tmp_path / "o", FRAME)
    assert_clean_failure(r, "small.tif", "100 × 100", "1043 × 981")
    assert r.returncode == 2


def test_frames_of_the_wrong_shape(tmp_path):
    cal = calibration(tmp_path)
    with h5py.File(tmp_path / "small.h5", "w") as f:
        f.create_dataset("entry/data/data", data=np.zeros((2, 50, 60), np.int32))
    r = integrate("--calibration", cal, "--out", tmp_path / "o", tmp_path / "small.h5")
    assert_clean_failure(r, "small.h5", "50 × 60", "1043 × 981")
    assert r.returncode == 2
    # A TIFF of the wrong size among good frames: the run fails naming it, nothing is presented as complete.
    (tmp_path / "frames").mkdir()
    tifffile.imwrite(tmp_path / "frames" / "a.tif", tifffile.imread(FRAME))
    tifffile.imwrite(tmp_path / "frames" / "b.tif", np.zeros((50, 60), np.int32))
    r = integrate("--calibration", cal, "--out", tmp_path / "o2", tmp_path / "frames", ranks=2)
    assert r.returncode != 0
    assert "b.tif" in r.stderr and "50 × 60" in r.stderr
    assert not (tmp_path / "o2" / "integrated.h5").exists()


def test_missing_dataset_lists_what_the_file_has(tmp_path):
    cal = calibration(tmp_path)
    with h5py.File(tmp_path / "odd.h5", "w") as f:
        f.create_dataset("scan/images", data=np.zeros((2, 1043, 981), np.int32))
    r = integrate("--calibration", cal, "--out", tmp_path / "o", tmp_path / "odd.h5")
    assert_clean_failure(r, "odd.h5", "--data-path", "/scan/images [2, 1043, 981]")
    r = integrate("--calibration", cal, "--data-path", "/scan/images", "--out", tmp_path / "o", tmp_path / "odd.h5")
    assert r.returncode == 0, r.stderr


def test_beam_centre_off_the_detector_warns_and_runs(tmp_path):
    cal = json.loads((DATA / "cal.json").read_text())
    cal["Geometry"]["BeamCenter"] = [1200.0, -30.0]
    cal["Masks"][0]["MaskFile"] = str(DATA / "AAA_integ.msk")
    path = tmp_path / "off.json"
    path.write_text(json.dumps(cal))
    r = integrate("--calibration", path, "--out", tmp_path / "o", FRAME)
    assert r.returncode == 0, r.stderr
    assert "warning" in r.stderr and "outside the 1043 × 981 detector" in r.stderr


def test_multi_page_tiff_is_read_page_by_page(tmp_path):
    """Every page of a TIFF is a frame, named <stem>_<page:05d> like the frames of stacks (issue 20)."""
    frame = tifffile.imread(FRAME).astype(np.float32)
    tifffile.imwrite(tmp_path / "pages.tif", np.stack([frame, 2 * frame, 3 * frame]), photometric="minisblack")
    r = integrate("--calibration", calibration(tmp_path), "--chi", "--chi-layout", "flat", "--out", tmp_path / "o",
                  tmp_path / "pages.tif", FRAME)
    assert r.returncode == 0, r.stderr
    with h5py.File(tmp_path / "o" / "integrated.h5") as f:
        intensity = f["integrated/sasdata01/I"][()]
    assert intensity.shape[0] == 4
    ok = ~np.isnan(intensity[0])
    np.testing.assert_allclose(intensity[1][ok], 2 * intensity[0][ok], rtol=1e-5)
    np.testing.assert_allclose(intensity[2][ok], 3 * intensity[0][ok], rtol=1e-5)
    np.testing.assert_array_equal(intensity[3], intensity[0])
    names = sorted(p.name for p in (tmp_path / "o" / "chi").glob("*.chi"))
    assert names == ["buf1_00000.chi", "pages_00000.chi", "pages_00001.chi", "pages_00002.chi"]
    rows = [line.split(",") for line in (tmp_path / "o" / "meta.csv").read_text().splitlines()]
    column = rows[0].index("source_frame")
    assert [row[column] for row in rows[1:]] == ["0", "1", "2", "0"]
