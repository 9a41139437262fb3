"""A NumPy transcription of beamforge ptycho-qc (docs/ptycho-qc.md): per-position features over valid pixels, the
median-embedding correlation, the PCA reconstruction error (numpy.linalg.eigh of numpy.cov), robust z from
medians and MADs, and the score Z²/(Z² + z0²)."""
import numpy as np

COLUMNS = ["total", "log_total", "max", "saturated", "com_x_px", "com_y_px", "com_x_mrad", "com_y_mrad",
           "radial_mean_px", "radial_rms_px", "contrast", "correlation", "pca_error"]
# (name, one-sided, floor, value from the feature row)
SCORED = [("log_total", False, 0.01, lambda f: f["log_total"]),
          ("log1p_saturated", True, 1.0, lambda f: np.log1p(f["saturated"])),
          ("com_x_px", False, 0.1, lambda f: f["com_x_px"]),
          ("com_y_px", False, 0.1, lambda f: f["com_y_px"]),
          ("radial_mean_px", False, 0.1, lambda f: f["radial_mean_px"]),
          ("radial_rms_px", False, 0.1, lambda f: f["radial_rms_px"]),
          ("contrast", False, 0.01, lambda f: f["contrast"]),
          ("decorrelation", True, 0.001, lambda f: 1 - f["correlation"]),
          ("pca_error", True, 0.001, lambda f: f["pca_error"])]


def embedding(w, valid, side):
    rows, cols = w.shape
    block = ((np.arange(rows) * side) // rows)[:, None] * side + ((np.arange(cols) * side) // cols)[None, :]
    sums = np.bincount(block[valid], weights=np.log1p(w[valid]), minlength=side * side)
    counts = np.bincount(block[valid], minlength=side * side)
    return np.where(counts > 0, sums / np.maximum(counts, 1), 0.0)


def features(data, valid, static_bad, distance_m, pixel_m, side=16, k=12):
    """A dict of feature arrays (one value per position)."""
    n, rows, cols = data.shape
    r = (np.arange(rows) - rows // 2)[:, None].astype(np.float64)
    c = (np.arange(cols) - cols // 2)[None, :].astype(np.float64)
    rho = np.sqrt(r ** 2 + c ** 2)
    out = {name: np.zeros(n) for name in COLUMNS}
    emb = np.zeros((n, side * side))
    for p in range(n):
        d, v = data[p].astype(np.float64), valid[p].astype(bool)
        out["saturated"][p] = (~v & ~static_bad).sum()
        w = np.where(v, np.maximum(d, 0), 0)
        dv = d[v]
        out["total"][p], out["max"][p] = dv.sum(), dv.max()
        W = w.sum()
        out["com_y_px"][p], out["com_x_px"][p] = (w * r).sum() / W, (w * c).sum() / W
        out["radial_mean_px"][p] = (w * rho).sum() / W
        out["radial_rms_px"][p] = np.sqrt((w * rho ** 2).sum() / W)
        mean = dv.mean()
        out["contrast"][p] = np.sqrt(max((dv ** 2).mean() - mean ** 2, 0)) / mean if mean > 0 else 0
        emb[p] = embedding(w, v, side)
    out["log_total"] = np.log10(1 + np.maximum(out["total"], 0))
    out["com_x_mrad"] = np.arctan(out["com_x_px"] * pixel_m / distance_m) * 1e3
    out["com_y_mrad"] = np.arctan(out["com_y_px"] * pixel_m / distance_m) * 1e3
    median = np.median(emb, axis=0)
    out["correlation"] = np.array([np.corrcoef(e, median)[0, 1] for e in emb])
    values, vectors = np.linalg.eigh(np.cov(emb, rowvar=False))
    top = vectors[:, np.argsort(values)[::-1][:k]]
    resid = (emb - emb.mean(axis=0)) - ((emb - emb.mean(axis=0)) @ top) @ top.T
    out["pca_error"] = np.sqrt((resid ** 2).mean(axis=1))
    return out


def scores(f, z0=6.0):
    """The score and the index of the feature with the largest |z|, per position."""
    zs = []
    for _, one_sided, floor, value in SCORED:
        v = value(f)
        med = np.median(v)
        scale = max(1.4826 * np.median(np.abs(v - med)), floor)
        z = (v - med) / scale
        zs.append(np.maximum(z, 0) if one_sided else z)
    zs = np.abs(np.array(zs))
    big = zs.max(axis=0)
    return big ** 2 / (big ** 2 + z0 ** 2), zs.argmax(axis=0)
