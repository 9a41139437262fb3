"""A direct NumPy transcription of Larix's STRIPES_DETECT + STRIPES_MERGE (tomopy's stripes_detect3d.c, v2 API), for
checking beamforge's mask. It follows the C code's loops literally: every window is gathered with the C code's
mirroring (index k - m when k + m falls outside), sums are accumulated in float32 in the C code's order, and the median
is a full sort of each window (sorted index size - 1), so it shares nothing with beamforge's running-count method.
Volumes are (angles k, rows j, columns i)."""
import numpy as np


def _mirror(centre, offset, n):
    index = centre + offset
    return np.where((index < 0) | (index >= n), centre - offset, index)


def detect(vol, size, radius):
    vol = vol.astype(np.float32)
    Z, Y, X = vol.shape
    i = np.arange(X)
    gradient = vol[:, :, np.where(i + 2 < X, i + 2, i - 2)] - vol
    g = np.abs(gradient)
    k = np.arange(Z)
    j = np.arange(Y)
    plate = np.zeros_like(vol)
    for jm in range(-radius, radius + 1):
        jj = _mirror(j, jm, Y)
        for km in range(-radius, radius + 1):
            kk = _mirror(k, km, Z)
            plate += g[kk][:, jj]
    plate /= np.float32((2 * radius + 1) ** 2)
    right = np.zeros_like(vol)
    left = np.zeros_like(vol)
    for jm in (-1, 0, 1):
        jj = _mirror(j, jm, Y)
        for im in range(1, radius + 1):
            right += g[:, jj][:, :, np.where(i + im < X, i + im, i - im)]
        for im in range(-radius, 0):
            left += g[:, jj][:, :, np.where(i + im >= 0, i + im, i - im)]
    right /= np.float32(radius * 3)
    left /= np.float32(radius * 3)

    def ratio(a, b):
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where((b >= a) & (b != 0), a / b, np.where((b < a) & (a != 0), b / a, np.float32(0)))
        return out.astype(np.float32)

    weights = np.minimum(ratio(plate, right), ratio(plate, left))
    windows = np.stack([weights[_mirror(k, m, Z)] for m in range(-size, size + 1)], axis=0)
    return np.sort(windows, axis=0)[size - 1]


def merge(weights, threshold, length, depth, width, sensitivity):
    Z, Y, X = weights.shape
    mask = (weights <= np.float32(threshold)).astype(np.uint8)
    s = np.float32(0.01) * np.float32(sensitivity)
    depth_limit = int(s * np.float32(depth))
    length_limit = int(s * np.float32(length))
    half_length, half_depth = length // 2, depth // 2
    k, j, i = np.arange(Z), np.arange(Y), np.arange(X)

    def count_rows(m, half):
        return sum(m[:, _mirror(j, y, Y)].astype(np.int32) for y in range(-half, half + 1))

    def count_angles(m, half):
        return sum(m[_mirror(k, x, Z)].astype(np.int32) for x in range(-half, half + 1))

    if depth != 0:
        mask = np.where((mask == 1) & (count_rows(mask, half_depth) > depth_limit), 0, mask).astype(np.uint8)
    mask = np.where((mask == 1) & (count_angles(mask, half_length) < length_limit), 0, mask).astype(np.uint8)
    mask = np.where((mask == 1) & (count_angles(mask, half_length) < half_length), 0, mask).astype(np.uint8)
    half_width, reach = width // 2, 2 * width
    for _ in range(width):
        def any_columns(offsets):
            return np.any([mask[:, :, _mirror(i, x, X)] == 1 for x in offsets], axis=0)

        def any_angles(offsets):
            return np.any([mask[_mirror(k, x, Z)] == 1 for x in offsets], axis=0)

        across = any_columns(range(-half_width, 1)) & any_columns(range(0, half_width + 1))
        along = any_angles(range(-reach, 1)) & any_angles(range(0, reach + 1))
        mask = np.where((mask == 0) & (across | along), 1, mask).astype(np.uint8)
    return mask


def stripe_mask(vol, size, radius, threshold, length, depth, width, sensitivity):
    return merge(detect(vol, size, radius), threshold, length, depth, width, sensitivity)
