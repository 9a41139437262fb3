"""beamforge orient --sasview: per frame the NIST 2-D ASCII (Qx Qy I err) and 2-D NXcanSAS files, loaded with
sasdata's own loaders (red2d_reader for .dat, cansas_reader_HDF5 for .h5), as SasView does. Oracles: the frame's
pixels (h5py), pyFAI's lab components qxgi/qygi for Qx/Qy (ASCII written as %.9e: 1e-8 relative; NXcanSAS in double:
1e-12 1/Å), err = √max(I, 1); masked (--mask), negative and overflowing pixels flagged in both (the .dat's mask
column, the .h5's Mask; sasdata's mask is True where valid). Every pixel is written: sasdata's red2d_reader
rebuilds the rectangular grid from the Q values and fails on a grid with holes (measured: "cannot reshape array
of size 11902 into shape (95,124)" when two isolated pixels were left out)."""
import numpy as np
import pytest
import tifffile
from pyFAI.units import get_unit_fiber
from sasdata.dataloader.loader import Loader

from conftest import BEAMFORGE, mpirun, run
import orient_data as od

SHAPE = (od.ROWS, od.COLUMNS)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    d = tmp_path_factory.mktemp("sasview")
    frames = [od.frame(6, 30, 1).astype(np.int32), od.frame(10, 0, 2).astype(np.int32)]
    frames[1][5, 7] = -1                                          # a bad pixel
    frames[1][6, 8] = 70000                                       # overflowing (--overflow 60000)
    import h5py
    od.write_id02(d / "a.h5", frames, "x_300mT_0001")
    with h5py.File(d / "a.h5", "a") as f:                          # int32 frames so that -1 survives
        del f["/entry_0000/measurement/data"]
        f["/entry_0000/measurement/data"] = np.asarray(frames)
    mask = np.zeros(SHAPE, np.uint8)
    mask[:, 60:64] = 1
    tifffile.imwrite(d / "mask.tif", mask)
    args = [BEAMFORGE, "orient", "--no-progress", "--q", "0.03", "--dq", "0.004", "--chi-bin", "2", "--sasview",
            "--overflow", "60000", "--mask", str(d / "mask.tif"), str(d / "a.h5")]
    r = run(args + ["--out", str(d / "o")])
    assert r.returncode == 0, r.stderr
    r = mpirun(2, *args, "--out", str(d / "o2"))
    assert r.returncode == 0, r.stderr
    return d, frames, mask


def pyfai(unit):
    return od.pyfai_integrator().array_from_unit(SHAPE, "center", get_unit_fiber(unit), scale=True).ravel()


def valid(frames, mask, k):
    v = frames[k].ravel()
    return (mask.ravel() == 0) & (v >= 0) & (v < 60000)


@pytest.mark.parametrize("k", [0, 1])
def test_nist_ascii_loads_in_sasdata_with_the_frames_pixels(exported, k):
    d, frames, mask = exported
    data = Loader().load(str(d / "o" / "sasview" / f"frame_{k:06d}.dat"))[0]
    keep = valid(frames, mask, k)
    assert keep.sum() == SHAPE[0] * SHAPE[1] - 4 * SHAPE[0] - (2 if k == 1 else 0)
    assert type(data).__name__ == "Data2D"
    assert np.array_equal(np.asarray(data.mask), keep)
    values = frames[k].ravel().astype(float)
    assert np.array_equal(data.data[keep], values[keep])
    assert np.all(data.data[~keep] == 0)
    assert np.allclose(data.err_data[keep], np.sqrt(np.maximum(values[keep], 1)), rtol=1e-9, atol=0)
    assert np.allclose(data.qx_data, pyfai("qxgi_A^-1"), rtol=1e-8, atol=0)
    assert np.allclose(data.qy_data, pyfai("qygi_A^-1"), rtol=1e-8, atol=0)
    columns = np.loadtxt(d / "o" / "sasview" / f"frame_{k:06d}.dat", skiprows=2)
    assert columns.shape == (SHAPE[0] * SHAPE[1], 9)
    assert np.abs(columns[:, 4] - pyfai("qzgi_A^-1")).max() < 1e-12      # Qz: the beam component
    text = (d / "o" / "sasview" / f"frame_{k:06d}.dat").read_text().splitlines()
    assert text[:2] == ["Data columns Qx - Qy - I(Qx,Qy) - err(I) - Qz - dQx - dQy - shadow - mask", "ASCII data"]
    assert "nan" not in " ".join(text).lower()


def test_nxcansas_2d_loads_in_sasdata(exported):
    d, frames, mask = exported
    data = Loader().load(str(d / "o" / "sasview" / "frame_000001.h5"))[0]
    assert type(data).__name__ == "Data2D"
    keep = valid(frames, mask, 1)
    assert np.array_equal(np.asarray(data.data).ravel(), frames[1].ravel().astype(float))
    assert np.array_equal(np.asarray(data.mask).ravel(), keep)
    assert np.abs(np.asarray(data.qx_data).ravel() - pyfai("qxgi_A^-1")).max() < 1e-12
    assert np.abs(np.asarray(data.qy_data).ravel() - pyfai("qygi_A^-1")).max() < 1e-12
    assert np.allclose(np.asarray(data.err_data).ravel(), np.sqrt(np.maximum(frames[1].ravel(), 1)), rtol=1e-12)


def test_exports_are_identical_for_two_ranks(exported):
    d, _, _ = exported
    for k in (0, 1):
        name = f"sasview/frame_{k:06d}.dat"
        assert (d / "o" / name).read_bytes() == (d / "o2" / name).read_bytes()
