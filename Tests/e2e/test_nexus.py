"""Every output kind is a valid NeXus file (issue 25): nexusformat's validators report no error, the `default`
attributes chain from the root to an NXdata group whose signal nexusformat plots, and the runner's provenance is
typed (the seed a number). NXcanSAS files are checked against their application definition as well."""
import re
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest

import orient_data as od
from conftest import BEAMFORGE, ROOT, mpirun, run
from nexus import write_scan
import ptycho_data as pd
from test_stack import MASK_SET

VENV_BIN = Path(sys.executable).parent
FRAME = ROOT / "Tests" / "Fixtures" / "saxsdog" / "buf1_00000.tif"
CAL = ROOT / "Tests" / "Fixtures" / "saxsdog" / "cal.json"


def validator_errors(tool, path):
    """Runs nexusformat's `nxcheck` (base classes) or `nxvalidate` (application definition) on `path` and returns
    the error count it prints, with its output for the assertion message."""
    r = subprocess.run([str(VENV_BIN / tool), "-e", str(path)], capture_output=True, text=True, timeout=120)
    text = re.sub(r"\x1b\[[0-9;]*m", "", r.stdout + r.stderr)
    found = re.search(r"Total number of errors: (\d+)", text)
    assert found, f"{tool} {path} printed no summary:\n{text}"
    return int(found.group(1)), text


def default_chain(path):
    """Follows `default` from the root to the NXdata group; returns (entry, data group, signal shape)."""
    with h5py.File(path) as f:
        entry_name = f.attrs["default"]
        entry = f[entry_name]
        assert entry.attrs["NX_class"] == "NXentry"
        data = entry[entry.attrs["default"]]
        assert data.attrs["NX_class"] == "NXdata"
        signal = data[data.attrs["signal"]]
        axes = list(data.attrs["axes"]) if "axes" in data.attrs else []
        if axes:
            assert len(axes) == signal.ndim
        for axis in axes:
            if axis != ".":
                indices = list(data.attrs[f"{axis}_indices"])
                assert tuple(signal.shape[i] for i in indices) == data[axis].shape
        for name in data.attrs.get("auxiliary_signals", []):
            assert data[name].shape == signal.shape
        errors = data.attrs["signal"] + "_errors"
        if errors in data:
            assert data[errors].shape == signal.shape
        for group in ("progress", "stats"):  # runner groups: no NeXus class (NXroot holds only NXentry)
            assert "NX_class" not in f.get(group, {}).attrs if group in f else True
        return entry_name, data.name, signal.shape


def plottable(path):
    """nexusformat's own view of the default plot: the NXdata it finds and its signal's shape."""
    from nexusformat.nexus import nxload
    root = nxload(str(path), "r")
    data = root.plottable_data
    assert data is not None, f"nexusformat finds no plottable data in {path}"
    return data.nxpath, data.nxsignal.shape


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """One small output of every kind."""
    d = tmp_path_factory.mktemp("nexus")
    made = {}
    r = mpirun(2, BEAMFORGE, "saxs", "--out", str(d / "saxs"), "--set", "n=18", "--seed", "2024", "--nxcansas",
               "--no-progress")
    assert r.returncode == 0, r.stderr
    made["saxs"] = d / "saxs" / "saxs.h5"
    made["nxcansas"] = sorted((d / "saxs" / "nxcansas").glob("*.h5"))[0]
    r = mpirun(2, BEAMFORGE, "tomo", "--root", str(d / "tomo"), "--mode", "simple", "-N", "32", "-S", "2",
               "--no-progress")
    assert r.returncode == 0, r.stderr
    made["tomo"] = d / "tomo" / "tomo.h5"
    scan = d / "100.nxs"
    write_scan(scan, seed=1, layout="both")
    r = mpirun(2, BEAMFORGE, "stack", str(scan), "--root", str(d / "stack"), "--no-progress",
               "--set", "output_shape=[30,32]")
    assert r.returncode == 0, r.stderr
    made["stack"] = d / "stack" / "stack.h5"
    r = mpirun(2, BEAMFORGE, "mask", str(scan), "--root", str(d / "mask"), "--no-progress", *MASK_SET)
    assert r.returncode == 0, r.stderr
    made["mask"] = d / "mask" / "mask.h5"
    r = run([BEAMFORGE, "integrate", "--calibration", str(CAL), "--out", str(d / "integrate"), "--no-progress",
             str(FRAME)])
    assert r.returncode == 0, r.stderr
    made["integrate"] = d / "integrate" / "integrated.h5"
    od.write_id02(d / "LC.h5", [od.frame(6, 30, 1), od.frame(2, 30, 2)], "LC_300mT_0001")
    r = run([BEAMFORGE, "orient", "--no-progress", "--q", "0.03", "--dq", "0.004", "--chi-bin", "2",
             "--out", str(d / "orient"), str(d / "LC.h5")])
    assert r.returncode == 0, r.stderr
    made["orient"] = d / "orient" / "orient.h5"
    scan = pd.make_scan(d, positions=12)
    r = mpirun(2, BEAMFORGE, "ptycho-ingest", str(scan["scan"]), "--out", str(d / "ptycho"), "--no-progress",
               "--frames-per-pos", "2", "--energy", "7keV", "--distance", "2.5m", "--pixel-size", "75um",
               "--pos-units", "um")
    assert r.returncode == 0, r.stderr
    made["ptycho"] = d / "ptycho" / "ptycho.h5"
    r = mpirun(2, BEAMFORGE, "ptycho-qc", str(made["ptycho"]), "--no-progress")
    assert r.returncode == 0, r.stderr
    made["ptycho-qc"] = d / "ptycho" / "qc" / "qc.h5"
    return made


@pytest.mark.parametrize("kind", ["saxs", "tomo", "stack", "mask", "integrate", "orient", "ptycho"])
def test_base_classes_have_no_error_and_default_chains_to_a_plot(outputs, kind):
    errors, text = validator_errors("nxcheck", outputs[kind])
    assert errors == 0, text
    entry, data, shape = default_chain(outputs[kind])
    path, plotted = plottable(outputs[kind])
    assert path == data and plotted == shape


def test_ptycho_qc_file_has_no_error(outputs):
    errors, text = validator_errors("nxcheck", outputs["ptycho-qc"])
    assert errors == 0, text


@pytest.mark.parametrize("kind", ["integrate", "nxcansas"])
def test_nxcansas_files_meet_their_application_definition(outputs, kind):
    errors, text = validator_errors("nxvalidate", outputs[kind])
    assert errors == 0, text
    with h5py.File(outputs[kind]) as f:
        entry = f[f.attrs["default"]] if "default" in f.attrs else f["sasentry01"]
        source = entry["sasinstrument/sassource"]
        assert source["radiation"][()].decode() == "x-ray" and source["probe"][()].decode() == "x-ray"


def test_saxs_plot_links_the_curves_without_copies(outputs):
    with h5py.File(outputs["saxs"]) as f:
        data = f["saxs/data"]
        assert list(data.attrs["axes"]) == [".", "."]  # q differs by instrument: /saxs/q is items x bins
        assert list(data.attrs["auxiliary_signals"]) == ["I_model"]
        # Hard links: the same HDF5 object under two names.
        assert data["I"].id == f["saxs/I"].id and data["I_errors"].id == f["saxs/sigma"].id


def test_provenance_is_typed(outputs):
    import json
    with h5py.File(outputs["saxs"]) as f:
        assert f.attrs["seed"] == 2024 and f.attrs["seed"].dtype == np.uint64
        runs = json.loads(f.attrs["runs"])
        assert set(runs[0]) == {"started", "finished", "ranks", "items_computed", "status"}
    report = (outputs["saxs"].parent / "qc.json").read_text()
    assert "NaN" not in report and '"nan"' not in report
    keys = re.findall(r'"([A-Za-z0-9_]+)"\s*:', report)
    assert keys and all(k == k.lower() for k in keys), keys
    with h5py.File(outputs["tomo"]) as f:
        assert "axes" not in f["tomo/clean"].attrs and f["tomo/clean"].attrs["dimensions"] == "row, angle, column"
