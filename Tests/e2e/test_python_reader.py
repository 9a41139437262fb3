"""The Python reader `beamforge_io` (python/): installed with pip into a fresh venv, it reads every output kind as h5py
reads it, its `to_sasmodels` parameters evaluated by sasmodels equal `beamforge saxs-model`, and the example
notebooks run."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import h5py
import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient

from conftest import BEAMFORGE, CONFIG, ROOT, mpirun, run, saxsdog_calibration
from nexus import write_scan

sys.path.insert(0, str(ROOT / "python"))
import beamforge_io as bf  # noqa: E402  (the source tree; the fresh-venv test checks the installed package)

DATA = ROOT / "Tests" / "Fixtures" / "saxsdog"
SMALL_MASK = ["--set", "stripe_mask.size=10", "--set", "stripe_mask.min_length=20", "--set", "stripe_mask.min_depth=6",
              "--set", "stripe_mask.min_width=4"]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """One small output of every kind."""
    d = tmp_path_factory.mktemp("reader")
    r = mpirun(2, BEAMFORGE, "saxs", "--config", CONFIG, "--n", "90", "--out", str(d / "saxs"), "--no-progress")
    assert r.returncode == 0, r.stderr
    r = mpirun(2, BEAMFORGE, "tomo", "--config", str(ROOT / "configs" / "tomo.yml"), "--set", "size=32",
               "--set", "samples=2", "--set", "mode=simple", "--out", str(d / "tomo"), "--no-progress")
    assert r.returncode == 0, r.stderr
    write_scan(d / "100.nxs", seed=1, layout="both")
    r = mpirun(2, BEAMFORGE, "mask", str(d / "100.nxs"), "--root", str(d / "mask"), "--no-progress", *SMALL_MASK)
    assert r.returncode == 0, r.stderr
    r = mpirun(2, BEAMFORGE, "stack", str(d / "100.nxs"), "--root", str(d / "stack"), "--no-progress",
               "--mode", "paired", "--set", "output_shape=[30,32]", "--set", "paired_stripes.percentage=10", *SMALL_MASK)
    assert r.returncode == 0, r.stderr
    calibration = saxsdog_calibration(d)
    frames = d / "frames"
    frames.mkdir()
    for name in ("a.tif", "b.tif"):
        shutil.copy(DATA / "buf1_00000.tif", frames / name)
    r = run([BEAMFORGE, "integrate", "--no-progress", "--calibration", str(calibration), "--out",
             str(d / "integrate"), str(frames / "a.tif"), str(frames / "b.tif")])
    assert r.returncode == 0, r.stderr
    return d


def test_saxs_reader_matches_h5py(outputs):
    with bf.open_saxs(outputs / "saxs") as saxs, h5py.File(outputs / "saxs" / "saxs.h5") as f:
        assert len(saxs) == 90 and saxs.provenance.seed == 1 and saxs.provenance.config["n"] == 90
        names = list(f["saxs/shape_class"].attrs["names"])
        for i in (0, 17, 89):
            curve = saxs.curve(i)
            n = int(np.count_nonzero(np.isfinite(f["saxs/q"][i])))
            assert curve.q.size == n == saxs.n_points[i], "n_points is the instrument grid's length"
            assert np.array_equal(curve.I, f["saxs/I"][i, :n]) and np.array_equal(curve.q, f["saxs/q"][i, :n])
            assert not np.isnan(curve.I_model).any()
            assert curve.shape_class == names[f["saxs/shape_class"][i]]
            assert curve.params == json.loads(f["saxs/params"].asstr()[i])
        table = saxs.parameters
        assert len(table) == 90 and table.uid.tolist() == list(f["saxs/uid"].asstr()[()])
        assert {"radius", "chi2_red", "rg_true", "guinier_rg", "n_points"} <= set(table.columns)
        # The global statistics standardise log10 I to zero mean and unit variance over the dataset.
        z = saxs.stats["I_log10"].standardise(f["saxs/I"][()])
        assert abs(np.nanmean(z)) < 1e-9 and abs(np.nanstd(z) - 1) < 1e-9
        # The model's sigma as the docs define it.
        c = saxs.curve(3)
        name = saxs.instruments[saxs.instrument_index[3]]
        norm, bg = saxs.normaliser(name), saxs.background_counts(name)
        assert np.allclose(saxs.model_sigma(3), np.sqrt(norm * c.I_model + 2 * bg) / norm, rtol=1e-12)


def test_to_sasmodels_matches_saxs_model_and_sasmodels(outputs, tmp_path):
    """Every class sasmodels can express: sasmodels(to_sasmodels(params)) equals `saxs-model` on the stored JSON to
    1e-6 (sasmodels' own grid and orientation rules on both sides, so only rounding differs; measured ~1e-12).
    The ellipsoidal classes with beamforge's common length-scale polydispersity are refused with the reason."""
    with bf.open_saxs(outputs / "saxs") as saxs:
        specs, expressible, refused = [], {}, {}
        for i in range(len(saxs)):
            curve = saxs.curve(i)
            try:
                spec = bf.to_sasmodels(curve.params)
            except bf.NotExpressible as why:
                refused[curve.shape_class] = str(why)
                continue
            if curve.shape_class in expressible:
                continue
            expressible[curve.shape_class] = (spec, curve.q)
            specs.append({"model": curve.params["model"], "params": curve.params, "q": curve.q.tolist()})
    assert set(expressible) == {"sphere", "cylinder", "core_shell_sphere", "hollow_sphere", "core_shell_cylinder"}
    assert set(refused) == {"oblate_ellipsoid", "prolate_ellipsoid", "core_shell_oblate_ellipsoid",
                            "core_shell_prolate_ellipsoid"}
    assert all("length_scale_pd" in why and "independently" in why for why in refused.values())
    (tmp_path / "specs.json").write_text(json.dumps(specs))
    r = run([BEAMFORGE, "saxs-model", "--specs", str(tmp_path / "specs.json"), "--accuracy", "sasmodels",
             "--sasmodels-grid"])
    assert r.returncode == 0, r.stderr
    for (spec, q), result in zip(expressible.values(), json.loads(r.stdout)):
        reference = spec.evaluate(q)
        assert np.max(np.abs(np.asarray(result["I"]) / reference - 1)) < 1e-6, spec.model
        assert "hollow_convention" not in spec.kwargs and "model" not in spec.kwargs


def test_to_sasmodels_refusals():
    with pytest.raises(bf.NotExpressible, match="hollow sphere convention"):
        bf.to_sasmodels({"model": "vesicle", "radius": 100, "hollow_convention": "shell-volume"})
    with pytest.raises(bf.NotExpressible, match="no 'model'"):
        bf.to_sasmodels("{}")
    # A length-scale width of 0 is a monodisperse body: expressible, the beamforge keys dropped.
    spec = bf.to_sasmodels({"model": "ellipsoid", "radius_polar": 20, "radius_equatorial": 40, "length_scale_pd": 0,
                            "length_scale_pd_type": "gaussian", "length_scale_pd_nsigma": 3})
    assert spec.model == "ellipsoid" and spec.kwargs == {"radius_polar": 20, "radius_equatorial": 40}


def test_saxs_model_refuses_stored_texts_it_cannot_honour(tmp_path):
    for params, key in (({"radius_pd_type": "lognormal"}, "params.radius_pd_type"),
                        ({"model": "cylinder"}, "params.model"),
                        ({"hollow_convention": "vesicle"}, "params.hollow_convention"),
                        ({"note": "x"}, "params.note")):
        spec = [{"model": "sphere", "params": {"radius": 50, "sld": 20, "sld_solvent": 9.47, **params}, "q": [0.1]}]
        (tmp_path / "s.json").write_text(json.dumps(spec))
        r = run([BEAMFORGE, "saxs-model", "--specs", str(tmp_path / "s.json")])
        assert r.returncode == 2 and key in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_tomo_stack_mask_readers(outputs):
    with bf.open_tomo(outputs / "tomo") as tomo, h5py.File(outputs / "tomo" / "tomo.h5") as f:
        assert tomo.shape == f["tomo/clean"].shape and tomo.variants == ["projection", "clean", "stripe"]
        assert np.array_equal(tomo.sinogram(1, 5, "stripe"), f["tomo/stripe"][1, 5])
        assert tomo.angles.size == tomo.shape[2]
        spheres = tomo.phantom(0)
        assert len(spheres) == int(tomo.meta.spheres[0]) and (spheres.r > 0).all()
        with pytest.raises(KeyError, match="shift00"):
            tomo.sinogram(0, 0, "shift00")
    with bf.open_stack(outputs / "stack") as stack, h5py.File(outputs / "stack" / "stack.h5") as f:
        assert stack.mode == "paired" and stack.variants == ["clean", "stripe"]
        assert np.array_equal(stack.sinogram(7, "clean"), f["stack/clean"][7], equal_nan=True)
        assert np.array_equal(stack.real_artifact, f["stack/real_artifact"][()])
    with bf.open_mask(outputs / "mask") as masks, h5py.File(outputs / "mask" / "mask.h5") as f:
        assert np.array_equal(masks.mask(3), f["mask/mask"][3])
        assert masks.meta.masked_pixels.tolist() == [int(f["mask/mask"][i].sum()) for i in range(len(masks))]
        npz = masks.scan_masks()
        assert list(npz) == ["m100"] and npz["m100"].sum() == f["mask/mask"][()].sum()


def test_integrated_reader(outputs):
    with bf.open_integrated(outputs / "integrate") as data, h5py.File(outputs / "integrate" / "integrated.h5") as f:
        assert data.groups == ["sasdata01"] and len(data) == 2
        frame = data.frame(1)
        assert frame.axis_unit == "1/nm" and np.array_equal(frame.axis, f["integrated/sasdata01/Q"][()])
        assert np.array_equal(frame.I, f["integrated/sasdata01/I"][1], equal_nan=True)
        assert data.wavelength == pytest.approx(float(f["integrated/sasinstrument/sassource/incident_wavelength"][()]))
        assert [Path(s).name for s in data.meta.source.tolist()] == ["a.tif", "b.tif"]


def test_formula_cells_are_given_back_as_written(tmp_path):
    """An instrument named like a spreadsheet formula is escaped in meta.csv (docs/output-schema.md); the reader
    gives back the name as it was, the same as saxs.h5 holds it."""
    name = '=HYPERLINK("x")'
    (tmp_path / "evil.yml").write_text((ROOT / "configs" / "xeuss.yml").read_text().replace(
        "name: xeuss", 'name: "=HYPERLINK(\\"x\\")"'))
    config = "\n".join("instruments: [evil.yml]" if line.startswith("instruments:") else line
                       for line in (ROOT / "configs" / "saxs.yml").read_text().splitlines())
    (tmp_path / "saxs.yml").write_text(config)
    r = run([BEAMFORGE, "saxs", "--config", str(tmp_path / "saxs.yml"), "--n", "4", "--out", str(tmp_path / "o"),
             "--no-progress"])
    assert r.returncode == 0, r.stderr
    assert "\"'=HYPERLINK" in (tmp_path / "o" / "meta.csv").read_text()
    with bf.open_saxs(tmp_path / "o") as saxs:
        assert saxs.instruments == [name]
        assert set(saxs.meta.instrument_cfg) == {name} and set(saxs.parameters.instrument) == {name}
    assert bf.unescape_cell("''=x") == "'=x" and bf.unescape_cell("'plain") == "'plain"
    assert bf.unescape_cell("-1.5") == "-1.5"


def test_streaming_datasets(outputs):
    curves = bf.SaxsCurves(outputs / "saxs")
    assert len(curves) == 90
    item = curves[4]
    with bf.open_saxs(outputs / "saxs") as saxs:
        expected = saxs.stats["I_log10"].standardise(saxs.curve(4).I)
        n = saxs.n_points[4]
    assert item["I"].dtype == np.float32 and item["valid"][:n].sum() == np.isfinite(expected).sum()
    assert np.allclose(item["I"][:n][item["valid"][:n]], expected[np.isfinite(expected)], rtol=1e-6)
    assert not item["valid"][n:].any()
    pairs = bf.SinogramPairs(outputs / "tomo")
    assert len(pairs) == 64 and pairs[33]["input"].shape == pairs[33]["target"].shape
    with pytest.raises(IndexError):
        curves[90]


def test_refuses_an_unfinished_output(outputs, tmp_path):
    (tmp_path / "saxs.h5.partial").write_bytes(b"")
    with pytest.raises(bf.IncompleteOutput, match="--resume"):
        bf.open_saxs(tmp_path)
    with pytest.raises(bf.IncompleteOutput, match="no tomo.h5"):
        bf.open_tomo(outputs / "saxs")


def test_notebooks_run(outputs, tmp_path):
    """Every example notebook runs against a real output, and draws its figures."""
    env = {"BEAMFORGE_SAXS": outputs / "saxs", "BEAMFORGE_TOMO": outputs / "tomo", "BEAMFORGE_STACK": outputs / "stack",
           "BEAMFORGE_MASK": outputs / "mask", "BEAMFORGE_INTEGRATED": outputs / "integrate"}
    saved = dict(os.environ)
    os.environ.update({k: str(v) for k, v in env.items()})
    os.environ["PYTHONPATH"] = str(ROOT / "python")
    try:
        for path in sorted((ROOT / "python" / "examples").glob("*.ipynb")):
            notebook = nbformat.read(path, as_version=4)
            NotebookClient(notebook, timeout=300, kernel_name="python3",
                           resources={"metadata": {"path": str(tmp_path)}}).execute()
            outputs_ = [o for c in notebook.cells if c.cell_type == "code" for o in c.get("outputs", [])]
            assert not [o for o in outputs_ if o.output_type == "error"], path.name
            assert any("image/png" in o.get("data", {}) for o in outputs_), f"{path.name} drew no figure"
    finally:
        os.environ.clear()
        os.environ.update(saved)


def test_pip_install_in_a_fresh_venv(outputs, tmp_path):
    """`pip install ./python` into a new virtual environment, then read an output with the installed package."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    r = subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                        str(ROOT / "python")], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    script = ("import beamforge_io as bf, sys; s = bf.open_saxs(sys.argv[1]); c = s.curve(0); "
              "print(bf.__file__, len(s), c.shape_class, c.q.size)")
    r = subprocess.run([str(python), "-c", script, str(outputs / "saxs")], capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    location, count, _, points = r.stdout.split()
    assert location.startswith(str(venv)) and count == "90" and int(points) in (300, 400)
