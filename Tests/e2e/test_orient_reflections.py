"""beamforge orient --reflection h,k,l with --cell or --cif: a band at q = 2π/d_hkl. Oracle: an independent Python
transcription of the explicit triclinic formula (International Tables B, §1.1.3; not the metric-tensor inverse the
code uses):
  1/d² = [h²b²c² sin²α + k²a²c² sin²β + l²a²b² sin²γ + 2hk abc²(cos α cos β − cos γ)
          + 2kl a²bc(cos β cos γ − cos α) + 2hl ab²c(cos α cos γ − cos β)] / V²,
  V = abc √(1 − cos²α − cos²β − cos²γ + 2 cos α cos β cos γ);
and the cubic case d = a/√(h² + k² + l²). Tolerance 1e-12 relative."""
import math

import h5py
import pytest

from conftest import BEAMFORGE, run
import orient_data as od

TRICLINIC = (7.1, 9.3, 11.7, 83.0, 101.5, 95.2)


def q_hkl(hkl, a, b, c, al, be, ga):
    h, k, l = hkl
    ca, cb, cg = (math.cos(math.radians(x)) for x in (al, be, ga))
    sa, sb, sg = (math.sin(math.radians(x)) for x in (al, be, ga))
    v = a * b * c * math.sqrt(1 - ca ** 2 - cb ** 2 - cg ** 2 + 2 * ca * cb * cg)
    s = (h * h * b * b * c * c * sa * sa + k * k * a * a * c * c * sb * sb + l * l * a * a * b * b * sg * sg
         + 2 * h * k * a * b * c * c * (ca * cb - cg) + 2 * k * l * a * a * b * c * (cb * cg - ca)
         + 2 * h * l * a * b * b * c * (ca * cg - cb))
    return 2 * math.pi * math.sqrt(s) / v


def orient(d, *args):
    return run([BEAMFORGE, "orient", "--no-progress", "--dq-rel", "0.1", "--chi-bin", "2", *map(str, args),
                str(d / "a.h5")])


def centres(out):
    with h5py.File(out / "orient.h5") as f:
        return list(f["/orient/q_center"][()]), f["/orient/q_center"].attrs["bands"]


@pytest.fixture(scope="module")
def frames(tmp_path_factory):
    d = tmp_path_factory.mktemp("hkl")
    od.write_id02(d / "a.h5", [od.frame(6, 30, 1)], "x_300mT_0001")
    return d


def test_triclinic_cell_gives_the_transcribed_q(frames):
    # Scaled cell so that the reflections fall on the small test detector (q 0.003 to 0.07 1/angstrom).
    cell = tuple(x * 20 if k < 3 else x for k, x in enumerate(TRICLINIC))
    hkls = [(1, 0, 0), (0, 1, 0), (1, 1, 0), (1, -1, 1), (0, 1, -2)]
    args = ["--q", "0.03", "--cell", ",".join(map(str, cell))]
    for hkl in hkls:
        args += ["--reflection", ",".join(map(str, hkl))]
    r = orient(frames, *args, "--out", frames / "tri")
    assert r.returncode == 0, r.stderr
    got, labels = centres(frames / "tri")
    assert got[0] == 0.03
    assert labels == "q;1,0,0;0,1,0;1,1,0;1,-1,1;0,1,-2"
    for hkl, q in zip(hkls, got[1:]):
        assert q == pytest.approx(q_hkl(hkl, *cell), rel=1e-12)


def test_cif_cell_lines_give_the_cell(frames):
    cif = frames / "si.cif"
    cif.write_text("data_scaled_si\n_symmetry_space_group_name_H-M 'F d -3 m'\n_cell_length_a 150.0(2)\n"
                   "_cell_length_b 150.0(2)\n_cell_length_c   150.0\n_cell_angle_alpha 90\n_cell_angle_beta 90.0\n"
                   "_cell_angle_gamma 90.00(1)\nloop_\n_atom_site_label\nSi1\n")
    r = orient(frames, "--reflection", "1,1,1", "--reflection", "2,0,0", "--cif", cif, "--out", frames / "cif")
    assert r.returncode == 0, r.stderr
    got, labels = centres(frames / "cif")
    assert labels == "1,1,1;2,0,0"
    assert got == pytest.approx([2 * math.pi * math.sqrt(3) / 150, 2 * math.pi * 2 / 150], rel=1e-12)
