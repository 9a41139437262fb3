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
