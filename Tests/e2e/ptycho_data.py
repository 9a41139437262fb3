"""Synthetic ptychography scans for the ptycho-ingest tests (docs/reference note §5): a known complex object and a
pinhole probe, Fermat-spiral or raster positions, |FFT(P·O)|² as counts with Poisson noise, a dark offset with read
noise, a gain map, hot and dead pixels and uint16 saturation, written in areaDetector's default NDFileHDF5 layout
(/entry/instrument/detector/data, the /entry/data/data hard link, NDAttributes per frame with NDAttr* attributes)."""
import h5py
import numpy as np

SIZE = 64  # detector frames are SIZE × SIZE (asymmetric content: the beam is off centre)
BEAM = (27.0, 36.0)  # where the zero order lands on the raw detector (row, column)
HOT = [(5, 9), (50, 12)]
DEAD = [(40, 44), (8, 55)]
GAP_ROW = 21  # a masked detector row (the static mask), crossing every window the tests take


def fermat(n, step_um=0.6):
    """Fermat-spiral positions (µm): r = c·√k, θ = k·137.508°."""
    k = np.arange(n)
    r, t = step_um * np.sqrt(k), np.deg2rad(137.508) * k
    return r * np.cos(t), r * np.sin(t)


def raster(nx, ny, step_um=0.5):
    x, y = np.meshgrid(np.arange(nx) * step_um, np.arange(ny) * step_um)
    return x.ravel(), y.ravel()


def patterns(x_um, y_um, fpp, rng, peak=(30000.0, 70000.0)):
    """Noise-free far-field intensities, one per frame (fpp identical exposures per position), the zero order's
    peak drawn per position in `peak`: the brighter ones saturate uint16 once gain and dark are added."""
    n = 3 * SIZE
    yy, xx = np.mgrid[:n, :n]
    phase = np.sin(xx / 9.0) * np.cos(yy / 13.0) + 0.8 * (((xx - 70) ** 2 + (yy - 90) ** 2) < 15 ** 2)
    obj = (0.8 + 0.2 * np.cos(xx / 7.0) ** 2) * np.exp(1j * phase)
    py, px = np.mgrid[:SIZE, :SIZE]
    probe = (((px - SIZE / 2) ** 2 + (py - SIZE / 2) ** 2) < 10 ** 2).astype(complex)
    out = []
    for x, y in zip(x_um, y_um):
        r0, c0 = int(round(SIZE + 4 * y)), int(round(SIZE + 4 * x))
        exit_wave = probe * obj[r0:r0 + SIZE, c0:c0 + SIZE]
        far = np.abs(np.fft.fftshift(np.fft.fft2(exit_wave))) ** 2
        far = np.roll(far, (int(BEAM[0]) - SIZE // 2, int(BEAM[1]) - SIZE // 2), axis=(0, 1))
        out += [far / far.max() * rng.uniform(*peak)] * fpp
    return np.array(out)


def inject(intensity, fpp, outliers):
    """Outlier positions in noise-free intensities (frames × rows × columns, fpp per position): `blank` (no beam),
    `dump` (the beam dumped: 2 % of the flux), `shift` (the beam moved by (7, -6) px), `burst` (a 32 × 32 block
    far above uint16 saturation)."""
    out = intensity.copy()
    for p, kind in outliers.items():
        frames = slice(p * fpp, (p + 1) * fpp)
        if kind == "blank":
            out[frames] = 0
        elif kind == "dump":
            out[frames] *= 0.02
        elif kind == "shift":
            out[frames] = np.roll(out[frames], (7, -6), axis=(1, 2))
        elif kind == "burst":
            out[frames, 4:36, 30:62] += 2e5
        else:
            raise ValueError(kind)
    return out


def detector(rng, intensity, dark=100.0, read=3.0, gain=None, saturate=True):
    """Counts as the detector records them: gain·Poisson(I) + dark + read noise, hot pixels, uint16 clipping."""
    gain = np.ones((SIZE, SIZE)) if gain is None else gain
    counts = gain * rng.poisson(intensity) + rng.normal(dark, read, intensity.shape)
    for r, c in HOT:
        counts[..., r, c] += 3000
    counts = np.clip(np.rint(counts), 0, 65535 if saturate else 1e9)
    return counts.astype(np.uint16)


def gain_map(rng):
    gain = rng.uniform(0.9, 1.1, (SIZE, SIZE))
    for r, c in DEAD:
        gain[r, c] = 0.001
    return gain


def static_mask():
    mask = np.zeros((SIZE, SIZE), np.uint8)
    mask[GAP_ROW, :] = 1
    return mask


def nd_attribute(group, name, values, source="PV"):
    ds = group.create_dataset(name, data=values)
    ds.attrs["NDAttrName"] = name
    ds.attrs["NDAttrDescription"] = name
    ds.attrs["NDAttrSourceType"] = "NDAttrSourceEPICSPV"
    ds.attrs["NDAttrSource"] = source
    return ds


def write_areadetector(path, frames, x_um=None, y_um=None, energy_kev=None):
    """ADCore's DEFAULT_LAYOUT: frames at /entry/instrument/detector/data with /entry/data/data a hard link, one
    NDAttribute value per frame under /entry/instrument/NDAttributes (SampleX/SampleY in µm, without units)."""
    n = len(frames)
    with h5py.File(path, "w") as f:
        entry = f.create_group("entry")
        entry.attrs["NX_class"] = "NXentry"
        inst = entry.create_group("instrument")
        inst.attrs["NX_class"] = "NXinstrument"
        det = inst.create_group("detector")
        det.attrs["NX_class"] = "NXdetector"
        data = det.create_dataset("data", data=frames, chunks=(1,) + frames.shape[1:])
        data.attrs["NDArrayDimBackwards"] = [frames.shape[2], frames.shape[1]]
        data.attrs["signal"] = 1
        entry.create_group("data")["data"] = data  # the hard link
        attrs = inst.create_group("NDAttributes")
        attrs.attrs["NX_class"] = "NXcollection"
        if x_um is not None:
            nd_attribute(attrs, "SampleX", np.asarray(x_um, np.float64), "XPS:SampleX.RBV")
            nd_attribute(attrs, "SampleY", np.asarray(y_um, np.float64), "XPS:SampleY.RBV")
        if energy_kev is not None:
            nd_attribute(attrs, "Energy", np.full(n, energy_kev), "MONO:Energy")
        nd_attribute(attrs, "NDArrayUniqueId", np.arange(1, n + 1, dtype=np.int32), "Driver")
        nd_attribute(attrs, "NDArrayTimeStamp", 1.0e9 + 0.1 * np.arange(n), "Driver")
        nd_attribute(attrs, "NDArrayEpicsTSSec", (1.0e9 - 631152000 + np.arange(n)).astype(np.uint32), "Driver")
        nd_attribute(attrs, "NDArrayEpicsTSnSec", np.zeros(n, np.uint32), "Driver")
        perf = inst.create_group("performance")
        perf.create_dataset("timestamp", data=np.zeros((n, 5)))
    return path


def make_scan(directory, positions=40, fpp=2, seed=7, spiral=True, outliers=None, peak=(30000.0, 70000.0)):
    """A scan, its darks and flats (separate acquisitions), a static mask file, and the truth; `outliers` maps
    positions to the kinds of ``inject``."""
    rng = np.random.default_rng(seed)
    x, y = fermat(positions) if spiral else raster(int(np.sqrt(positions)), positions // int(np.sqrt(positions)))
    gain = gain_map(rng)
    frames = detector(rng, inject(patterns(x, y, fpp, rng, peak), fpp, outliers or {}), gain=gain)
    x_frames, y_frames = np.repeat(x, fpp), np.repeat(y, fpp)
    scan = write_areadetector(directory / "scan.h5", frames, x_frames, y_frames, energy_kev=7.0)
    darks = detector(rng, np.zeros((8, SIZE, SIZE)))
    flats = detector(rng, np.full((6, SIZE, SIZE), 4000.0), gain=gain)
    write_areadetector(directory / "darks.h5", darks)
    write_areadetector(directory / "flats.h5", flats)
    with h5py.File(directory / "mask.h5", "w") as f:
        f["mask"] = static_mask()
    return dict(scan=scan, frames=frames, darks=darks, flats=flats, mask=static_mask(), x_m=x * 1e-6, y_m=y * 1e-6,
                fpp=fpp, dir=directory)


def write_bad_inputs(d):
    """Small files for ptycho-ingest's bad-input cases: a good scan (6 frames, 3 positions of 2), one whose
    positions disagree with its frames, and a mask of the wrong shape."""
    rng = np.random.default_rng(1)
    frames = rng.integers(0, 100, (6, SIZE, SIZE)).astype(np.uint16)
    x, y = np.arange(6) * 0.5, np.zeros(6)
    write_areadetector(d / "pscan.h5", frames, x, y, energy_kev=7.0)
    write_areadetector(d / "pscan-5pos.h5", frames, x[:5], y[:5], energy_kev=7.0)
    with h5py.File(d / "pmask.h5", "w") as f:
        f["mask"] = np.zeros((10, 10), np.uint8)
    # A TIFF series of the same 6 frames (frame_index 1–6) and EPICS CSVs that disagree with it.
    _, good = write_tiff_series(d / "pt", frames, x * 1e-6, y * 1e-6, stem="scan_")
    rows = epics_rows(x * 1e-6, y * 1e-6)
    write_epics_csv(d / "pt" / "epics-dup.csv", rows + [rows[2]])  # frame_index 3 twice
    write_epics_csv(d / "pt" / "epics-short.csv", rows[:5])  # no row for scan_6.tif
    write_epics_csv(d / "pt" / "epics-extra.csv", rows + epics_rows([0.0], [0.0], first=7))  # no file for 7
    write_epics_csv(d / "pt" / "epics-nopixel.csv", [r[:5] + r[6:] for r in rows],
                    [c for c in EPICS_COLUMNS if c != "pixel_m"])
    import tifffile
    (d / "ptdup").mkdir()
    tifffile.imwrite(d / "ptdup" / "scan_1.tif", frames[0])
    tifffile.imwrite(d / "ptdup" / "scan_01.tif", frames[1])
    write_epics_csv(d / "ptdup" / "epics.csv", rows[:1])
    write_sidecar(d / "pt" / "sidecar-nopixel.h5", [r[:5] + r[6:] for r in rows],
                  [c for c in EPICS_COLUMNS if c != "pixel_m"])
    (d / "ptmulti").mkdir()
    tifffile.imwrite(d / "ptmulti" / "scan_1.tif", frames[:2])  # two pages in one file
    write_epics_csv(d / "ptmulti" / "epics.csv", rows[:1])


EPICS_COLUMNS = ["frame_index", "posx_m", "posy_m", "energy_eV", "det_dist_m", "pixel_m", "exposure_s"]


def epics_rows(x_m, y_m, first=1, energy_ev=7000.0, distance_m=2.5, pixel_m=75e-6, exposure_s=0.1):
    """One EPICS CSV row per frame, frame_index counting from `first`."""
    return [[first + k, repr(float(x)), repr(float(y)), energy_ev, distance_m, pixel_m, exposure_s]
            for k, (x, y) in enumerate(zip(x_m, y_m))]


def write_epics_csv(path, rows, columns=EPICS_COLUMNS):
    with open(path, "w", newline="") as f:
        f.write(",".join(columns) + "\n")
        for row in rows:
            f.write(",".join(str(v) for v in row) + "\n")
    return path


def write_sidecar(path, rows, columns=EPICS_COLUMNS):
    """The EPICS table as an HDF5 "sidecar": one 1-D dataset per column at the root."""
    table = np.array(rows, dtype=np.float64)
    with h5py.File(path, "w") as f:
        for k, name in enumerate(columns):
            f[name] = table[:, k].astype(np.int64) if name == "frame_index" else table[:, k]
    return path


def write_tiff_series(directory, frames, x_m, y_m, seed=3, stem="scan001_", first=1):
    """The frames as numbered single-frame TIFFs with unpadded names (`scan001_1.tif` … `scan001_80.tif`, so a
    lexicographic sort puts _10 before _2), written in shuffled order, and the EPICS CSV with its rows shuffled."""
    import tifffile
    rng = np.random.default_rng(seed)
    directory.mkdir(parents=True, exist_ok=True)
    for k in rng.permutation(len(frames)):
        tifffile.imwrite(directory / f"{stem}{first + k}.tif", frames[k])
    rows = epics_rows(x_m, y_m, first=first)
    rows = [rows[k] for k in rng.permutation(len(rows))]
    write_epics_csv(directory / "epics.csv", rows)
    write_sidecar(directory / "epics.h5", rows)
    return directory / f"{stem}*.tif", directory / "epics.csv"
