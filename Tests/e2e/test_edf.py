"""EDF frames (issue 22): beamforge's EDF reader (Sources/Formats/EDF) against fabio, the Python reader ESRF and LGC
users read them with. Files are written by fabio (integers of 8 to 32 bits, floats, several frames in one file,
and a HighByteFirst file made by swapping one of fabio's), checked to read back in fabio as intended, then
integrated by `beamforge integrate` from the EDF and from a float32 HDF5 stack of fabio's own reading of the same
frames: the curves must be identical bit for bit (both paths go through the same kernel, so any difference is the
reader's)."""
import h5py
import numpy as np
import fabio
import tifffile
from fabio.edfimage import EdfImage

from conftest import assert_clean_failure
from test_integrate import FRAME, calibration, integrate


def swapped_to_big_endian(little, big):
    """fabio writes little-endian only: the same file with ByteOrder = HighByteFirst and every value's bytes
    reversed (the header keeps its length: both words have 13 letters)."""
    raw = little.read_bytes()
    end = raw.index(b"}\n") + 2
    header = raw[:end].replace(b"LowByteFirst", b"HighByteFirst")
    image = fabio.open(str(little))
    big.write_bytes(header + image.data.astype(image.data.dtype.newbyteorder(">")).tobytes())


def test_edf_frames_read_as_fabio_reads_them(tmp_path):
    base = tifffile.imread(FRAME).astype(np.int64)
    frames = {
        "int32": base.astype(np.int32),
        "uint16": np.clip(base, 0, 60000).astype(np.uint16),
        "uint8": np.clip(base // 4, 0, 250).astype(np.uint8),
        "float32": (base * 0.75).astype(np.float32),
        "float64": (base * 1.25 + 0.125).astype(np.float64),
    }
    paths = []
    for name, data in frames.items():
        path = tmp_path / f"{name}.edf"
        EdfImage(data, {"Title": f"sample_{name}_300mT", "Date": "2025-03-04T05:06:07"}).write(str(path))
        paths.append(path)
    swapped_to_big_endian(tmp_path / "int32.edf", tmp_path / "int32_be.edf")
    paths.append(tmp_path / "int32_be.edf")
    # Two frames in one file.
    multi = EdfImage(frames["float32"], {"Date": "2025-03-04T05:06:08"})
    multi.append_frame(data=frames["int32"] * 2, header={"Date": "2025-03-04T05:06:09"})
    multi.write(str(tmp_path / "multi.edf"))
    paths.append(tmp_path / "multi.edf")

    reference = []
    for path in paths:
        image = fabio.open(str(path))
        for k in range(image.nframes):
            reference.append(image.getframe(k).data.astype(np.float32) if image.nframes > 1
                             else image.data.astype(np.float32))
    assert np.array_equal(reference[5], frames["int32"].astype(np.float32))  # fabio reads the swapped file back
    with h5py.File(tmp_path / "stack.h5", "w") as f:
        f["/entry/data/data"] = np.stack(reference)

    cal = calibration(tmp_path)
    edf = integrate("--calibration", cal, "--out", tmp_path / "edf", *paths, ranks=2)
    assert edf.returncode == 0, edf.stderr
    h5 = integrate("--calibration", cal, "--out", tmp_path / "h5", tmp_path / "stack.h5")
    assert h5.returncode == 0, h5.stderr
    with h5py.File(tmp_path / "edf" / "integrated.h5") as a, h5py.File(tmp_path / "h5" / "integrated.h5") as b:
        ia, ib = a["/integrated/sasdata01/I"][()], b["/integrated/sasdata01/I"][()]
        assert ia.shape == (len(reference), ib.shape[1])
        assert np.array_equal(ia, ib, equal_nan=True)
    # The EDF Date is the frame's acquisition time.
    meta = (tmp_path / "edf" / "meta.csv").read_text().splitlines()
    assert "2025-03-04T05:06:07" in meta[1] and "2025-03-04T05:06:09" in meta[-1]


def test_an_edf_without_its_dimensions_is_refused_naming_the_key(tmp_path):
    path = tmp_path / "nodim.edf"
    EdfImage(np.zeros((8, 8), np.uint16), {}).write(str(path))
    raw = path.read_bytes().replace(b"Dim_2 = 8 ;", b"Dim_X = 8 ;")
    path.write_bytes(raw)
    r = integrate("--calibration", calibration(tmp_path), "--out", tmp_path / "o", path)
    assert_clean_failure(r, "nodim.edf", "EDF header has no Dim_2", "Dim_1")
    assert r.returncode == 2
