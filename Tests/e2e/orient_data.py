"""Synthetic oriented scattering patterns for `beamforge orient` (docs/reference/orientation.md §5): ID02-like HDF5
series (frames at /entry_0000/measurement/data, the header group with byte-string centres and pixel sizes, numeric
wavelength and distance, a title holding the field, end_time) and the same frames as LGC EDF through fabio. A
rectangular detector with an off-centre beam; I = ring(q)·A(χ) + isotropic background, A the equatorial Maier–Saupe
projection exp(½κcos²(χ−χ0))·I0(½κcos²(χ−χ0)) about a director at χ0; Poisson noise."""
import h5py
import numpy as np
from scipy.special import i0

ROWS, COLUMNS = 96, 128
CENTER_1, CENTER_2 = 50.3, 40.7        # pixels along columns and rows (pyFAI convention: pixel i's centre at i + 0.5)
PSIZE_1, PSIZE_2 = 75e-6, 100e-6       # m, along columns and rows
DISTANCE, WAVELENGTH = 0.5, 1.0e-10    # m
Q0, RING_WIDTH = 0.03, 0.0015          # 1/angstrom


def pixel_q_chi(oversample=1):
    """|q| (1/angstrom) and chi (rad, pyFAI's atan2(t1, t2)) at every pixel centre (or at oversample² sub-pixel
    centres per pixel, as (ROWS·n) × (COLUMNS·n) arrays)."""
    rows, cols = np.mgrid[0:ROWS * oversample, 0:COLUMNS * oversample]
    d1 = ((rows + 0.5) / oversample - CENTER_2) * PSIZE_2
    d2 = ((cols + 0.5) / oversample - CENTER_1) * PSIZE_1
    two_theta = np.arctan2(np.hypot(d1, d2), DISTANCE)
    q = 4 * np.pi * np.sin(two_theta / 2) / (WAVELENGTH * 1e10)
    return q, np.arctan2(d1, d2)


def frame(kappa, chi0_deg, seed, amplitude=4000.0, background=30.0, oversample=1):
    """Poisson counts of the expected pattern at the pixel centres, or (oversample > 1) averaged over each
    pixel's area as a detector integrates it (then exact pixel splitting reproduces the profile closely enough
    for fits to see Poisson noise, not the sampling of the ring by pixel centres)."""
    q, chi = pixel_q_chi(oversample)
    x = 0.5 * kappa * np.cos(chi - np.radians(chi0_deg) - np.pi / 2) ** 2
    angular = np.exp(x) * i0(x)
    # The mean over the circle (not over the pixels), so that amplitude is the mean oriented intensity.
    t = np.linspace(0, np.pi, 4096, endpoint=False)
    xt = 0.5 * kappa * np.cos(t) ** 2
    angular /= (np.exp(xt) * i0(xt)).mean() if oversample > 1 else angular.mean()
    ring = np.exp(-0.5 * ((q - Q0) / RING_WIDTH) ** 2)
    expected = amplitude * ring * angular + background * (1 + 0.2 * q / Q0)
    if oversample > 1:
        expected = expected.reshape(ROWS, oversample, COLUMNS, oversample).mean(axis=(1, 3))
    return np.random.default_rng(seed).poisson(expected).astype(np.uint32)


def write_id02(path, frames, title, end_time="2025-01-02T03:04:05Z", header_changes=None):
    with h5py.File(path, "w") as f:
        f["/entry_0000/measurement/data"] = np.asarray(frames, dtype=np.uint32)
        header = {"PSize_1": np.bytes_(repr(PSIZE_1)), "PSize_2": np.bytes_(repr(PSIZE_2)),
                  "Center_1": np.bytes_(repr(CENTER_1)), "Center_2": np.bytes_(repr(CENTER_2)),
                  "WaveLength": WAVELENGTH, "SampleDistance": DISTANCE, "Title": np.bytes_(title)}
        header.update(header_changes or {})
        for key, value in header.items():
            if value is not None:
                put(f, f"/entry_0000/instrument/id02-eiger2-saxs/header/{key}", value)
        put(f, "/entry_0000/end_time", np.bytes_(end_time))
        f["/entry_0000/instrument/id02-eiger2-saxs/acquisition/nb_frames"] = len(frames)


def put(f, name, value):
    """Byte strings as fixed-length UTF-8 strings (the HDF5 wrapper reads those; ASCII-tagged ones are not
    converted by HDF5 and are a known gap), numbers as they are."""
    if isinstance(value, bytes):
        f.create_dataset(name, data=value, dtype=h5py.string_dtype("utf-8", max(1, len(value))))
    else:
        f[name] = value


def write_edf(path, data, title, date="2025-01-02T03:04:05"):
    from fabio.edfimage import EdfImage
    header = {"Title": title, "Date": date, "Center_1": repr(CENTER_1), "Center_2": repr(CENTER_2),
              "PSize_1": repr(PSIZE_1), "PSize_2": repr(PSIZE_2), "SampleDistance": repr(DISTANCE),
              "WaveLength": repr(WAVELENGTH)}
    EdfImage(np.asarray(data), header).write(str(path))


def pyfai_integrator():
    from pyFAI.integrator.azimuthal import AzimuthalIntegrator
    return AzimuthalIntegrator(dist=DISTANCE, poni1=CENTER_2 * PSIZE_2, poni2=CENTER_1 * PSIZE_1, pixel1=PSIZE_2,
                               pixel2=PSIZE_1, wavelength=WAVELENGTH)


def pv_pair(chi, area, chi0, fwhm, eta, y0, slope):
    """The periodic pseudo-Voigt pair of docs/orient.md, in NumPy (lmfit's convention, η the Lorentz fraction)."""
    def peak(d):
        d = d - 360 * np.floor((d + 180) / 360)
        x = 4 * d * d / fwhm ** 2
        return (1 - eta) * np.sqrt(4 * np.log(2) / np.pi) / fwhm * np.exp(-np.log(2) * x) \
            + eta * 2 / (np.pi * fwhm) / (1 + x)
    return y0 + slope * chi + area * (peak(chi - chi0) + peak(chi - chi0 - 180))
