"""beamforge orient's per-pixel q-space maps (/orient/geometry: q, q_par, q_perp, chi, psi) against pyFAI's units
on the same geometry (pixel centres at i + 0.5; rectangular detector, off-centre beam, unequal pixel sides).

Conventions (docs/orient.md): the director b = (cos δ, sin δ, 0) in pyFAI's lab frame (x along +columns, y along
+rows, z along the beam), δ measured like χ; q∥ = q·b; q⊥ = sign(q·b⊥)·√(|q|² − q∥²) with b⊥ = (sin δ, −cos δ, 0).
With δ = 90° these are pyFAI's fibre units for sample_orientation 1 (no incident or tilt angle): q∥ = qoop,
q⊥ = qip. pyFAI's lab components qxgi (horizontal, +columns), qygi (vertical, +rows), qzgi (beam) check other δ.
Tolerance 1e-12 1/Å (both sides compute the same trigonometry in double precision)."""
import h5py
import numpy as np
import pytest
from pyFAI.units import get_unit_fiber, to_unit

from conftest import BEAMFORGE, run
import orient_data as od

SHAPE = (od.ROWS, od.COLUMNS)
TOL = 1e-12


def pyfai(unit):
    ai = od.pyfai_integrator()
    u = get_unit_fiber(unit) if unit[:3] in ("qip", "qoo", "qxg", "qyg", "qzg") else to_unit(unit)
    return ai.array_from_unit(SHAPE, "center", u, scale=True)


@pytest.fixture(scope="module")
def maps(tmp_path_factory):
    d = tmp_path_factory.mktemp("maps")
    od.write_id02(d / "a.h5", [od.frame(6, 30, 1)], "x_300mT_0001")
    out = {}
    for director in (0, 30, 90):
        r = run([BEAMFORGE, "orient", "--no-progress", "--q", "0.03", "--dq", "0.004", "--chi-bin", "2",
                 "--director", str(director), "--out", str(d / f"o{director}"), str(d / "a.h5")])
        assert r.returncode == 0, r.stderr
        with h5py.File(d / f"o{director}" / "orient.h5") as f:
            g = f["/orient/geometry"]
            out[director] = {k: g[k][()] for k in ("q", "q_par", "q_perp", "chi", "psi")}
            assert g["q_par"].attrs["units"] == "1/angstrom"
    return out


def test_q_and_chi_equal_pyfai(maps):
    m = maps[0]
    assert m["q"].shape == SHAPE
    assert np.abs(m["q"] - pyfai("q_A^-1")).max() < TOL
    assert np.abs(m["chi"] - pyfai("chi_deg")).max() < 1e-9


def test_director_along_rows_gives_pyfai_qoop_and_qip(maps):
    m = maps[90]
    assert np.abs(m["q_par"] - pyfai("qoop_A^-1")).max() < TOL
    assert np.abs(m["q_perp"] - pyfai("qip_A^-1")).max() < TOL


@pytest.mark.parametrize("director", [0, 30])
def test_other_directors_from_pyfai_lab_components(maps, director):
    horizontal, vertical, beam = pyfai("qxgi_A^-1"), pyfai("qygi_A^-1"), pyfai("qzgi_A^-1")
    d = np.radians(director)
    par = np.cos(d) * horizontal + np.sin(d) * vertical
    side = np.sin(d) * horizontal - np.cos(d) * vertical
    perp = np.sign(side) * np.sqrt(side ** 2 + beam ** 2)
    m = maps[director]
    assert np.abs(m["q_par"] - par).max() < TOL
    assert np.abs(m["q_perp"] - perp).max() < TOL
    assert np.abs(np.hypot(m["q_par"], m["q_perp"]) / m["q"] - 1).max() < 1e-12
    assert np.abs(m["psi"] - np.degrees(np.arccos(par / m["q"]))).max() < 1e-9


@pytest.fixture(scope="module")
def mapped(tmp_path_factory):
    d = tmp_path_factory.mktemp("mapped")
    frames = [od.frame(6, 30, 1), od.frame(12, -20, 2)]
    od.write_id02(d / "a.h5", frames, "x_300mT_0001")
    mask = np.zeros(SHAPE, np.uint8)
    mask[40:50, :] = 1                                            # a horizontal gap
    import tifffile
    tifffile.imwrite(d / "mask.tif", mask)
    r = run([BEAMFORGE, "orient", "--no-progress", "--q", "0.03", "--dq", "0.004", "--chi-bin", "2", "--maps",
             "--map-bins", "60", "--director", "90", "--mask", str(d / "mask.tif"), "--out", str(d / "o"),
             str(d / "a.h5")])
    assert r.returncode == 0, r.stderr
    with h5py.File(d / "o" / "orient.h5") as f:
        g = f["/orient"]
        out = {k: g[k][()] for k in ("map_q_chi", "map_qpar_qperp", "map_q", "map_chi", "map_q_par", "map_q_perp")}
        out["q_range"] = g["map_q"].attrs["range"]
        out["plane_range"] = g["map_q_par"].attrs["range"]
    return d, frames, mask, out


def test_q_chi_map_equals_pyfai_integrate2d_histogram(mapped):
    """pyFAI integrate2d_ng, method ("no", "histogram", "cython"), same ranges and mask, no solid angle: the mean
    per bin within 1e-6 relative (frames are summed in single precision by the kernel); the same bins empty (no
    pixel centre lies within pyFAI's float32 widening of the upper edges here)."""
    d, frames, mask, out = mapped
    ai = od.pyfai_integrator()
    assert out["map_q_chi"].shape == (2, 180, 60)
    for k, frame in enumerate(frames):
        r = ai.integrate2d_ng(frame.astype(np.float64), 60, 180, radial_range=tuple(out["q_range"]),
                              azimuth_range=(-180, 180), unit="q_A^-1", method=("no", "histogram", "cython"),
                              correctSolidAngle=False, mask=mask)
        # pyFAI widens the upper edge by float32's epsilon: centres agree to 1e-6 of the range.
        assert np.allclose(r.radial, out["map_q"], rtol=0, atol=1e-6 * out["q_range"][1])
        assert np.allclose(r.azimuthal, out["map_chi"], rtol=0, atol=1e-4)
        filled = r.count > 0
        ours = out["map_q_chi"][k]
        assert np.array_equal(np.isfinite(ours), filled)
        assert filled.sum() > 1000
        assert np.abs(ours[filled] / r.intensity[filled] - 1).max() < 1e-6


def test_qpar_qperp_map_bins_pyfai_fibre_coordinates(mapped):
    """The I(q∥, q⊥) map with --director 90 against a NumPy histogram of the frame over pyFAI's per-pixel qoop (x)
    and qip (y) on the same grid, masked pixels left out: the mean per bin within 1e-6 relative."""
    d, frames, mask, out = mapped
    lo, hi = out["plane_range"]
    x, y = pyfai("qoop_A^-1").ravel(), pyfai("qip_A^-1").ravel()
    keep = mask.ravel() == 0
    c = np.minimum(59, np.floor((x - lo) / (hi - lo) * 60).astype(int))
    r = np.minimum(59, np.floor((y - lo) / (hi - lo) * 60).astype(int))
    for k, frame in enumerate(frames):
        total = np.bincount((r * 60 + c)[keep], weights=frame.ravel()[keep].astype(float), minlength=3600)
        count = np.bincount((r * 60 + c)[keep], minlength=3600)
        filled = count > 0
        ours = out["map_qpar_qperp"][k].ravel()
        assert np.array_equal(np.isfinite(ours), filled)
        assert np.abs(ours[filled] / (total[filled] / count[filled]) - 1).max() < 1e-6


def test_first_frames_map_picture(mapped):
    d, _, _, _ = mapped
    from PIL import Image
    path = d / "o" / "pictures" / "map_0.png"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with Image.open(path) as image:
        image.load()
        assert image.size == (1720, 800)
        assert len(np.unique(np.asarray(image.convert("RGB")).reshape(-1, 3), axis=0)) > 50     # a colour-mapped picture, not a blank page


def test_maps_are_identical_for_one_and_three_ranks(tmp_path):
    from conftest import mpirun
    od.write_id02(tmp_path / "a.h5", [od.frame(6, 30, s) for s in range(5)], "x_300mT_0001")
    args = [BEAMFORGE, "orient", "--no-progress", "--q", "0.03", "--dq", "0.004", "--chi-bin", "2", "--maps",
            "--map-bins", "40", str(tmp_path / "a.h5")]
    assert run(args + ["--out", str(tmp_path / "r1")]).returncode == 0
    r = mpirun(3, *args, "--out", str(tmp_path / "r3"))
    assert r.returncode == 0, r.stderr
    with h5py.File(tmp_path / "r1" / "orient.h5") as a, h5py.File(tmp_path / "r3" / "orient.h5") as b:
        for name in ("map_q_chi", "map_qpar_qperp", "geometry/q_par", "geometry/q_perp", "profile_I"):
            assert np.array_equal(a[f"/orient/{name}"][()], b[f"/orient/{name}"][()], equal_nan=True), name
