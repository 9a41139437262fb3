"""SAXSDog's phi-mode and GISAXS cuts written out in NumPy from docs/reference/integration.md (§3 geometry, §8 phi-mode and
GISAXSSlices), independently of beamforge's code, to check its integrations against."""
import numpy as np

ANGSTROM = 1.00001495e-1  # SAXSDog's Å* in nm


def two_theta(cal, y, x):
    """SAXSDog's calc_theta for image-plane offsets (pixels) from the beam centre."""
    g = cal["Geometry"]
    pixel = g["PixelSizeMicroM"][0] * 1e-3
    r = np.hypot(x, y) * pixel
    phi = np.arctan2(y, x)
    d = g["DedectorDistanceMM"]
    tilt, rot = np.radians(g["Tilt"]["TiltAngleDeg"]), np.radians(g["Tilt"]["TiltRotDeg"])
    alpha = np.arcsin(np.sin(tilt) * np.sin(phi + rot + np.pi / 2))
    l2 = d ** 2 + r ** 2 - 2 * d * r * np.cos(np.pi / 2 + alpha)
    return np.arccos((l2 + d ** 2 - r ** 2) / (2 * np.sqrt(l2) * d)), r, phi


def centres(cal, ov):
    """Sub-pixel centre offsets (y, x) in pixels, rows top-down: y = (i+0.5)/ov - H + BC0, x = (j+0.5)/ov - BC1."""
    h, w = cal["Geometry"]["Imagesize"]
    bc = cal["Geometry"]["BeamCenter"]
    y = (np.arange(h * ov) + 0.5) / ov - h + bc[0]
    x = (np.arange(w * ov) + 0.5) / ov - bc[1]
    return np.meshgrid(y, x, indexing="ij")


def phi_mode(cal, entry, image, valid):
    """I(phi): sub-pixel labels int((phi + pi) * scale), scale = max r(mm) / max phi / PPRE; pixels kept only where
    q at their centre lies in [qStart, qStop]; I = sum(w n) / sum(w) with w the pixel's sub-pixel count."""
    ov = entry["Oversampling"]
    h, w = cal["Geometry"]["Imagesize"]
    lam = cal["Wavelength"] * ANGSTROM
    tt, r, phi = two_theta(cal, *centres(cal, ov))
    scale = r.max() / phi.max() / entry["PixelPerRadialElement"]
    labels = ((phi + np.pi) * scale).astype(int)
    tt1, _, _ = two_theta(cal, *centres(cal, 1))
    q = 4 * np.pi * np.sin(tt1 / 2) / lam
    keep = valid & (q >= entry["qStart"]) & (q <= entry["qStop"])
    pixel_of_sub = (np.arange(h * ov)[:, None] // ov) * w + (np.arange(w * ov)[None, :] // ov)
    keep_sub = keep.ravel()[pixel_of_sub]
    bins = labels.max() + 1
    values = image.ravel()[pixel_of_sub].astype(np.float64)
    s = np.bincount(labels[keep_sub], weights=values[keep_sub], minlength=bins)
    a = np.bincount(labels[keep_sub], minlength=bins).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (np.arange(bins) + 0.5) / scale - np.pi, s / a


def gisaxs_cut(cal, cut, image, valid):
    """A GISAXSSlices cut: Direction x keeps rows CutPosition +- CutMargin counted 1-based from the bottom and bins
    by column; y keeps columns counted 1-based from the left and bins by row. I = mean, error = sqrt(sum)/count.
    The q grid follows makegrid's case table literally (no half-pixel offset)."""
    g = cal["Geometry"]
    h, w = g["Imagesize"]
    start = cut["CutPosition"] - 1 - cut["CutMargin"]
    stop = cut["CutPosition"] + cut["CutMargin"]
    keep = valid.copy()
    if cut["Direction"] == "x":
        labels = np.tile(np.arange(w), (h, 1))
        keep[:max(0, h - stop)] = False
        keep[h - start:] = False
        bins = w
    else:
        labels = np.repeat(np.arange(h), w).reshape(h, w)
        keep[:, :max(0, start)] = False
        keep[:, stop:] = False
        bins = h
    s = np.bincount(labels[keep], weights=image[keep].astype(np.float64), minlength=bins)
    a = np.bincount(labels[keep], minlength=bins).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        intensity, error = s / a, np.sqrt(s) / a
    ps, d, bc = [p / 1000 for p in g["PixelSizeMicroM"]], g["DedectorDistanceMM"], g["BeamCenter"]
    if (cut["Plane"], cut["Direction"]) in [("Vertical", "y"), ("InPlane", "x")]:
        vn, hn, vbc, hbc, vps = h, w, h - bc[0], bc[1], ps[0]
    else:
        vn, hn, vbc, hbc, vps = w, h, bc[1], h - bc[0], ps[1]
    alpha_f = np.arctan((np.arange(vn) - vbc) * vps / d)
    two_theta_f = np.arctan((np.arange(hn) - hbc) * ps[1] / d)
    lam = cal["Wavelength"] * ANGSTROM
    if cut["Plane"] == "Vertical":
        q = -2 * np.pi / lam * (np.sin(alpha_f) + np.sin(np.radians(cut["IncidentAngle"])))
    else:
        q = 4 * np.pi / lam * np.sin(two_theta_f / 2)
    return q, intensity, error
