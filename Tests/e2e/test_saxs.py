"""beamforge saxs end to end: identity across rank counts, schema, physics and statistics read back."""
import json
import math
import re

import h5py
import numpy as np
import pytest

from conftest import BEAMFORGE, CONFIG, assert_identical, mpirun, run


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The same 301-curve job on 1, 2 and 3 ranks (301 is not divisible by 2 or 3)."""
    base = tmp_path_factory.mktemp("saxs")
    out = {}
    for ranks in (1, 2, 3):
        d = base / f"np{ranks}"
        r = mpirun(ranks, BEAMFORGE, "saxs", "--config", CONFIG, "--n", "301", "--batch-size", "16",
                   "--seed", "2024", "--out", str(d), "--no-progress")
        assert r.returncode == 0, r.stderr
        out[ranks] = d
    return out


def test_outputs_are_bit_identical_for_1_2_and_3_ranks(runs):
    assert_identical(runs[1], runs[2], "saxs")
    assert_identical(runs[1], runs[3], "saxs")


@pytest.mark.parametrize("ranks,schedule", [(2, "cyclic"), (3, "jitter:17")])
def test_outputs_do_not_depend_on_the_schedule(runs, tmp_path, ranks, schedule):
    """Batches of 5 handed out cyclically, or dynamically with random pauses before each request (an adversarial
    schedule: which rank computes which curve changes from run to run), give the file of the one-rank run."""
    r = mpirun(ranks, BEAMFORGE, "saxs", "--config", CONFIG, "--n", "301", "--batch-size", "5", "--seed", "2024",
               "--schedule", schedule, "--batches-per-write", "1", "--out", str(tmp_path), "--no-progress")
    assert r.returncode == 0, r.stderr
    assert schedule in r.stderr
    assert_identical(runs[1], tmp_path, "saxs")


CLASSES = ["sphere", "cylinder", "oblate_ellipsoid", "prolate_ellipsoid", "core_shell_sphere", "hollow_sphere",
           "core_shell_oblate_ellipsoid", "core_shell_prolate_ellipsoid", "core_shell_cylinder"]
MODELS = {"sphere": "sphere", "cylinder": "cylinder", "oblate_ellipsoid": "ellipsoid", "prolate_ellipsoid": "ellipsoid",
          "core_shell_sphere": "core_shell_sphere", "hollow_sphere": "vesicle",
          "core_shell_oblate_ellipsoid": "core_shell_ellipsoid", "core_shell_prolate_ellipsoid": "core_shell_ellipsoid",
          "core_shell_cylinder": "core_shell_cylinder"}


def read_meta(directory):
    import csv
    header, *rows = list(csv.reader((directory / "meta.csv").read_text().splitlines()))
    return header, rows


def test_schema(runs):
    with h5py.File(runs[2] / "saxs.h5", "r") as f:
        g = f["saxs"]
        for name in ("q", "I", "sigma", "I_model"):
            assert g[name].shape == (301, 400) and g[name].dtype == np.float64
        assert g["shape_class"].shape == (301,) and list(g["shape_class"].attrs["names"]) == CLASSES
        assert list(g["instrument"].attrs["names"]) == ["xeuss", "nanoinx"]
        assert g["uid"].dtype.kind == "S" and g["params"].dtype.kind == "S"
        assert "vesicle" in g.attrs["hollow_sphere_convention"]
        assert f["progress/done"][()].all()
        assert f.attrs["beamforge_version"] and f.attrs["seed"] == 2024 and f.attrs["seed"].dtype == np.uint64
        assert "instruments" in f.attrs["config"]
        runs_attr = json.loads(f.attrs["runs"])
        assert runs_attr[-1]["ranks"] == 2 and runs_attr[-1]["status"] == "complete"
        uids = g["uid"].asstr()[()]
        classes = g["shape_class"][()]
        params = [json.loads(p) for p in g["params"].asstr()[()]]
    header, rows = read_meta(runs[2])
    assert header[:8] == ["uid", "shape_class", "generator", "true_params", "instrument_cfg", "seed", "timestamp",
                          "rg_true"]
    assert "chi2_red" in header and "guinier_rg" in header
    assert len(rows) == 301
    assert [r[0] for r in rows] == list(uids)
    # Balanced classes: 301 = 33 blocks of 9 + 4, so every class appears 33 or 34 times.
    counts = np.bincount(classes, minlength=9)
    assert counts.min() >= 33 and counts.max() <= 34
    for row, c, p in zip(rows, classes, params):
        assert row[1] == CLASSES[c] and json.loads(row[3]) == p
        assert p["model"] == MODELS[CLASSES[c]]
        assert row[5] == "2024" and row[6] == "2023-11-14T22:13:20Z"


def sphere_pd(q, radius, width, contrast, scale, background):
    """sasmodels' sphere with a +-3 sigma Gaussian radius distribution (number-weighted, / <V>), by dense sampling."""
    if width == 0:
        r, w = np.array([radius]), np.array([1.0])
    else:
        r = np.linspace(radius * (1 - 3 * width), radius * (1 + 3 * width), 4001)
        w = np.exp(-0.5 * ((r - radius) / (width * radius)) ** 2)
    x = np.outer(q, r)
    phi = 3 * (np.sin(x) - x * np.cos(x)) / x**3
    v = 4 / 3 * math.pi * r**3
    f2 = (contrast * v * phi) ** 2
    return scale * 1e-4 * (f2 @ w) / (v @ w) + background


def test_curves_follow_the_stored_parameters(runs):
    """Sphere curves: I_model equals an independent numpy sphere (with its size distribution) where smearing and
    binning change little (q·Rg < 0.7, the Guinier region: ≤ σ_q²Rg²/3 ≈ 1.5 %), and padding is NaN."""
    with h5py.File(runs[1] / "saxs.h5", "r") as f:
        q, model = f["saxs/q"][()], f["saxs/I_model"][()]
        params = [json.loads(p) for p in f["saxs/params"].asstr()[()]]
        instrument = f["saxs/instrument"][()]
    checked = 0
    for i, p in enumerate(params):
        valid = ~np.isnan(q[i])
        assert valid.sum() == (300 if instrument[i] == 0 else 400)
        assert np.isnan(model[i][~valid]).all()
        if p["model"] != "sphere":
            continue
        rg = math.sqrt(0.6) * p["radius"] * (1 + p.get("radius_pd", 0)) ** 2
        region = valid & (q[i] * rg < 0.7)
        if region.sum() < 3:
            continue
        expected = sphere_pd(q[i][region], p["radius"], p.get("radius_pd", 0), p["sld"] - p["sld_solvent"],
                             p["scale"], p["background"])
        np.testing.assert_allclose(model[i][region], expected, rtol=3e-2)
        checked += 1
    assert checked >= 5


def test_chi2_with_the_model_sigma_is_one(runs):
    """chi2_red in meta.csv is recomputed from the file (model sigma from the stored normalisers) and averages 1."""
    with h5py.File(runs[1] / "saxs.h5", "r") as f:
        I, model = f["saxs/I"][()], f["saxs/I_model"][()]
        instrument = f["saxs/instrument"][()]
        names = list(f["saxs/instrument"].attrs["names"])
        norm = {n: f["saxs/instrument"].attrs[f"normaliser_{n}"] for n in names}
        background = {n: f["saxs/instrument"].attrs[f"background_counts_{n}"] for n in names}
    header, rows = read_meta(runs[1])
    column = header.index("chi2_red")
    chi2 = []
    for i in range(I.shape[0]):
        name = names[instrument[i]]
        c, b = norm[name], background[name]
        valid = slice(0, c.size)
        sigma = np.sqrt(c * model[i][valid] + 2 * b) / c
        value = np.mean(((I[i][valid] - model[i][valid]) / sigma) ** 2)
        assert math.isclose(value, float(rows[i][column]), rel_tol=1e-9)
        chi2.append(value)
    assert abs(np.mean(chi2) - 1) < 0.03


def test_global_statistics_match_a_direct_computation(runs):
    with h5py.File(runs[3] / "saxs.h5", "r") as f:
        I = f["saxs/I"][()]
        stats = {k: f[f"stats/I_log10/{k}"][0] for k in ("count", "mean", "std", "min", "max")}
        assert f["stats/I_log10"].attrs["transform"] == "log10"
    values = np.log10(I[np.isfinite(I) & (I > 0)])
    assert stats["count"] == values.size
    assert math.isclose(stats["mean"], values.mean(), rel_tol=1e-12)
    assert math.isclose(stats["std"], values.std(), rel_tol=1e-9)
    assert stats["min"] == values.min() and stats["max"] == values.max()


def test_dry_run_prints_the_plan_and_writes_nothing(tmp_path):
    r = mpirun(2, BEAMFORGE, "saxs", "--config", CONFIG, "--n", "1001", "--out", str(tmp_path / "o"), "--dry-run")
    assert r.returncode == 0, r.stderr
    assert "items            1001" in r.stdout
    assert "2 (500-501 items per rank)" in r.stdout
    assert "memory per rank" in r.stdout
    # A sample of items is timed (spread over the index space) and a Slurm limit suggested.
    timing = re.search(r"timing +(\d+) items? produced on one rank in ([0-9.]+) s \(([0-9.]+) ms per item", r.stdout)
    assert timing and 1 <= int(timing.group(1)) <= 32, r.stdout
    estimate = re.search(r"compute ([0-9.]+) s", r.stdout)
    per_item = float(timing.group(3)) / 1000
    assert estimate and math.isclose(float(estimate.group(1)), per_item * 1001 / 2, rel_tol=0.05, abs_tol=0.02)
    assert re.search(r"--time=(\d+-)?\d\d:\d\d:00 ", r.stdout), r.stdout
    assert not (tmp_path / "o").exists()


def test_existing_outputs_are_not_replaced_silently(runs):
    r = run([BEAMFORGE, "saxs", "--config", CONFIG, "--n", "301", "--seed", "2024", "--out", str(runs[1])])
    assert r.returncode == 2 and "already exists" in r.stderr
    r = run([BEAMFORGE, "saxs", "--config", CONFIG, "--n", "301", "--seed", "2024", "--out", str(runs[1]), "--resume"])
    assert r.returncode == 0 and "already complete" in r.stderr


def test_configs_saxs_yml_holds_the_built_in_defaults(tmp_path):
    """The commented defaults in configs/ must not drift from the defaults compiled into beamforge."""
    stored = []
    for extra in (["--config", CONFIG], []):
        d = tmp_path / f"d{len(extra)}"
        r = run([BEAMFORGE, "saxs", *extra, "--n", "5", "--out", str(d), "--no-progress"])
        assert r.returncode == 0, r.stderr
        with h5py.File(d / "saxs.h5", "r") as f:
            stored.append(f.attrs["config"].replace(str(d), "OUT"))
    assert stored[0] == stored[1]


def test_quality_report_is_written_and_recomputed(runs, tmp_path):
    """The run writes qc.json; saxs-qc recomputes every curve's QC from saxs.h5 and agrees; a corrupted curve fails."""
    report = json.loads((runs[1] / "qc.json").read_text())
    assert report["curves"] == 301 and abs(report["chi2"]["mean"] - 1) < 0.03
    assert report["guinier"]["fitted"] > 50 and report["guinier"]["fraction_within_10_percent"] > 0.9
    r = run([BEAMFORGE, "saxs-qc", str(runs[1])])
    assert r.returncode == 0, r.stderr
    assert "QC of 301 curves" in r.stdout
    import shutil
    copy = tmp_path / "copy"
    shutil.copytree(runs[1], copy)
    with h5py.File(copy / "saxs.h5", "r+") as f:
        f["saxs/I"][5, :] *= 1.5
    r = run([BEAMFORGE, "saxs-qc", str(copy)])
    assert r.returncode == 1 and "QC differs" in r.stderr


def test_dat_files_and_image_mode_frames(tmp_path):
    """--dat writes ATSAS three-column files equal to the HDF5 rows; image mode keeps TIFF frames readable by tifffile."""
    import tifffile
    out = tmp_path / "img"
    r = mpirun(2, BEAMFORGE, "saxs", "--config", CONFIG, "--n", "12", "--detector", "image", "--save-frames", "2",
               "--dat", "--out", str(out), "--no-progress", timeout=600)
    assert r.returncode == 0, r.stderr
    with h5py.File(out / "saxs.h5", "r") as f:
        uids = f["saxs/uid"].asstr()[()]
        q, I, sigma = f["saxs/q"][()], f["saxs/I"][()], f["saxs/sigma"][()]
        assert f["saxs"].attrs["detector"] == "image"
    for i, uid in enumerate(uids):
        data = np.loadtxt(out / "saxs" / f"{uid}.dat", skiprows=2)
        valid = ~np.isnan(q[i])
        assert data.shape == (valid.sum(), 3)
        np.testing.assert_allclose(data, np.stack([q[i][valid], I[i][valid], sigma[i][valid]], axis=1), rtol=1e-8)
    frames = sorted((out / "frames").glob("*.tif"))
    assert [p.name.split("_")[0] for p in frames] == ["000000", "000001"]
    image = tifffile.imread(frames[0])
    assert image.shape == (1065, 1030) and image.dtype == np.uint32
    assert image[514:551].max() == 0 and image.sum() > 0
    assert not list(out.rglob("*.tmp"))


def test_saxs_model_evaluates_sasmodels_specifications(tmp_path):
    """saxs-model: the official sasmodels cylinder test and a PD sphere on sasmodels' grid, from JSON."""
    specs = [
        {"model": "cylinder", "params": {"sld": 4, "sld_solvent": 1, "radius": 20, "length": 400, "scale": 1,
                                         "background": 0}, "q": [0.01, 0.05, 0.2]},
        {"model": "sphere", "params": {"sld": 6, "sld_solvent": 1, "radius": 120, "scale": 1, "background": 0,
                                       "radius_pd": 0.2, "radius_pd_n": 45}, "q": [0.01, 0.1, 0.2]},
    ]
    path = tmp_path / "specs.json"
    path.write_text(json.dumps(specs))
    r = run([BEAMFORGE, "saxs-model", "--specs", str(path), "--sasmodels-grid"])
    assert r.returncode == 0, r.stderr
    results = json.loads(r.stdout)
    np.testing.assert_allclose(results[0]["I"], [301.823887, 53.6661653, 0.0417613868], rtol=1e-7)
    np.testing.assert_allclose(results[1]["I"], [17439.5295, 3.68016987, 0.228843099], rtol=1e-7)
    path.write_text(json.dumps([{"model": "teapot", "params": {"sld_solvent": 1}, "q": [0.1]}]))
    r = run([BEAMFORGE, "saxs-model", "--specs", str(path)])
    assert r.returncode != 0 and "unknown sasmodels model 'teapot'" in r.stderr


def test_retry_regenerates_the_listed_uids_in_place(tmp_path):
    """--retry FILE recomputes exactly the listed curves (rows, meta.csv rows, .dat files) on another rank count."""
    import shutil
    out = tmp_path / "retry"
    r = mpirun(2, BEAMFORGE, "saxs", "--config", CONFIG, "--n", "40", "--seed", "2024", "--dat", "--out", str(out),
               "--no-progress")
    assert r.returncode == 0, r.stderr
    pristine = tmp_path / "pristine"
    shutil.copytree(out, pristine)
    with h5py.File(out / "saxs.h5", "r+") as f:
        uids = f["saxs/uid"].asstr()[()]
        for i in (3, 17):
            f["saxs/I"][i, :] = 0.0
            f["saxs/params"][i] = b"{}"
    for i in (3, 17):
        (out / "saxs" / f"{uids[i]}.dat").unlink()
    listing = tmp_path / "uids.txt"
    listing.write_text(f"# failed curves\n{uids[17]}\n\n{uids[3]}\n")
    r = mpirun(3, BEAMFORGE, "saxs", "--config", CONFIG, "--n", "40", "--seed", "2024", "--dat", "--out", str(out),
               "--retry", str(listing), "--no-progress")
    assert r.returncode == 0, r.stderr
    assert "recomputing 2 of 40 items" in r.stderr
    assert_identical(pristine, out, "saxs")
    for uid in uids:
        assert (out / "saxs" / f"{uid}.dat").read_bytes() == (pristine / "saxs" / f"{uid}.dat").read_bytes()
    assert (out / "qc.json").exists()

    listing.write_text(f"{uids[0]}\nnot-a-uid\n")
    r = run([BEAMFORGE, "saxs", "--config", CONFIG, "--n", "40", "--seed", "2024", "--out", str(out),
             "--retry", str(listing)])
    assert r.returncode == 2 and "line 2: 'not-a-uid' is not the uid" in r.stderr, r.stderr
    assert (out / "saxs.h5").exists() and not (out / "saxs.h5.partial").exists()


def test_nxcansas_export_loads_in_sasviews_reader(tmp_path):
    """--nxcansas: one NXcanSAS file per curve, read back by SasView's own loader (sasdata) and with h5py."""
    from sasdata.dataloader.loader import Loader
    out = tmp_path / "nx"
    r = mpirun(2, BEAMFORGE, "saxs", "--config", CONFIG, "--n", "18", "--nxcansas", "--out", str(out), "--no-progress")
    assert r.returncode == 0, r.stderr
    with h5py.File(out / "saxs.h5", "r") as f:
        uids = f["saxs/uid"].asstr()[()]
        q, I, sigma = f["saxs/q"][()], f["saxs/I"][()], f["saxs/sigma"][()]
        params = f["saxs/params"].asstr()[()]
    assert sorted(p.name for p in (out / "nxcansas").iterdir()) == sorted(f"{u}.h5" for u in uids)
    for i, uid in enumerate(uids):
        path = out / "nxcansas" / f"{uid}.h5"
        [data] = Loader().load(str(path))
        assert not data.errors, data.errors
        valid = ~np.isnan(q[i])
        # The loader converts Q to its own 1/Å unit (a multiplication by a conversion factor): last-bit rounding.
        np.testing.assert_allclose(data.x, q[i][valid], rtol=1e-14)
        np.testing.assert_array_equal(data.y, I[i][valid])
        np.testing.assert_array_equal(data.dy, sigma[i][valid])
        assert data.dx is not None and np.all(data.dx > 0)
        assert data.run == [uid] and data.sample.details == [params[i]]
        assert data._xunit == "A^{-1}" and data._yunit == "cm^{-1}"
        with h5py.File(path, "r") as f:
            entry = f["sasentry01"]
            assert entry.attrs["canSAS_class"] == "SASentry" and entry["definition"][()] == b"NXcanSAS"
            sasdata = entry["sasdata01"]
            np.testing.assert_array_equal(sasdata["Q"][()], q[i][valid])
            assert sasdata.attrs["canSAS_class"] == "SASdata" and sasdata.attrs["signal"] == "I"
            assert sasdata.attrs["I_axes"] == "Q" and list(sasdata.attrs["Q_indices"]) == [0]
            assert sasdata["I"].attrs["uncertainties"] == "Idev" and sasdata["Q"].attrs["resolutions"] == "Qdev"
            numeric = []
            f.visititems(lambda name, obj: numeric.append(obj) if isinstance(obj, h5py.Dataset)
                         and obj.dtype.kind == "f" else None)
            assert numeric and all("units" in d.attrs for d in numeric)
