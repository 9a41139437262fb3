"""beamforge saxs end to end: identity across rank counts, schema, physics and statistics read back."""
import json
import math

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


def test_schema(runs):
    with h5py.File(runs[2] / "saxs.h5", "r") as f:
        g = f["saxs"]
        for name in ("q", "I", "sigma", "I_model"):
            assert g[name].shape == (301, 400) and g[name].dtype == np.float64
        assert g["shape_class"].shape == (301,) and list(g["shape_class"].attrs["names"]) == ["sphere"]
        assert list(g["instrument"].attrs["names"]) == ["xeuss", "nanoinx"]
        assert g["uid"].dtype.kind == "S" and g["params"].dtype.kind == "S"
        assert f["progress/done"][()].all()
        assert f.attrs["beamforge_version"] and f.attrs["seed"] == "2024"
        assert "instruments" in f.attrs["config"]
        runs_attr = json.loads(f.attrs["runs"])
        assert runs_attr[-1]["ranks"] == 2 and runs_attr[-1]["status"] == "complete"
        uids = g["uid"].asstr()[()]
    header, *rows = (runs[2] / "meta.csv").read_text().splitlines()
    assert header == "uid,shape_class,generator,true_params,instrument_cfg,seed,timestamp,rg_true"
    assert len(rows) == 301
    import csv
    parsed = list(csv.reader((runs[2] / "meta.csv").read_text().splitlines()))[1:]
    assert [r[0] for r in parsed] == list(uids)
    params = json.loads(parsed[0][3])
    assert params["model"] == "sphere" and set(params) >= {"radius", "sld", "sld_solvent", "scale", "background"}
    assert all(r[5] == "2024" and r[6] == "2023-11-14T22:13:20Z" for r in parsed)


def test_curves_follow_the_stored_parameters(runs):
    """I_model must be sasmodels' sphere for the parameters written to /saxs/params (independent numpy formula)."""
    with h5py.File(runs[1] / "saxs.h5", "r") as f:
        q, model = f["saxs/q"][()], f["saxs/I_model"][()]
        params = [json.loads(p) for p in f["saxs/params"].asstr()[()]]
        instrument = f["saxs/instrument"][()]
    for i in range(0, 301, 7):
        p = params[i]
        valid = ~np.isnan(q[i])
        assert valid.sum() == (300 if instrument[i] == 0 else 400)
        x = q[i][valid] * p["radius"]
        phi = 3 * (np.sin(x) - x * np.cos(x)) / x**3
        volume = 4 / 3 * math.pi * p["radius"] ** 3
        expected = p["scale"] * 1e-4 * (p["sld"] - p["sld_solvent"]) ** 2 * volume * phi**2 + p["background"]
        np.testing.assert_allclose(model[i][valid], expected, rtol=1e-9)
        assert np.isnan(model[i][~valid]).all()


def test_noise_pulls_have_unit_variance(runs):
    """Where a bin holds many counts, (I - I_model)/sigma is close to a standard normal."""
    with h5py.File(runs[1] / "saxs.h5", "r") as f:
        I, model, sigma = f["saxs/I"][()], f["saxs/I_model"][()], f["saxs/sigma"][()]
    counts = (I / sigma) ** 2  # sigma = sqrt(N)/c and I = N/c, so N = (I/sigma)^2
    mask = np.isfinite(I) & (counts > 200)
    pulls = ((I - model) / sigma)[mask]
    assert pulls.size > 10000
    assert abs(pulls.mean()) < 0.05
    assert abs(pulls.var() - 1) < 0.05


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
