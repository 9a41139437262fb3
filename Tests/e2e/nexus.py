"""A synthetic NeXus tomography scan writer for the stack and mask tests.

The scan follows Diamond's NXtomo layout (docs/reference/tomography.md §7.1): frames at /entry1/tomo_entry/data/data, kept in a
separate detector file reached through an HDF5 external link as on real beamlines, image keys 0/1/2 and rotation
angles. The object is a few Gaussian blobs seen at every angle; a handful of detector pixels have a gain the flats do
not capture, which makes real stripes a few rows deep.
"""
from pathlib import Path

import h5py
import numpy as np

DATA = "/entry1/tomo_entry/data/data"
KEYS = "/entry1/tomo_entry/instrument/detector/image_key"
ANGLES = "/entry1/tomo_entry/data/rotation_angle"

# Detector pixels with a gain error: (rows, columns, gain).
STRIPES = [(slice(10, 13), slice(20, 22), 1.08), (slice(30, 32), slice(45, 46), 0.93)]


def absorption(angles, rows, cols):
    """The object's absorption sinograms, (angles, rows, cols), float64."""
    theta = np.linspace(0, np.pi, angles, endpoint=False)[:, None, None]
    y = np.arange(rows)[None, :, None]
    x = np.arange(cols)[None, None, :] - cols / 2
    blobs = [(0.9, 8.0, 0.3 * rows, 6.0), (0.6, -10.0, 0.6 * rows, 9.0), (0.4, 3.0, 0.8 * rows, 4.0)]
    a = np.zeros((angles, rows, cols))
    for height, r, centre_row, width in blobs:
        centre = r * np.cos(theta + height)
        a += height * np.exp(-((x - centre) ** 2) / (2 * width ** 2) - ((y - centre_row) ** 2) / (2 * (2 * width) ** 2))
    return a


def frames(angles, rows, cols, seed=0, stripes=True):
    """(projections, flat frames, dark frames) as float64 counts."""
    rng = np.random.default_rng(seed)
    flat_field = 20000 * (1 + 0.1 * np.sin(np.arange(cols) / 7.0))[None, :] * np.ones((rows, 1))
    dark_field = 100.0 + np.zeros((rows, cols))
    gain = np.ones((rows, cols))
    if stripes:
        for r, c, g in STRIPES:
            gain[r, c] = g
    transmission = np.exp(-absorption(angles, rows, cols))
    projections = flat_field * gain * transmission + dark_field + rng.normal(0, 20, (angles, rows, cols))
    flats = flat_field + dark_field + rng.normal(0, 20, (5, rows, cols))
    darks = dark_field + rng.normal(0, 2, (3, rows, cols))
    return projections, flats, darks


def write_scan(path, angles=60, rows=48, cols=64, seed=0, dtype=np.uint16, layout="both", external=True,
               keys=True, stripes=True, key_length=None):
    """Writes a scan; `layout` puts flats and darks "before", "after", "both" (split) or "none"."""
    path = Path(path)
    projections, flats, darks = frames(angles, rows, cols, seed, stripes)
    parts, key = [], []
    if layout in ("before", "both"):
        n = 3 if layout == "both" else 5
        parts += [flats[:n], darks[:2]]
        key += [1] * n + [2] * 2
    parts.append(projections)
    key += [0] * angles
    if layout in ("after", "both"):
        start = 3 if layout == "both" else 0
        parts += [darks[2:] if layout == "both" else darks, flats[start:]]
        key += [2] * (1 if layout == "both" else 3) + [1] * (5 - start)
    stack = np.concatenate(parts).astype(dtype) if dtype != np.uint16 else np.clip(np.rint(np.concatenate(parts)), 0, 65535).astype(np.uint16)
    if external:
        data_file = path.with_name(path.stem + "_data.h5")
        with h5py.File(data_file, "w") as f:
            f.create_dataset("data", data=stack, chunks=(1, rows, cols))
    with h5py.File(path, "w") as f:
        if external:
            f[DATA] = h5py.ExternalLink(data_file.name, "/data")
        else:
            f.create_dataset(DATA, data=stack)
        if keys:
            k = np.array(key, dtype=np.uint8)
            if key_length is not None:
                k = np.resize(k, key_length)
            f.create_dataset(KEYS, data=k)
        all_angles = np.zeros(len(key))
        all_angles[np.array(key) == 0] = np.linspace(0, 180, angles, endpoint=False)
        f.create_dataset(ANGLES, data=all_angles)
    return stack, np.array(key)


def write_flats(path, rows=48, cols=64, seed=0):
    """A file holding only flats and darks (for --flats)."""
    _, flats, darks = frames(4, rows, cols, seed)
    stack = np.clip(np.rint(np.concatenate([flats, darks])), 0, 65535).astype(np.uint16)
    with h5py.File(path, "w") as f:
        f.create_dataset(DATA, data=stack)
        f.create_dataset(KEYS, data=np.array([1] * len(flats) + [2] * len(darks), dtype=np.uint8))
    return stack


def normalised(stack, key, flats_stack=None, flats_key=None):
    """tomopy/NoStripesNet normalisation in float32: (p - d) / max(f - d, 1e-6), NaN -> 0, <= 0 -> 1e-9, -ln.
    Returns (angles, rows, cols) float32."""
    source, source_key = (stack, key) if flats_stack is None else (flats_stack, flats_key)
    flat = source[source_key == 1].astype(np.float64).mean(axis=0).astype(np.float32)
    dark = source[source_key == 2].astype(np.float64).mean(axis=0).astype(np.float32)
    projections = stack[key == 0].astype(np.float32)
    t = (projections - dark) / np.maximum(flat - dark, np.float32(1e-6))
    t = np.where(np.isnan(t), np.float32(0), t)
    t = np.where(t > 0, t, np.float32(1e-9))
    return -np.log(t)
