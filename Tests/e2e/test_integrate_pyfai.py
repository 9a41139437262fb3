"""beamforge integrate with a PONI calibration against pyFAI's integrate1d (issue 25 item 5): solid angle,
polarization factor, dark and flat applied as pyFAI applies them, (I - dark) / (flat x solid angle x polarization)
summed over a bin's pixels (pyFAI's `integrate1d_ng`: sum(c signal) / sum(c norm)); Poisson sigma."""
import json

import h5py
import numpy as np
import pytest
import tifffile

from test_convert import fit2d_integrator
from test_integrate import DATA, FRAME, integrate

POLARIZATION = 0.99


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    """The Pilatus frame flipped as pyFAI reads it, its mask, a PONI from the SAXSDog geometry at -10 deg tilt
    (calgeo.json), a dark stored as a two-page stack (beamforge averages the pages) and a flat of 0.8-1.2."""
    import fabio
    d = tmp_path_factory.mktemp("pyfai")
    image = np.flipud(fabio.open(str(FRAME)).data.astype(np.int32))
    mask = fabio.open(str(DATA / "AAA_integ.msk")).data.astype(np.uint8)
    ai = fit2d_integrator(json.loads((DATA / "calgeo.json").read_text()))  # cal.json's geometry at -10 deg tilt
    ai.wavelength = 1.54e-10
    ai.detector.max_shape = image.shape
    ai.save(str(d / "geo.poni"))
    rng = np.random.default_rng(25)
    darks = rng.uniform(0, 4, (2,) + image.shape).astype(np.float32)
    dark = ((darks[0].astype(np.float64) + darks[1]) / 2).astype(np.float32)
    flat = rng.uniform(0.8, 1.2, image.shape).astype(np.float32)
    tifffile.imwrite(d / "frame.tif", image)
    tifffile.imwrite(d / "mask.tif", mask)
    tifffile.imwrite(d / "dark.tif", darks)  # two pages
    tifffile.imwrite(d / "flat.tif", flat)
    return dict(d=d, ai=ai, image=image.astype(np.float64), mask=mask.astype(bool) | (image < 0), dark=dark,
                flat=flat)


def run_beamforge(s, out, *args, ranks=2):
    d = s["d"]
    r = integrate("--calibration", d / "geo.poni", "--mask", d / "mask.tif", "--out", d / out, *args,
                  d / "frame.tif", ranks=ranks)
    assert r.returncode == 0, r.stderr
    with h5py.File(d / out / "integrated.h5") as f:
        g = f["integrated/sasdata01"]
        return g["Q"][()], g["I"][0], g["Idev"][0]


def pyfai(s, q, method, **corrections):
    """pyFAI on beamforge's bins: npt = len(q) over [0, upper edge of the last bin] (bins start at q = 0)."""
    dq = q[1] - q[0]
    return s["ai"].integrate1d(s["image"], len(q), unit="q_nm^-1", radial_range=(0, q[0] - dq / 2 + len(q) * dq),
                               method=method, mask=s["mask"], error_model="poisson", **corrections)


@pytest.mark.parametrize("split, method, tolerance", [
    # Oversampling 1 puts each pixel whole into the bin of its centre: pyFAI's no-split CSR. Same estimator, same
    # geometry: agreement to float32 rounding of the corrections, except pixels on a bin edge.
    ("oversampling", ("no", "csr", "cython"), 1e-6),
    # Exact area splitting in (q, chi) against pyFAI's full pixel splitting ("full" CSR): the two split the
    # pixel's quadrilateral alike up to the curvature of its edges: measured 3e-7 in the median (issue 25 asks 1e-4).
    ("full", ("full", "csr", "cython"), 1e-5),
])
def test_corrections_match_pyfai_integrate1d(setup, split, method, tolerance):
    s = setup
    q, mine, sem = run_beamforge(s, f"o-{split}", "--split", split, "--polarization", str(POLARIZATION),
                                    "--dark", s["d"] / "dark.tif", "--flat", s["d"] / "flat.tif")
    res = pyfai(s, q, method, correctSolidAngle=True, polarization_factor=POLARIZATION, dark=s["dark"],
                flat=s["flat"])
    dq = q[1] - q[0]
    assert np.allclose(res.radial, q, rtol=0, atol=1e-6 * dq * len(q))
    ok = ~np.isnan(mine) & (res.count > 0) & (res.intensity != 0)
    assert ok.sum() > 800
    ratio = res.intensity[ok] / mine[ok]
    print(f"{split}: I median |ratio - 1| {np.median(np.abs(ratio - 1)):.2e}, p95 "
          f"{np.percentile(np.abs(ratio - 1), 95):.2e}")
    assert abs(np.median(ratio) - 1) < tolerance and np.median(np.abs(ratio - 1)) < tolerance
    sigma = res.sigma[ok] / sem[ok]
    print(f"{split}: sigma median |ratio - 1| {np.median(np.abs(sigma - 1)):.2e}")
    assert np.median(np.abs(sigma - 1)) < 10 * tolerance
    with h5py.File(s["d"] / f"o-{split}" / "integrated.h5") as f:
        p = f["integrated/sasprocess"]
        assert p["polarization_factor"][()] == POLARIZATION and p["solid_angle_correction"][()] == b"on"
        assert p["dark"][()].decode().endswith("dark.tif") and p["flat"][()].decode().endswith("flat.tif")


def test_corrections_change_the_curve_and_are_recorded(setup):
    """The corrections are not a no-op: without them (--no-solid-angle, none given) the curve is pyFAI's
    uncorrected one and differs from the corrected one by the solid angle and the flat; the defaults are recorded."""
    s = setup
    q, plain, _ = run_beamforge(s, "o-plain", "--no-solid-angle", ranks=1)
    res = pyfai(s, q, ("no", "csr", "cython"), correctSolidAngle=False)
    ok = ~np.isnan(plain) & (res.count > 0)
    assert np.median(np.abs(res.intensity[ok] / plain[ok] - 1)) < 1e-6
    q2, solid, _ = run_beamforge(s, "o-solid", ranks=1)  # PONI default: solid angle on
    res = pyfai(s, q2, ("no", "csr", "cython"), correctSolidAngle=True)
    ok = ~np.isnan(solid) & (res.count > 0)
    assert np.median(np.abs(res.intensity[ok] / solid[ok] - 1)) < 1e-6
    # cos^3 of the incidence angle reaches about 0.96 at the far corner at 1 m: the outer bins rise by percents.
    outer = ok & (q2 > 0.8 * np.nanmax(q2))
    assert np.all(solid[outer] > plain[outer] * 1.01)
    with h5py.File(s["d"] / "o-solid" / "integrated.h5") as f:
        p = f["integrated/sasprocess"]
        assert p["solid_angle_correction"][()] == b"on"
        assert b"solid angle on (default), polarization factor none" in p["description"][()]


def test_saxsdog_calibration_keeps_no_solid_angle(tmp_path):
    """A SAXSDog calibration keeps SAXSDog's behaviour: solid angle off, recorded as such."""
    cal = json.loads((DATA / "cal.json").read_text())
    cal["Masks"][0]["MaskFile"] = str(DATA / "AAA_integ.msk")
    (tmp_path / "cal.json").write_text(json.dumps(cal))
    r = integrate("--calibration", tmp_path / "cal.json", "--out", tmp_path / "o", FRAME)
    assert r.returncode == 0, r.stderr
    with h5py.File(tmp_path / "o" / "integrated.h5") as f:
        assert f["integrated/sasprocess/solid_angle_correction"][()] == b"off"


@pytest.mark.parametrize("split, method, rtol", [
    ("oversampling", ("no", "csr", "cython"), 1e-9),
    # pyFAI keeps pixel corners in float32: its range ends differ from the exact corners by float32 rounding.
    ("full", ("full", "csr", "cython"), 1e-7),
])
def test_npt_bins_match_pyfai_default_range(setup, split, method, rtol):
    """--npt N: N bins over the range pyFAI picks without radial_range (the unmasked pixels' centres for "no",
    their corners for "full", the top widened by float32's epsilon): the same radial axis (to 1e-9 relative, or
    float32 rounding of pyFAI's corners), and the same I as pyFAI's default call, with the corrections."""
    s = setup
    q, mine, _ = run_beamforge(s, f"o-npt-{split}", "--split", split, "--npt", "500", "--polarization",
                               str(POLARIZATION), "--flat", s["d"] / "flat.tif")
    assert len(q) == 500
    res = s["ai"].integrate1d(s["image"], 500, unit="q_nm^-1", method=method, mask=s["mask"], error_model="poisson",
                              correctSolidAngle=True, polarization_factor=POLARIZATION, flat=s["flat"])
    print(f"npt {split}: radial axis max |ratio - 1| {np.abs(q / res.radial - 1).max():.1e}")
    assert np.allclose(q, res.radial, rtol=rtol, atol=0), np.abs(q / res.radial - 1).max()
    ok = ~np.isnan(mine) & (res.count > 0)
    assert ok.sum() > 490
    ratio = np.abs(res.intensity[ok] / mine[ok] - 1)
    print(f"npt {split}: I median |ratio - 1| {np.median(ratio):.2e}")
    assert np.median(ratio) < 1e-5


@pytest.mark.parametrize("unit, units", [("q_nm^-1", "1/nm"), ("q_A^-1", "1/angstrom")])
def test_pyfai_unit_names_give_pyfai_radial_axis(setup, unit, units):
    """--unit as pyFAI spells it: with --npt, Q in that unit equals pyFAI's radial axis for the same unit (1e-9),
    and the intensities agree."""
    s = setup
    q, mine, _ = run_beamforge(s, f"o-unit-{units[2:]}", "--unit", unit, "--npt", "300", ranks=1)
    with h5py.File(s["d"] / f"o-unit-{units[2:]}" / "integrated.h5") as f:
        assert f["integrated/sasdata01/Q"].attrs["units"] == units
    res = s["ai"].integrate1d(s["image"], 300, unit=unit, method=("no", "csr", "cython"), mask=s["mask"])
    assert np.allclose(q, res.radial, rtol=1e-9, atol=0), np.abs(q / res.radial - 1).max()
    ok = ~np.isnan(mine) & (res.count > 0)
    assert np.median(np.abs(res.intensity[ok] / mine[ok] - 1)) < 1e-6


def test_corrected_output_is_identical_on_any_number_of_ranks(setup):
    """Corrections given as config keys (--set) and the dark: I, Idev and Q bit for bit on 1 and 3 ranks."""
    s = setup
    d = s["d"]
    curves = []
    for ranks in (1, 3):
        out = d / f"o-ranks{ranks}"
        r = integrate("--calibration", d / "geo.poni", "--mask", d / "mask.tif", "--out", out, "--set",
                      "polarization=-0.5", "--set", "solid_angle=true", "--set", f"dark={d / 'dark.tif'}",
                      "--split", "full", "--npt", "400", d / "frame.tif", d / "frame.tif", FRAME, ranks=ranks)
        assert r.returncode == 0, r.stderr
        with h5py.File(out / "integrated.h5") as f:
            g = f["integrated/sasdata01"]
            curves.append([g["I"][()], g["Idev"][()], g["Q"][()]])
            assert f["integrated/sasprocess/polarization_factor"][()] == -0.5
    for a, b in zip(*curves):
        assert a.tobytes() == b.tobytes()
    assert np.isfinite(curves[0][0]).sum() > 3 * 350
