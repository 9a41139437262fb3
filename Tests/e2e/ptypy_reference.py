"""A NumPy transcription of what ptypy's Hdf5Loader does to raw frames (ptypy/experiment/hdf5_loader.py,
`get_corrected_intensities`, and ptypy/core/data.py's orientation and centred crop), with beamforge's documented
choices where ptypy leaves them to the user: the dark is the mean dark stack, the flat is the dark-subtracted mean
flat normalised to mean 1 over valid pixels, hot pixels come from the darks and dead ones from the flat."""
import numpy as np


def response(darks, flats, static_mask, hot_sigma=10.0, dead_fraction=0.05):
    """(dark, flat, bits) on the raw grid; bits are CXI: 0x1 given mask, 0x4 hot, 0x8 dead."""
    bits = np.where(static_mask != 0, 0x1, 0).astype(np.int32)
    dark = darks.astype(np.float64).mean(axis=0)
    usable = dark[bits == 0]
    med = np.median(usable)
    mad = np.median(np.abs(usable - med))
    bits[dark > med + hot_sigma * max(1.4826 * mad, 1.0)] |= 0x4
    corrected = np.maximum(flats.astype(np.float64).mean(axis=0) - dark, 0)
    med = np.median(corrected[bits == 0])
    bits[~(corrected > dead_fraction * med)] |= 0x8
    flat = corrected / corrected[bits == 0].mean()
    flat[(bits & 0x8) != 0] = 0
    return dark, flat, bits


def corrected(raw, dark, flat):
    """ptypy: corr = raw − dark; corr[raw < dark] = 0; corr / flat (0 where the flat is dead)."""
    raw = raw.astype(np.float64)
    corr = raw - dark
    corr[raw < dark] = 0
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(flat > 0, corr / np.where(flat > 0, flat, 1), 0)


def orient(frames, code):
    """ptypy's orientation code on the last two axes: transpose (4), then flipud (2), then fliplr (1)."""
    if code & 4:
        frames = np.swapaxes(frames, -1, -2)
    if code & 2:
        frames = frames[..., ::-1, :]
    if code & 1:
        frames = frames[..., :, ::-1]
    return frames


def crop(frames, shape, centre, fill=0):
    """The window of `shape` whose pixel (ny//2, nx//2) is `centre` (rounded half away from zero), padded."""
    ny, nx = shape
    r0 = int(np.floor(centre[0] + 0.5)) - ny // 2
    c0 = int(np.floor(centre[1] + 0.5)) - nx // 2
    out = np.full(frames.shape[:-2] + (ny, nx), fill, dtype=frames.dtype)
    H, W = frames.shape[-2:]
    rs, re = max(r0, 0), min(r0 + ny, H)
    cs, ce = max(c0, 0), min(c0 + nx, W)
    if rs < re and cs < ce:
        out[..., rs - r0:re - r0, cs - c0:ce - c0] = frames[..., rs:re, cs:ce]
    return out


def group(frames, fpp, how, saturated=None):
    """frames (N·fpp, ny, nx) → (N, ny, nx)."""
    f = frames.reshape((-1, fpp) + frames.shape[1:])
    if how == "sum":
        return f.sum(axis=1)
    if how == "mean":
        return f.mean(axis=1)
    if how == "median":
        return np.median(f, axis=1)
    if how == "first":
        return f[:, 0]
    if how == "best":
        s = saturated.reshape((-1, fpp) + saturated.shape[1:]).sum(axis=(2, 3))
        totals = f.sum(axis=(2, 3))
        best = [min(range(fpp), key=lambda k: (s[p, k], -totals[p, k], k)) for p in range(len(f))]
        return f[np.arange(len(f)), best]
    raise ValueError(how)


def bin_sum(frames, n):
    """Sums of n × n pixel blocks on the last two axes (the binned counts)."""
    *lead, ny, nx = frames.shape
    return frames.reshape(*lead, ny // n, n, nx // n, n).sum(axis=(-3, -1))


def bin_bits(bits, n):
    """CXI bits of n × n blocks: the OR of their pixels' bits."""
    ny, nx = bits.shape
    return np.bitwise_or.reduce(np.bitwise_or.reduce(bits.reshape(ny // n, n, nx // n, n), axis=3), axis=1)


def bin_valid(valid, n):
    """A binned pixel is valid (1) only when all n × n of its pixels are."""
    *lead, ny, nx = valid.shape
    return valid.reshape(*lead, ny // n, n, nx // n, n).all(axis=(-3, -1)).astype(np.uint8)
