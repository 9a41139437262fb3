#!/usr/bin/env python3
"""Writes the generated part of the fuzzing seed corpus (Fuzz/Corpus): small valid TIFF, Fit2D mask, NeXus and
HDF5 frame-stack files and their edge cases. Run once with the venv's Python; the files are kept in the repository
(scripts/fuzz uses them as they are), so this only needs running again to change the seeds."""
import pathlib
import struct

import h5py
import numpy as np
import tifffile

corpus = pathlib.Path(__file__).resolve().parent.parent / "Fuzz" / "Corpus"


def msk(width, height, masked):
    """A Fit2D mask: 'MASK', width, height, 1, 0 as int32, bits from byte 1024, rows bottom-up, 32-bit padded."""
    header = struct.pack("<8i", 77, 65, 83, 75, width, height, 1, 0).ljust(1024, b"\0")
    words = (width + 31) // 32
    rows = []
    for row in reversed(range(height)):
        bits = np.zeros(words * 32, dtype=np.uint8)
        bits[:width] = masked[row]
        rows.append(np.packbits(bits, bitorder="little").tobytes())
    return header + b"".join(rows)


def main():
    rng = np.random.default_rng(20)
    (corpus / "msk" / "small.msk").write_bytes(msk(5, 3, rng.random((3, 5)) < 0.5))
    (corpus / "msk" / "one-word.msk").write_bytes(msk(32, 2, np.ones((2, 32), bool)))
    (corpus / "msk" / "two-words.msk").write_bytes(msk(33, 1, np.eye(1, 33, dtype=bool)))
    (corpus / "msk" / "header-only.msk").write_bytes(msk(4, 4, np.zeros((4, 4), bool))[:1024])

    tiff = corpus / "tiff"
    tifffile.imwrite(tiff / "uint16.tif", rng.integers(0, 65535, (6, 8), dtype=np.uint16))
    tifffile.imwrite(tiff / "int32.tif", rng.integers(-5, 1000, (4, 5), dtype=np.int32))
    tifffile.imwrite(tiff / "float32.tif", rng.random((3, 7), dtype=np.float32))
    tifffile.imwrite(tiff / "float64.tif", rng.random((2, 3)))
    tifffile.imwrite(tiff / "uint8-tiled.tif", rng.integers(0, 255, (20, 20), dtype=np.uint8), tile=(16, 16))
    tifffile.imwrite(tiff / "deflate.tif", np.arange(64, dtype=np.uint16).reshape(8, 8), compression="zlib")
    tifffile.imwrite(tiff / "big-endian.tif", np.arange(12, dtype=np.int16).reshape(3, 4), byteorder=">")
    tifffile.imwrite(tiff / "pages.tif", rng.integers(0, 9, (3, 4, 4), dtype=np.uint16))
    tifffile.imwrite(tiff / "rgb.tif", rng.integers(0, 255, (4, 4, 3), dtype=np.uint8), photometric="rgb")

    nexus = corpus / "nexus"
    frames = rng.integers(0, 4000, (7, 4, 5), dtype=np.uint16)
    keys = np.array([2, 1, 0, 0, 0, 0, 1], dtype=np.int32)
    for name, chunks in (("scan-contiguous.nxs", None), ("scan-chunked.nxs", (1, 4, 5))):
        with h5py.File(nexus / name, "w", libver=("earliest", "v110")) as f:
            f.create_dataset("entry1/tomo_entry/data/data", data=frames, chunks=chunks)
            f["entry1/tomo_entry/instrument/detector/image_key"] = keys
            f["entry1/tomo_entry/data/rotation_angle"] = np.linspace(0, 180, 7)
    with h5py.File(nexus / "scan-float-nokeys.nxs", "w", libver=("earliest", "v110")) as f:
        f["entry1/tomo_entry/data/data"] = frames[:3].astype(np.float32)
    with h5py.File(nexus / "stack-dectris.h5", "w", libver=("earliest", "v110")) as f:
        f["entry/data/data"] = rng.integers(0, 100, (2, 3, 4), dtype=np.int32)
    with h5py.File(nexus / "stack-4d.h5", "w", libver=("earliest", "v110")) as f:
        f.create_dataset("entry1/detector/data", data=rng.random((2, 2, 3, 3), dtype=np.float32),
                         chunks=(1, 1, 3, 3), compression="gzip")
    edf(rng)


def edf(rng):
    """EDF frames as fabio writes them (the ESRF/LGC format orient and integrate read)."""
    import fabio.edfimage
    folder = corpus / "edf"
    folder.mkdir(exist_ok=True)
    header = {"Title": "LC_300mT_0001", "Date": "2025-01-02T03:04:05", "Center_1": "40.5", "Center_2": "30.0",
              "PSize_1": "7.5e-05", "PSize_2": "7.5e-05", "SampleDistance": "1.2", "WaveLength": "1e-10"}
    fabio.edfimage.EdfImage(data=rng.random((6, 8), dtype=np.float32), header=header).write(str(folder / "float32.edf"))
    fabio.edfimage.EdfImage(data=rng.integers(0, 65535, (5, 4), dtype=np.uint16)).write(str(folder / "uint16.edf"))
    fabio.edfimage.EdfImage(data=rng.integers(-9, 9, (3, 3), dtype=np.int32)).write(str(folder / "int32.edf"))
    multi = fabio.edfimage.EdfImage(data=np.arange(12, dtype=np.float64).reshape(3, 4), header=header)
    multi.append_frame(data=np.ones((3, 4)), header={"Title": "second"})
    multi.write(str(folder / "two-blocks.edf"))


if __name__ == "__main__":
    main()
