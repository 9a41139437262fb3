"""Bad input: one clear message naming the key or file, exit status 2, no stack trace, no hang, no output presented as
complete. The table at the end holds over a hundred bad invocations across every subcommand (issue 20); each is a
single process run of the binary and is refused before any work."""
import json
import os
import shutil
from pathlib import Path

import h5py
import numpy as np
import pytest
import tifffile

from conftest import BEAMFORGE, CONFIG, ROOT, assert_clean_failure, mpirun, run
from nexus import ANGLES, DATA, write_scan
from ptycho_data import write_bad_inputs as write_ptycho_inputs
import orient_data

FIXTURES = ROOT / "Tests" / "Fixtures" / "saxsdog"


def saxs(*args):
    return run([BEAMFORGE, "saxs", *args], timeout=60)


def test_malformed_yaml(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("n: [1, 2\nseed: 3\n")
    r = saxs("--config", str(bad), "--out", str(tmp_path / "o"))
    assert_clean_failure(r, str(bad), "malformed YAML", "line")
    assert r.returncode == 2


def test_every_shipped_config_is_accepted(tmp_path):
    """The commented defaults in configs/ load in their subcommand (keys set to null, such as stack's `flats`, are
    unset, not unknown)."""
    write_scan(tmp_path / "100.nxs", seed=1, layout="both")
    cal = json.loads((FIXTURES / "cal.json").read_text())
    cal["Masks"][0]["MaskFile"] = str(FIXTURES / "AAA_integ.msk")
    (tmp_path / "cal.json").write_text(json.dumps(cal))
    runs = {"saxs": [], "tomo": [], "stack": [str(tmp_path / "100.nxs")],
            "integrate": ["--calibration", str(tmp_path / "cal.json"), str(FIXTURES / "buf1_00000.tif")],
            "orient": ["--q", "0.03", "--dq", "0.004", "--chi-bin", "2", str(tmp_path / "id02.h5")]}
    orient_data.write_id02(tmp_path / "id02.h5", [orient_data.frame(4, 0, seed=1)], "s_300mT_0001")
    for name, args in runs.items():
        r = run([BEAMFORGE, name, "--config", str(ROOT / "configs" / f"{name}.yml"), "--out", str(tmp_path / name),
                 "--dry-run", *args], timeout=120)
        assert r.returncode == 0 and "memory per rank" in r.stdout, f"configs/{name}.yml: {r.stderr}"
    r = saxs("--config", CONFIG, "--set", "colour=null", "--out", str(tmp_path / "o"), "--dry-run")
    assert r.returncode == 0, r.stderr


def test_unknown_top_level_key(tmp_path):
    bad = tmp_path / "typo.yml"
    bad.write_text("n: 10\nradiuss: [10, 20]\n")
    r = saxs("--config", str(bad), "--out", str(tmp_path / "o"))
    assert_clean_failure(r, "unknown key 'radiuss'")
    assert r.returncode == 2


@pytest.mark.parametrize("typo, suggestion", [("nn", "n"), ("batchsize", "batch_size"), ("clases", "classes"),
                                              ("instruments.0.fluxx", "flux")])
def test_a_mistyped_key_gets_a_suggestion(tmp_path, typo, suggestion):
    """Did-you-mean for configuration keys: the nearest key at the same level, within two edits."""
    if typo.startswith("instruments"):
        (tmp_path / "inst.yml").write_text((ROOT / "configs" / "xeuss.yml").read_text() + "fluxx: 2\n")
        cfg = tmp_path / "c.yml"
        cfg.write_text("n: 10\ninstruments: [inst.yml]\n")
        r = saxs("--config", str(cfg), "--out", str(tmp_path / "o"))
    else:
        r = saxs("--config", CONFIG, "--set", f"{typo}=3", "--out", str(tmp_path / "o"))
    assert_clean_failure(r, f"unknown key '{typo}'; did you mean '{suggestion}'?")
    assert r.returncode == 2


def test_unknown_key_in_an_instrument_file_is_named_by_path(tmp_path):
    (tmp_path / "inst.yml").write_text("q_min: 0.01\nq_max: 0.2\nq_points: 50\nflux: 1e6\nfluxx: 2\nfwhm: 0.001\n"
                                       "distance: 1\nbeam_center: [100, 100]\nbeamstop_radius: 0.5\n")
    cfg = tmp_path / "c.yml"
    cfg.write_text("n: 10\ninstruments: [inst.yml]\n")
    r = saxs("--config", str(cfg), "--out", str(tmp_path / "o"))
    assert_clean_failure(r, "unknown key 'instruments.0.fluxx'")


def test_unknown_key_under_mpirun_is_reported_once(tmp_path):
    r = mpirun(2, BEAMFORGE, "saxs", "--config", CONFIG, "--set", "colour=blue", "--out", str(tmp_path / "o"),
               timeout=60)
    assert r.returncode != 0
    assert [l for l in r.stderr.splitlines() if "beamforge: error" in l] == [
        f"beamforge: error: {CONFIG}: unknown key 'colour'"]


def test_missing_config_file(tmp_path):
    r = saxs("--config", str(tmp_path / "nope.yml"))
    assert_clean_failure(r, "cannot read config file", "nope.yml")


def test_unwritable_output_directory(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    r = mpirun(2, BEAMFORGE, "saxs", "--config", CONFIG, "--n", "10", "--out", str(blocker / "sub"), timeout=60)
    assert r.returncode == 2
    assert [l for l in r.stderr.splitlines() if "beamforge: error" in l][0].startswith(
        f"beamforge: error: cannot create output directory {blocker / 'sub'}")
    r = saxs("--config", CONFIG, "--n", "10", "--out", str(blocker))
    assert_clean_failure(r, "is not a directory")


def test_log_q_spacing_runs_in_seconds(tmp_path):
    """`q_spacing: log` is documented: its grids follow the mean bin width, not the narrowest log bin (which made
    them 48x finer and the build quadratic in that)."""
    r = run([BEAMFORGE, "saxs", "--config", CONFIG, "--n", "2", "--no-progress", "--out", str(tmp_path / "o"),
             "--set", "instruments.0.q_spacing=log"], timeout=60)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "o" / "saxs.h5").exists()


@pytest.fixture
def memory_cgroup():
    """A memory control group capped at 256 MiB (what `sbatch --mem=256M` gives under task/cgroup), v2 or v1;
    skipped where cgroups cannot be created (not root, read-only cgroup file system)."""
    if os.geteuid() != 0:
        pytest.skip("creating a cgroup needs root")
    v2 = Path("/sys/fs/cgroup/cgroup.controllers").exists()
    base = Path("/sys/fs/cgroup") if v2 else Path("/sys/fs/cgroup/memory")
    group = base / f"beamforge-test-{os.getpid()}"
    try:
        group.mkdir()
        (group / ("memory.max" if v2 else "memory.limit_in_bytes")).write_text(str(256 << 20))
    except OSError as error:
        if group.exists():
            group.rmdir()
        pytest.skip(f"cannot create a memory cgroup here: {error}")
    yield group, group / ("memory.max" if v2 else "memory.limit_in_bytes")
    group.rmdir()


def test_a_memory_cgroup_bounds_the_memory(tmp_path, memory_cgroup):
    """Two tomo ranks of N = 128 need about 2 × 400 MiB: inside a 256 MiB cgroup the run is refused before any
    output, naming the limit and its file, instead of being killed by the kernel's OOM killer."""
    group, limit_file = memory_cgroup
    out = tmp_path / "o"
    command = " ".join(["mpirun", "-np", "2", BEAMFORGE, "tomo", "-N", "128", "--out", str(out), "--no-progress"])
    r = run(["sh", "-c", f"echo $$ > {group}/cgroup.procs && exec {command}"], timeout=120)
    assert r.returncode == 2, r.stderr
    lines = [l for l in r.stderr.splitlines() if "beamforge: error" in l]
    assert len(lines) == 1 and f"more than its 256.0 MiB (cgroup limit {limit_file})" in lines[0], r.stderr
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("variable", ["SLURM_MEM_PER_NODE", "SLURM_MEM_PER_CPU"])
def test_a_slurm_allocation_bounds_the_memory(tmp_path, variable):
    r = run([BEAMFORGE, "tomo", "-N", "64", "--no-progress", "--out", str(tmp_path / "o")], timeout=30,
            **{variable: "1"})
    assert_clean_failure(r, "tomo needs about", f"more than its 1.0 MiB ({variable})")
    assert r.returncode == 2
    assert not (tmp_path / "o" / "tomo.h5").exists()


# --- the table -----------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """Small input files for every subcommand's bad invocations."""
    d = tmp_path_factory.mktemp("inputs")
    write_scan(d / "100.nxs", external=False)
    write_scan(d / "300.nxs", external=False, dtype=np.float32)
    with h5py.File(d / "300.nxs", "a") as f:
        data = f["/entry1/tomo_entry/data/data"]
        data[10] = np.nan  # the 11th frame (a projection) is all NaN
    # Found by fuzzing (Fuzz/Corpus): datasets that declare huge shapes in a few bytes (chunked, nothing stored).
    shutil.copy(d / "100.nxs", d / "huge-angles.nxs")
    with h5py.File(d / "huge-angles.nxs", "a") as f:
        del f[ANGLES]
        f.create_dataset(ANGLES, shape=(10**10,), dtype="f8", chunks=(1024,))
    with h5py.File(d / "huge-frames.nxs", "w") as f:
        f.create_dataset(DATA, shape=(10**9, 4, 4), dtype="u2", chunks=(1, 4, 4))
    tifffile.imwrite(d / "huge.tif", np.zeros((1, 1), np.uint16))
    patch_tiff_size(d / "huge.tif", 100000, 100000)
    (d / "not.h5").write_text("not HDF5\n")
    (d / "not.tif").write_text("not a TIFF\n")
    (d / "a").mkdir()
    (d / "b").mkdir()
    shutil.copy(FIXTURES / "buf1_00000.tif", d / "a" / "f.tif")
    shutil.copy(FIXTURES / "buf1_00000.tif", d / "b" / "f.tif")
    cal = json.loads((FIXTURES / "cal.json").read_text())
    cal["Masks"][0]["MaskFile"] = str(FIXTURES / "AAA_integ.msk")
    (d / "cal.json").write_text(json.dumps(cal))
    (d / "empty").mkdir()
    (d / "qc").mkdir()
    (d / "qc" / "saxs.h5").write_text("not HDF5")
    (d / "tqc").mkdir()
    (d / "tqc" / "tomo.h5").write_text("not HDF5")
    write_ptycho_inputs(d)
    frame = orient_data.frame(4, 0, seed=1)
    orient_data.write_id02(d / "id02.h5", [frame], "s_300mT_0001")
    orient_data.write_id02(d / "id02-nofield.h5", [frame], "s_nofield_0001")
    (d / "nocell.cif").write_text("data_x\n_cell_length_a 150\n_cell_length_b 150\n_cell_length_c 150\n"
                                  "_cell_angle_alpha 90\n_cell_angle_beta 90\n")
    orient_data.write_id02(d / "id02-nocentre.h5", [frame], "s_300mT_0001", header_changes={"Center_2": None})
    tifffile.imwrite(d / "mask-8x8.tif", np.zeros((8, 8), np.uint8))
    (d / "bad.chi").write_text("title\nq\n\n2\n0.1 5\n0.2 five\n")
    (d / "wide.chi").write_text("title\nq\n\n1\n0.1 5 1 2\n")
    (d / "notime.tsv").write_text("Sample\tValue\nwater\t1\n")
    (d / "backwards.tsv").write_text("Time\tV\n1700000000\t1\n1699999999\t2\n")
    (d / "onecolumn.tsv").write_text("Time\n1700000000\n")
    (d / "log.tsv").write_text("Time\tV\n1700000000\t1\n1700000100\t2\n")
    (d / "pilatus").mkdir()
    tifffile.imwrite(d / "pilatus" / "a.tif", np.zeros((2, 2), np.int32), metadata=None,
                     description="# 2023-11-14T22:13:25.000\r\n# Exposure_time 1.0000000 s\r\n")
    shutil.copytree(d / "pilatus", d / "badlog")
    (d / "badlog" / "det.log").write_text("title\n1.0 1.0 yesterday /ramdisk/a.tif\n")
    (d / "nodate").mkdir()
    tifffile.imwrite(d / "nodate" / "a.tif", np.zeros((2, 2), np.int32), metadata=None,
                     description="# Exposure_time 1.0000000 s\r\n")
    with h5py.File(d / "integrated.h5", "w") as f:  # two frames of three bins, as integrate writes them
        f["integrated/sasdata01/I"] = np.ones((2, 3))
        f["integrated/sasdata01/Q"] = np.array([0.1, 0.2, 0.3])
    return d


def patch_tiff_size(path, width, height):
    """Rewrites the ImageWidth and ImageLength entries (tags 256, 257) of a little-endian TIFF's first directory."""
    data = bytearray(path.read_bytes())
    assert data[:2] == b"II"
    ifd = int.from_bytes(data[4:8], "little")
    for i in range(int.from_bytes(data[ifd:ifd + 2], "little")):
        entry = ifd + 2 + 12 * i
        tag, kind = int.from_bytes(data[entry:entry + 2], "little"), int.from_bytes(data[entry + 2:entry + 4], "little")
        if tag in (256, 257):
            value = width if tag == 256 else height
            data[entry + 8:entry + 12] = (value if kind == 4 else value & 0xFFFF).to_bytes(4, "little")
            data[entry + 2:entry + 4] = (4).to_bytes(2, "little")
    path.write_bytes(bytes(data))


def calibration(d, name, change):
    """A copy of the calibration with `change(cal)` applied."""
    cal = json.loads((d / "cal.json").read_text())
    change(cal)
    path = d / f"cal-{name}.json"
    path.write_text(json.dumps(cal))
    return path


def geometry(key, value):
    return lambda cal: cal["Geometry"].__setitem__(key, value)


def first_mask(key, value):
    return lambda cal: cal["Masks"][0].__setitem__(key, value)


def poni(d, name, shape="[1043, 981]", distance="1.0"):
    """A pyFAI PONI file (version 2) with `shape` as Detector_config.max_shape and `distance` in m."""
    path = d / f"{name}.poni"
    path.write_text("poni_version: 2\nDetector: Detector\n"
                    f'Detector_config: {{"pixel1": 0.000172, "pixel2": 0.000172, "max_shape": {shape}}}\n'
                    f"Distance: {distance}\nPoni1: 0.1\nPoni2: 0.1\nRot1: 0\nRot2: 0\nRot3: 0\nWavelength: 1.54e-10\n")
    return path


def small_tiff(d, name):
    """A 5 × 7 float32 TIFF, the wrong size for any detector here."""
    path = d / f"{name}-5x7.tif"
    tifffile.imwrite(path, np.ones((5, 7), np.float32))
    return path


def specs(d, name, entries):
    path = d / f"spec-{name}.json"
    path.write_text(json.dumps(entries))
    return path


def sphere(**params):
    base = {"radius": 50.0, "sld": 20.0, "sld_solvent": 9.47, "scale": 0.01, "background": 0.001}
    base.update(params)
    return [{"model": "sphere", "params": base, "q": [0.01, 0.02, 0.05]}]


S = ["--set"]
INST = "instruments.0."
# (subcommand, arguments (callables take the inputs folder), fragment the error line must name)
SAXS = [
    (["--n=-5"], "n: the number of curves must be at least 1"),
    (S + ["n=abc"], "n: expected an integer"),
    (S + ["size=[100, 50]"], "size: min 100.0 is greater than max 50.0"),
    (S + ["size=[-10, 50]"], "size: must be > 0.0"),
    (S + ["size=[50, 1e300]"], "size"),
    (S + ["size=[50, .inf]"], "size"),
    (S + ["size=[1e-300, 50]"], "size"),
    (S + ["hollow_outer_radius=[70, 1e300]"], "hollow_outer_radius"),
    (S + ["hollow_inner_fraction=[0.5, 1.5]"], "hollow_inner_fraction: must stay below 1.0"),
    (S + ["cylinder_length_ratio=[1, 1e300]"], "cylinder_length_ratio"),
    (S + ["prolate_aspect=[1.3, 1e300]"], "prolate_aspect"),
    (S + ["oblate_aspect=[1e-300, 0.5]"], "oblate_aspect"),
    (S + ["polydispersity=[0, 1]"], "polydispersity: must stay below 1.0"),
    (S + ["sld=[11, 1e200]"], "sld"),
    (S + ["sld=[-1e200, 11]"], "sld"),
    (S + ["sld_core=[18, 1e200]"], "sld_core"),
    (S + ["sld_shell=[.nan, 1]"], "sld_shell"),
    (S + ["sld_solvent=[9.47, 1e100]"], "sld_solvent"),
    (S + ["volume_fraction=[0, 0.1]"], "volume_fraction"),
    (S + ["volume_fraction=[0.01, 2]"], "volume_fraction"),
    (S + ["background=.inf"], "background"),
    (S + ["background=1e300"], "background"),
    (S + ["detector=film"], "detector"),
    (S + ["save_frames=-1"], "save_frames"),
    (S + [INST + "q_min=0.2"], "instruments.0.q_max: must be greater than q_min"),
    (S + [INST + "beamstop_radius=5"], "instruments.0: q bin 0"),
    (S + ["instruments.1.mask=nope.msk"], "instruments.1.mask"),
    (S + ["instruments=[{name: x, q_min: 0.01, q_max: 0.1, q_points: 10, fwhm: 0.001, flux: 1e6}]"],
     "instruments.0.distance: missing"),
    (S + ["instruments.1.q_max=9"], "instruments.1.q_max"),
    (S + ["classes=[sphere, teapot]"], "classes.1: unknown shape class 'teapot'"),
    (["--batch-size", "0"], "batch_size: must be at least 1"),
    (S + ["instruments.5.flux=1"], "'5' is not an index"),
    (S + [INST + "flux=.inf"], "instruments.0.flux"),
    (S + [INST + "flux=1e21"], "instruments.0.flux"),
    (S + [INST + "flux=.nan"], "instruments.0.flux"),
    (S + [INST + "flux=-1"], "instruments.0.flux"),
    (S + [INST + "exposure=1e20"], "instruments.0.exposure"),
    (S + [INST + "exposure=1e300"], "instruments.0.exposure"),
    (S + [INST + "exposure=.inf"], "instruments.0.exposure"),
    (S + [INST + "exposure=0"], "instruments.0.exposure"),
    (S + [INST + "q_points=1000000000"], "instruments.0.q_points"),
    (S + [INST + "q_points=1"], "instruments.0.q_points"),
    (S + [INST + "q_spacing=cubic"], "instruments.0.q_spacing"),
    (S + [INST + "q_max=.inf"], "instruments.0.q_max"),
    (S + [INST + "wavelength=0"], "instruments.0.wavelength"),
    (S + [INST + "wavelength=.inf"], "instruments.0.wavelength"),
    (S + [INST + "wavelength=.nan"], "instruments.0.wavelength"),
    (S + [INST + "fwhm=1e300"], "instruments.0.fwhm"),
    (S + [INST + "fwhm=1e-300"], "instruments.0.fwhm"),
    (S + [INST + "transmission=2"], "instruments.0.transmission"),
    (S + [INST + "thickness=1e300"], "instruments.0.thickness"),
    (S + [INST + "thickness=.nan"], "instruments.0.thickness"),
    (S + [INST + "efficiency=0"], "instruments.0.efficiency"),
    (S + [INST + "background=-1"], "instruments.0.background"),
    (S + [INST + "background=1e300"], "instruments.0.background"),
    (S + [INST + "distance=1e300"], "instruments.0.distance"),
    (S + [INST + "beam_center=[.nan, 1]"], "instruments.0.beam_center"),
    (S + [INST + "beamstop_radius=1e300"], "instruments.0.beamstop_radius"),
    (S + [INST + "detector=pilatus9m"], "instruments.0.detector"),
    (["--seed", "-5"], "--seed"),
    (["--batch-size", "-5"], "batch_size"),
    (["--compression", "10"], "compression"),
    (["--batches-per-write", "1000000000000000000"], "--batches-per-write"),
    (["--n", "100000000000000"], "--dry-run shows the estimate"),
    (["--n", "10000000000"], "--dry-run shows the estimate"),
    (["--frobnicate"], "--frobnicate"),
]
SAXS_MODEL = [
    (lambda d: specs(d, "unknown-param", sphere(raduis=40)), "raduis"),
    (lambda d: specs(d, "negative-radius", sphere(radius=-50)), "radius"),
    (lambda d: specs(d, "negative-radius-pd", sphere(radius=-50, radius_pd=0.05)), "radius"),
    (lambda d: specs(d, "huge-pd-n", sphere(radius_pd=0.1, radius_pd_n=1e9)), "radius_pd_n"),
    (lambda d: specs(d, "nan-pd-n", sphere(radius_pd=0.1, radius_pd_n=float("nan"))), "spec-nan-pd-n.json"),
    (lambda d: specs(d, "huge-radius", sphere(radius=1e300)), "radius"),
    (lambda d: specs(d, "huge-sld", sphere(sld=1e200)), "sld"),
    (lambda d: specs(d, "pd-one", sphere(radius_pd=1.5)), "radius_pd"),
    (lambda d: specs(d, "nsigma", sphere(radius_pd=0.1, radius_pd_nsigma=1e9)), "radius_pd_nsigma"),
    (lambda d: specs(d, "no-solvent", [{"model": "sphere", "params": {"radius": 50, "sld": 20}, "q": [0.01]}]),
     "sld_solvent"),
    (lambda d: specs(d, "teapot", [{"model": "teapot", "params": {"sld_solvent": 1}, "q": [0.01]}]), "teapot"),
    (lambda d: specs(d, "negative-q", [dict(sphere()[0], q=[-0.01, 0.02])]), "q"),
    (lambda d: specs(d, "many-q", [dict(sphere()[0], q=[0.01] * 1_000_001)]), "q"),
    (lambda d: specs(d, "not-a-list", {"model": "sphere"}), "spec-not-a-list.json"),
    (lambda d: d / "missing.json", "missing.json"),
    (lambda d: d / "not.tif", "not.tif"),
]
INTEGRATE = [
    (lambda d: ["--calibration", d / "cal.json", d / "huge.tif"], "huge.tif"),
    (lambda d: ["--calibration", calibration(d, "ppre", first_mask("PixelPerRadialElement", 1e-9)), d / "a/f.tif"],
     "PixelPerRadialElement"),
    (lambda d: ["--calibration", calibration(d, "ppre-inf", first_mask("PixelPerRadialElement", 1e300)),
                d / "a/f.tif"], "PixelPerRadialElement"),
    (lambda d: ["--calibration", calibration(d, "huge", geometry("Imagesize", [1000000, 1000000])), d / "a/f.tif"],
     "Imagesize"),
    (lambda d: ["--calibration", calibration(d, "distance", geometry("DedectorDistanceMM", 1e300)), d / "a/f.tif"],
     "DedectorDistanceMM"),
    (lambda d: ["--calibration", calibration(d, "pixel", geometry("PixelSizeMicroM", [1e-300, 1e-300])),
                d / "a/f.tif"], "PixelSizeMicroM"),
    (lambda d: ["--calibration", calibration(d, "wavelength", lambda c: c.__setitem__("Wavelength", 1e300)),
                d / "a/f.tif"], "Wavelength"),
    (lambda d: ["--calibration", calibration(d, "oversampling", first_mask("Oversampling", 0)), d / "a/f.tif"],
     "Oversampling"),
    (lambda d: ["--calibration", calibration(d, "qstop", first_mask("qStop", -1)), d / "a/f.tif"], "qStop"),
    (lambda d: ["--calibration", calibration(d, "pol", lambda c: c.__setitem__(
        "PolarizationCorrection", {"Fraction": 2})), d / "a/f.tif"], "PolarizationCorrection.Fraction"),
    (lambda d: ["--calibration", calibration(d, "polangle", lambda c: c.__setitem__(
        "PolarizationCorrection", {"Fraction": 0.9, "Angle": 1e300})), d / "a/f.tif"], "PolarizationCorrection.Angle"),
    (lambda d: ["--calibration", calibration(d, "incident", lambda c: c.__setitem__("Slices", [
        {"Direction": "x", "Plane": "InPlane", "CutPosition": 500, "IncidentAngle": 1e300}])), d / "a/f.tif"],
     "Slices[0].IncidentAngle"),
    (lambda d: ["--calibration", calibration(d, "margin", lambda c: c.__setitem__("Slices", [
        {"Direction": "x", "Plane": "InPlane", "CutPosition": 500, "CutMargin": 1000000000}])), d / "a/f.tif"],
     "Slices[0].CutMargin"),
    (lambda d: ["--calibration", calibration(d, "unknown", lambda c: c.__setitem__("Colour", 1)), d / "a/f.tif"],
     "Colour"),
    (lambda d: ["--calibration", calibration(d, "masks", lambda c: c.__setitem__("Masks", [])), d / "a/f.tif"],
     "Masks"),
    (lambda d: ["--calibration", calibration(d, "tilt", lambda c: c["Geometry"]["Tilt"].__setitem__(
        "TiltAngleDeg", 95)), d / "a/f.tif"], "TiltAngleDeg"),
    (lambda d: ["--calibration", poni(d, "shape", shape="[1e300, 10]"), d / "a/f.tif"], "max_shape"),
    (lambda d: ["--calibration", poni(d, "shape-nan", shape="[1043.5, 981]"), d / "a/f.tif"], "max_shape"),
    (lambda d: ["--calibration", poni(d, "distance", distance="1e300"), d / "a/f.tif"], "Distance"),
    # pyFAI corrections (issue 25): a dark of another size names the file and both sizes; the polarization factor
    # is pyFAI's, in [-1, 1]; SAXSDog calibrations keep SAXSDog's behaviour.
    (lambda d: ["--calibration", poni(d, "dark"), "--dark", small_tiff(d, "dark"), d / "a/f.tif"],
     "dark-5x7.tif: the dark frame is 5 × 7 pixels; the calibration's detector is 1043 × 981"),
    (lambda d: ["--calibration", poni(d, "flat"), "--flat", small_tiff(d, "flat"), d / "a/f.tif"],
     "flat-5x7.tif: the flat frame is 5 × 7 pixels"),
    (lambda d: ["--calibration", poni(d, "dark-missing"), "--dark", d / "nodark.tif", d / "a/f.tif"], "nodark.tif"),
    (lambda d: ["--calibration", poni(d, "pol"), "--polarization", "1.5", d / "a/f.tif"], "polarization"),
    (lambda d: ["--calibration", poni(d, "pol-set"), "--set", "polarization=-2", d / "a/f.tif"], "polarization"),
    (lambda d: ["--calibration", d / "cal.json", "--solid-angle", d / "a/f.tif"], "--solid-angle applies to PONI"),
    (lambda d: ["--calibration", d / "cal.json", "--dark", small_tiff(d, "dark"), d / "a/f.tif"],
     "--dark applies to PONI"),
    (lambda d: ["--calibration", poni(d, "npt"), "--npt", "0", d / "a/f.tif"], "npt"),
    (lambda d: ["--calibration", poni(d, "unit"), "--unit", "q_nm", d / "a/f.tif"],
     "must be one of q_nm^-1, q_A^-1 (pyFAI's names), 1/nm, 1/angstrom (got 'q_nm')"),
    (lambda d: ["--calibration", poni(d, "unit-2th"), "--unit", "2th_deg", d / "a/f.tif"],
     "does not bin in (it bins in q): use q_nm^-1 (1/nm) or q_A^-1"),
    (lambda d: ["--calibration", d / "cal.json", "--npt", "100", d / "a/f.tif"], "--npt applies to PONI"),
    (lambda d: ["--calibration", d / "cal.json", "--chi", "--chi-layout", "flat", d / "a/f.tif", d / "b/f.tif"],
     "b/f.tif"),
    (lambda d: ["--calibration", d / "cal.json", "--chi", "--chi-layout", "relpath:../work", d / "a/f.tif",
                d / "b/f.tif"], "work/f.chi"),
    (lambda d: ["--calibration", d / "cal.json", "--chi", "--chi-layout", "beside", d / "a/f.tif"], "chi_layout"),
    (lambda d: ["--calibration", d / "cal.json", "--chi", "--chi-layout", "relpath:/tmp", d / "a/f.tif"],
     "chi_layout"),
    (lambda d: ["--calibration", d / "cal.json", "--pattern", "*.edf", d / "a"], "*.edf"),
    (lambda d: ["--calibration", d / "cal.json", "--pattern", "", d / "a"], "pattern"),
    (lambda d: ["--calibration", d / "cal.json", "--recursive", d / "empty"], "empty"),
    (lambda d: ["--calibration", calibration(d, "phi-band", lambda c: c["Masks"][0].update(
        {"Phi-mode": True, "qStart": 0, "qStop": 0})), d / "a/f.tif"], "qStop"),
    (lambda d: ["--calibration", d / "cal.json", "--chi", d / "a/f.tif", d / "a/f.tif"], "a/f.tif"),
    (lambda d: ["--calibration", d / "missing.json", d / "a/f.tif"], "missing.json"),
    (lambda d: ["--calibration", d / "not.tif", d / "a/f.tif"], "not.tif"),
    (lambda d: ["--calibration", d / "cal.json", d / "missing.tif"], "missing.tif"),
    (lambda d: ["--calibration", d / "cal.json", d / "not.tif"], "not.tif"),
    (lambda d: ["--calibration", d / "cal.json", d / "not.h5"], "not.h5"),
    (lambda d: ["--calibration", d / "cal.json", d / "empty"], "empty"),
    (lambda d: ["--calibration", d / "cal.json"], "input"),
    (lambda d: [d / "a/f.tif"], "--calibration"),
    (lambda d: ["--calibration", d / "cal.json", "--split", "halves", d / "a/f.tif"], "split"),
    (lambda d: ["--calibration", d / "cal.json", "--q-unit", "1/pm", d / "a/f.tif"], "q_unit"),
    (lambda d: ["--calibration", d / "cal.json", "--overflow", "nan", d / "a/f.tif"], "overflow"),
    (lambda d: ["--calibration", d / "cal.json", "--set", "oversampling=99", d / "a/f.tif"], "oversampling"),
    (lambda d: ["--calibration", d / "cal.json", "--mask", d / "missing.msk", d / "a/f.tif"], "missing.msk"),
    (lambda d: ["--calibration", d / "cal.json", "--data-path", "/nope", d / "100.nxs"], "/nope"),
    # integrate --watch DIR: each flag checked before anything starts.
    (lambda d: ["--calibration", d / "cal.json", "--watch", d / "missing"], "--watch"),
    (lambda d: ["--calibration", d / "cal.json", "--watch", d / "a", d / "a/f.tif"], "--watch"),
    (lambda d: ["--calibration", d / "cal.json", "--watch", d / "a", "--poll", "0"], "--poll"),
    (lambda d: ["--calibration", d / "cal.json", "--watch", d / "a", "--ready-timeout", "0"], "--ready-timeout"),
    (lambda d: ["--calibration", d / "cal.json", "--watch", d / "a", "--settle", "nan"], "--settle"),
    (lambda d: ["--calibration", d / "cal.json", "--watch", d / "a", "--until-idle", "5", "--max-frames", "3"],
     "--until-idle"),
    (lambda d: ["--calibration", d / "cal.json", "--watch", d / "a", "--max-frames", "0"], "--max-frames"),
    (lambda d: ["--calibration", d / "cal.json", "--poll", "1", d / "a/f.tif"], "--poll"),
    (lambda d: ["--calibration", d / "missing.json", "--watch", d / "a"], "missing.json"),
]
TOMO = [
    (["-N", "0"], "size"),
    (["-N", "-5"], "size"),
    (["-N", "100000"], "size"),
    (["--objects", "0"], "objects"),
    (["--objects", "400000"], "objects"),
    (["-S", "0"], "samples"),
    (["--start", "-1"], "start"),
    (["--mode", "medium"], "mode"),
    (["--shiftstep=-1"], "shiftstep"),
    (["-N", "16", "--shifts", "9", "--shiftstep", "5"], "shiftstep"),
    (["--I0", "0"], "I0"),
    (["--I0", "inf"], "I0"),
    (["--I0", "1e300"], "I0"),
    (["--flatsnum", "0"], "flats"),
    (S + ["phantom.radius=[0.5, 0.1]"], "phantom.radius"),
    (S + ["phantom.radius=[0, 0.1]"], "phantom.radius"),
    (S + ["phantom.x=[-2, 1]"], "phantom.x"),
    (S + ["phantom.density=[.nan, 1]"], "phantom.density"),
    (S + ["phantom.density=[0, 1e300]"], "phantom.density"),
    (S + ["stripes.max_thickness=11", "--mode", "simple"], "stripes.max_thickness"),
    (S + ["stripes.percentage=-1", "--mode", "simple"], "stripes.percentage"),
    (S + ["stripes.type=zigzag", "--mode", "simple"], "stripes.type"),
    (S + ["flat_field.speckle_size=0"], "flat_field.speckle_size"),
    (S + ["flat_field.electronic_noise=.inf"], "flat_field.electronic_noise"),
    (S + ["flat_field.bessel=[25, 1]"], "flat_field.bessel"),
    (S + ["flat_field.defect_smoothing=1e300"], "flat_field.defect_smoothing"),
    (S + ["flat_field.speckle_density=1e300"], "flat_field.speckle_density"),
    (S + ["flat_field.speckle_size=1e300"], "flat_field.speckle_size"),
    (S + ["flat_field.electronic_noise=1e300"], "flat_field.electronic_noise"),
    (S + ["stripes.intensity=1e300", "--mode", "simple"], "stripes.intensity"),
    (["-N", "2048"], "of memory per rank"),
]
TOMO_QC = [
    (lambda d: ["--root", d / "missing"], "missing"),
    (lambda d: ["--root", d / "empty"], "empty"),
    (lambda d: ["--root", d / "tqc"], "tomo.h5"),
    (lambda d: ["--root", d / "tqc", "--item", "x"], "--item"),
]
SAXS_QC = [
    (lambda d: [d / "missing"], "missing"),
    (lambda d: [d / "empty"], "empty"),
    (lambda d: [d / "qc"], "/qc/"),
    (lambda d: [], "DIR"),
]
STACK = [
    (lambda d: [d / "missing.nxs"], "missing.nxs"),
    (lambda d: [d / "not.h5"], "not.h5"),
    (lambda d: [d / "100.nxs", "--chunk-size", "0"], "chunk_size"),
    (lambda d: [d / "100.nxs", "--shifts", "0"], "shifts"),
    (lambda d: [d / "100.nxs", "--shifts", "3"], "101.nxs"),
    (lambda d: [d / "100.nxs", "--mode", "sideways"], "mode"),
    (lambda d: [d / "100.nxs", "--set", "output_shape=[0, 32]"], "output_shape"),
    (lambda d: [d / "100.nxs", "--set", "output_shape=[1000000000, 1000000000]"], "output_shape"),
    (lambda d: [d / "100.nxs", "--set", "edge_rows=-1"], "edge_rows"),
    (lambda d: [d / "100.nxs", "--set", "frame_angles=0"], "frame_angles"),
    (lambda d: [d / "100.nxs", "--set", "patch_size=[0, 0]"], "patch_size"),
    (lambda d: [d / "100.nxs", "--set", "sample=-1"], "sample"),
    (lambda d: [d / "100.nxs", "--set", "edge_rows=9000000000000000000"], "edge_rows"),
    (lambda d: [d / "100.nxs", "--shifts", "1000000000"], "shifts"),
    (lambda d: [d / "100.nxs", "--shifts", "2", "--shiftstep", "9000000000000000000"], "shift_step"),
    (lambda d: [d / "100.nxs", "--data-path", "/nope"], "/nope"),
    (lambda d: [d / "100.nxs", "--mode", "paired", "--set", "paired_stripes.percentage=-1"],
     "paired_stripes.percentage"),
    (lambda d: [d / "100.nxs", "--mode", "paired", "--mask", d / "missing.npz"], "missing.npz"),
    (lambda d: [d / "300.nxs"], "300.nxs"),
    (lambda d: [d / "100.nxs", "--flats", d / "not.h5"], "not.h5"),
    (lambda d: [d / "huge-angles.nxs"], "rotation_angle have shape [10000000000]"),
    (lambda d: [d / "huge-frames.nxs"], "declares 1000000000 frames"),
]
MASK = [
    (lambda d: [d / "huge-angles.nxs"], "rotation_angle have shape [10000000000]"),
    (lambda d: [d / "100.nxs", "--set", "stripe_mask.threshold=.nan"], "stripe_mask.threshold"),
    (lambda d: [d / "100.nxs", "--set", "stripe_mask.size=0"], "stripe_mask.size"),
    (lambda d: [d / "100.nxs", "--set", "stripe_mask.radius=0"], "stripe_mask.radius"),
    (lambda d: [d / "100.nxs", "--set", "stripe_mask.min_length=0"], "stripe_mask.min_length"),
    (lambda d: [d / "100.nxs", "--set", "stripe_mask.min_depth=-1"], "stripe_mask.min_depth"),
    (lambda d: [d / "100.nxs", "--set", "stripe_mask.sensitivity=200"], "stripe_mask.sensitivity"),
    (lambda d: [d / "100.nxs", "--set", "stripe_mask.threshold=1e300"], "stripe_mask.threshold"),
    (lambda d: [d / "100.nxs", "--set", "stripe_mask.min_width=9000000000000000000"], "stripe_mask.min_width"),
    (lambda d: [d / "100.nxs"], "stripe_mask"),
    (lambda d: [d / "missing.nxs"], "missing.nxs"),
    (lambda d: [d / "not.h5"], "not.h5"),
    (lambda d: [d / "100.nxs", "--chunk-size", "-3"], "--chunk-size"),
]
PU = ["--energy", "7keV", "--distance", "2m", "--pixel-size", "75um", "--pos-units", "um"]
def PT(d, table):
    """A TIFF series with one of its EPICS CSVs (ptycho_data.write_bad_inputs)."""
    return ["--pattern", d / "pt" / "scan_*.tif", "--csv", d / "pt" / table]


PTYCHO = [
    (lambda d: [d / "pscan.h5", "--energy", "7000", "--distance", "2m", "--pixel-size", "75um"], "energy: '7000' has no unit"),
    (lambda d: [d / "pscan.h5", "--distance", "2m", "--pixel-size", "75um"], "energy: missing"),
    (lambda d: [d / "pscan.h5", *PU, "--pos-x", "/entry/nope"], "no dataset /entry/nope; it holds: /entry/data/data"),
    (lambda d: [d / "pscan.h5", *PU, "--data-path", "/entry/frames"], "no dataset /entry/frames"),
    (lambda d: [d / "pscan.h5", *PU, "--frames-per-pos", "4"], "frames_per_pos: 6 frames are not a whole number"),
    (lambda d: [d / "pscan-5pos.h5", *PU, "--frames-per-pos", "2"], "pos_x: "),
    (lambda d: [d / "pscan.h5", *PU, "--mask", d / "pmask.h5"], "a mask of 64 × 64 expected"),
    (lambda d: [d / "pscan.h5", *PU, "--dark", d / "pmask.h5"], "dark: "),
    (lambda d: [d / "pscan.h5", "--energy", "7keV", "--distance", "2m", "--pixel-size", "75um"], "pos_units"),
    (lambda d: [d / "pscan.h5", *PU[2:], "--energy-path", "/entry/instrument/NDAttributes/Energy"],
     "energy_path: "),
    (lambda d: [d / "pscan.h5", *PU, "--rotate", "45"], "rotate: must be 0, 90, 180 or 270"),
    (lambda d: [d / "pscan.h5", *PU, "--flip", "x"], "flip: must be none, h, v or hv"),
    (lambda d: [d / "pscan.h5", *PU, "--grouping", "teapot"], "grouping: must be one of"),
    (lambda d: [d / "pscan.h5", *PU, "--roi", "32"], "--roi: must be rows,columns"),
    (lambda d: [d / "pscan.h5", *PU, "--roi", "8,8", "--center", "500,500"], "center: the ROI"),
    (lambda d: [d / "pscan.h5", *PU, "--center", "half,half"], "center: 'half'"),
    (lambda d: [d / "pscan.h5", *PU, "--distance", "2 furlong"], "distance"),
    (lambda d: [d / "pscan.h5", *PU, "--bin", "3"], "bin: the 64 × 64 pattern is not a multiple of bin 3"),
    (lambda d: [d / "pscan.h5", *PU, "--roi", "48,40", "--bin", "3"], "bin: the roi 48,40 is not a multiple of bin 3"),
    (lambda d: [d / "pscan.h5", *PU, "--bin", "0"], "bin: "),
    (lambda d: [d / "pscan.h5", *PU, "--rect", "0,0,1e-6"], "rect: must be CX CY W H"),
    (lambda d: [d / "pscan.h5", *PU, "--circ", "-1m,1m,1um"], "circ: selects none of the 6 positions"),
    (lambda d: [d / "pscan.h5", *PU, "--circ", "0,0,2parsec"], "circ: unknown length unit 'parsec'"),
    (lambda d: [d / "pscan.h5", *PU, "--rect", "0,0,1um,-1um"], "rect: width and height must be > 0"),
    (lambda d: [d / "missing.h5", *PU], "missing.h5"),
    (lambda d: [d / "not.h5", *PU], "not.h5"),
    (lambda d: [*PT(d, "epics-dup.csv")], "frame_index 3 appears more than once"),
    (lambda d: [*PT(d, "epics-short.csv")], "has no row for frame_index 6 (scan_6.tif)"),
    (lambda d: [*PT(d, "epics-extra.csv")], "frame_index 7 has no file matching"),
    (lambda d: [*PT(d, "epics-nopixel.csv")], "lacks the column(s) pixel_m"),
    (lambda d: [*PT(d, "sidecar-nopixel.h5")], "no dataset /pixel_m; it holds: /det_dist_m"),
    (lambda d: ["--pattern", d / "pt" / "nothing_*.tif", "--csv", d / "pt" / "epics.csv"],
     "no file matches the pattern"),
    (lambda d: ["--pattern", d / "pt" / "scan_*.tif"], "csv: a TIFF pattern needs its EPICS CSV"),
    (lambda d: [*PT(d, "epics.csv"), "--dark-path", "/entry/dark"], "dark_path: names a place in an HDF5 input"),
    (lambda d: [*PT(d, "epics.csv"), d / "pscan.h5"], "pattern: give an HDF5 input or a TIFF pattern, not both"),
    (lambda d: ["--pattern", d / "ptdup" / "scan_*.tif", "--csv", d / "ptdup" / "epics.csv"],
     "frame number 1 again"),
    (lambda d: ["--pattern", d / "ptmulti" / "scan_*.tif", "--csv", d / "ptmulti" / "epics.csv"],
     "holds 2 frames; a TIFF series has one frame per file"),
]
PQ = ["--data-path", "/entry/instrument/detector/data", "--pos-x-path", "/entry/instrument/NDAttributes/SampleX",
      "--pos-y-path", "/entry/instrument/NDAttributes/SampleY"]
PTYCHO_QC = [
    (lambda d: [d / "pscan.h5"], "data_path: "),
    (lambda d: [d / "pscan.h5"], "no dataset /entry_1/data_1/data; it holds: /entry/data/data"),
    (lambda d: [d / "pscan.h5", *PQ], "distance_path: "),
    (lambda d: [d / "pscan.h5", *PQ[:4], "--pos-y-path", "/entry/nope"], "pos_y_path: "),
    (lambda d: [d / "pscan-5pos.h5", *PQ], "pos_x_path: "),
    (lambda d: [d / "missing.h5"], "missing.h5"),
    (lambda d: [d / "not.h5"], "not.h5"),
    (lambda d: [d / "pscan.h5", "--reject-topk", "3", "--reject-thresh", "0.5"], "give one of reject_topk"),
    (lambda d: [d / "pscan.h5", "--reject-topp", "1.5"], "reject_topp"),
    (lambda d: [d / "pscan.h5", "--rect", "0,0,1e-6"], "rect: must be CX CY W H"),
    (lambda d: [d / "pscan.h5", "--circ", "-1e-6,0,-1"], "circ: the radius must be > 0"),
    (lambda d: [d / "pscan.h5", "--circ", "0,zero,1"], "circ.1: expected a number"),
    (lambda d: [d / "pscan.h5", "--embed-side", "1"], "embed_side"),
    (lambda d: [d / "pscan.h5", *PQ, "--bin", "5"], "bin: "),
    (lambda d: [d / "pscan.h5", *PQ, "--bin", "5"], "the 64 × 64 patterns are not a multiple of bin 5"),
    (lambda d: [d / "pscan.h5", "--roi", "32,30", "--bin", "4"], "bin: the roi 32,30 is not a multiple of bin 4"),
    (lambda d: [d / "pscan.h5", "--roi", "32"], "--roi: must be rows,columns"),
    (lambda d: [d / "pscan.h5", *PQ[:2], "--pos-x-path", "/entry/instrument/NDAttributes/SampleX[:,x]"],
     "pos_x_path: '/entry/instrument/NDAttributes/SampleX[:,x]': select a column as PATH[:,K]"),
    (lambda d: [d / "pscan.h5", *PQ, "--pos-x-path", "/entry/instrument/NDAttributes/SampleX[:,0]"],
     "pos_x_path: "),
    (lambda d: [], "input: missing"),
]
OUTPUT = {"ptycho-qc": "qc.h5", "saxs": "saxs.h5", "integrate": "integrated.h5", "tomo": "tomo.h5", "stack": "stack.h5", "mask": "mask.h5",
          "ptycho-ingest": "ptycho.h5", "orient": "orient.h5"}
OQ = ["--q", "0.03", "--dq", "0.004", "--chi-bin", "2"]
ORIENT = [
    (lambda d: ["--q", "0.5", "--dq", "0.01", d / "id02.h5"], "lies outside the detector"),
    (lambda d: ["--q", "0.03", "--dq", "0.0005", d / "id02.h5"], "pixels per 1 deg chi bin on average"),
    (lambda d: [*OQ, d / "id02-nofield.h5"], "no magnetic field in the title 's_nofield_0001'"),
    (lambda d: [*OQ, d / "id02-nocentre.h5"], "the header has no Center_2"),
    (lambda d: [*OQ, "--mask", d / "mask-8x8.tif", d / "id02.h5"], "8 × 8"),
    (lambda d: ["--q", "0.03", d / "id02.h5"], "dq"),
    (lambda d: [*OQ, "--dq-rel", "0.1", d / "id02.h5"], "not both"),
    (lambda d: ["--q", "0.03,x", "--dq", "0.004", d / "id02.h5"], "--q"),
    (lambda d: ["--q", "0.001", "--dq", "0.004", d / "id02.h5"], "reaches q = 0"),
    (lambda d: [*OQ, "--chi-bin", "7", d / "id02.h5"], "chi_bin"),
    (lambda d: [*OQ, "--field-from", "csv", d / "id02.h5"], "field_from"),
    (lambda d: [*OQ, d / "missing.h5"], "missing.h5"),
    (lambda d: [*OQ, "--model", "ms,gauss", d / "id02.h5"], "unknown model 'gauss'"),
    (lambda d: [*OQ, "--model", "pv,pv", d / "id02.h5"], "named twice"),
    (lambda d: [*OQ, "--reflection-type", "sideways", d / "id02.h5"], "reflection_type"),
    (lambda d: [*OQ, "--plot-frames", "0,x", d / "id02.h5"], "--plot-frames"),
    (lambda d: [*OQ, "--plot-frames", "3", d / "id02.h5"], "frame 3 is beyond the run's 1 frames"),
    (lambda d: [*OQ, "--plot-frames", "0,0", d / "id02.h5"], "plot_frames"),
    (lambda d: [*OQ, "--director", "400", d / "id02.h5"], "director"),
    (lambda d: [*OQ, "--maps", "--map-bins", "1", d / "id02.h5"], "map_bins"),
    (lambda d: ["--dq-rel", "0.1", "--reflection", "1,1,0", d / "id02.h5"], "the reflection 1,1,0 needs a unit cell"),
    (lambda d: ["--dq-rel", "0.1", "--reflection", "1,1", "--cell", "150,150,150,90,90,90", d / "id02.h5"],
     "--reflection"),
    (lambda d: ["--dq-rel", "0.1", "--reflection", "1,1,1", "--cell", "150,150,150,90,90", d / "id02.h5"], "cell"),
    (lambda d: ["--dq-rel", "0.1", "--reflection", "1,1,1", "--cell", "150,150,150,10,10,170", d / "id02.h5"],
     "make no cell"),
    (lambda d: ["--dq-rel", "0.1", "--reflection", "1,1,1", "--cif", d / "nocell.cif", d / "id02.h5"],
     "no _cell_angle_gamma line"),
]
CONVERT = [
    (lambda d: [d / "not.tif", d / "out.json"], "not.tif"),
    (lambda d: [d / "missing.txt", d / "out.json"], "missing.txt"),
    (lambda d: [FIXTURES / "fit2d-calibration.txt", d / "out.txt"], "out.txt"),
    (lambda d: [FIXTURES / "fit2d-calibration.txt", d / "out.poni"], "fit2d-calibration.txt"),
    (lambda d: [FIXTURES / "fit2d-calibration.txt", d / "out.json", "--from", "nika2"], "--from"),
    (lambda d: [FIXTURES / "fit2d-calibration.txt", d / "out.json", "--template", d / "missing.json"],
     "missing.json"),
    (lambda d: [FIXTURES / "fit2d-calibration.txt", d / "out.json", "--template", d / "not.h5"], "not.h5"),
    (lambda d: [d / "cal.json", d / "out.json", "--from", "fit2d"], "cal.json"),
    (lambda d: [FIXTURES / "fit2d-calibration.txt", d / "out.json", "--from", "poni"],
     "not a SAXSDog JSON calibration nor a PONI file"),
]
PLOT = [
    (lambda d: [d / "missing.chi"], "missing.chi: cannot read"),
    (lambda d: [d / "bad.chi"], "bad.chi: line 6: 'five' is not a number"),
    (lambda d: [d / "wide.chi"], "wide.chi: line 5 has 4 columns"),
    (lambda d: [f"{d / 'integrated.h5'}:2"], "frame 2 is out of range"),
    (lambda d: [d / "integrated.h5", "--frames", "5"], "frame 5 is out of range"),
    (lambda d: [d / "integrated.h5", "--group", "sasdata09"], "/integrated/sasdata09/I"),
    (lambda d: [d / "not.h5"], "not.h5"),
    (lambda d: [d / "integrated.h5", "-c", "--frames", "0"], "--compare"),
    (lambda d: [d / "integrated.h5", "-o", d / "plot.pdf"], "--out"),
    (lambda d: [d / "integrated.h5", "-y", "sqrt"], "--yscale"),
    (lambda d: [d / "integrated.h5", "-k", "3"], "no points left"),
]
MERGE = [
    (lambda d: [d / "pilatus", d / "notime.tsv", "-o", d / "m"], "notime.tsv: line 2: no time in the first column"),
    (lambda d: [d / "pilatus", d / "backwards.tsv", "-o", d / "m"], "backwards.tsv: line 3: time 1699999999 does not rise"),
    (lambda d: [d / "pilatus", d / "onecolumn.tsv", "-o", d / "m"], "onecolumn.tsv: line 1"),
    (lambda d: [d / "pilatus", d / "missing.tsv", "-o", d / "m"], "missing.tsv"),
    (lambda d: [d / "empty", d / "log.tsv", "-o", d / "m"], "no images"),
    (lambda d: [d / "nodir", d / "log.tsv", "-o", d / "m"], "nodir: no such directory"),
    (lambda d: [d / "nodate", d / "log.tsv", "-o", d / "m"], "a.tif: the TIFF header has no date"),
    (lambda d: [d / "badlog", d / "log.tsv", "-o", d / "m"], "det.log: line 2: 'yesterday' is not a date"),
    (lambda d: [d / "pilatus", "-o", d / "m"], "LOGS"),
    (lambda d: [d / "pilatus", d / "log.tsv", "--time-offset", "1000", "-o", d / "m"], "no overlap"),
    (lambda d: [d / "pilatus", d / "log.tsv", "-1", "Peak", "-o", d / "m"], "Peak: no log table"),
    (lambda d: [d / "pilatus", d / "log.tsv", "--average", "X (log)", "-o", d / "m"], "--average"),
    (lambda d: [d / "pilatus", d / "log.tsv", "--table-offset", "log:5", "-o", d / "m"], "--table-offset"),
    (lambda d: [d / "pilatus", d / "log.tsv", "--image-time", "middle", "-o", d / "m"], "--image-time"),
    (lambda d: [d / "pilatus", d / "log.tsv", "--sync-plot", d / "sync.pdf", "-o", d / "m"], "--sync-plot"),
]
CASES = ([("saxs", a, f) for a, f in SAXS] + [("saxs-model", a, f) for a, f in SAXS_MODEL]
         + [("saxs-qc", a, f) for a, f in SAXS_QC] + [("integrate", a, f) for a, f in INTEGRATE]
         + [("tomo", a, f) for a, f in TOMO] + [("tomo-qc", a, f) for a, f in TOMO_QC]
         + [("stack", a, f) for a, f in STACK] + [("mask", a, f) for a, f in MASK]
         + [("ptycho-ingest", a, f) for a, f in PTYCHO] + [("ptycho-qc", a, f) for a, f in PTYCHO_QC]
         + [("convert", a, f) for a, f in CONVERT]
         + [("orient", a, f) for a, f in ORIENT] + [("plot", a, f) for a, f in PLOT]
         + [("merge", a, f) for a, f in MERGE])


def test_the_table_is_large():
    assert len(CASES) >= 100
    assert {c for c, _, _ in CASES} == {"saxs", "saxs-model", "saxs-qc", "integrate", "tomo", "tomo-qc", "stack",
                                       "mask", "ptycho-ingest", "ptycho-qc", "convert", "orient", "plot",
                                       "merge"}


def command(subcommand, args, inputs, out):
    args = args(inputs) if callable(args) else args
    args = [str(a) for a in (args if isinstance(args, list) else [args])]
    if subcommand == "saxs":
        return ["saxs", "--config", CONFIG, "--set", "n=4", "--no-progress", "--out", str(out), *args]
    if subcommand == "saxs-model":
        return ["saxs-model", "--specs", *args]
    if subcommand in ("integrate", "stack", "mask", "ptycho-ingest", "ptycho-qc", "orient"):
        return [subcommand, "--no-progress", "--out", str(out), *args]
    if subcommand == "tomo":
        return ["tomo", "-N", "16", "--no-progress", "--out", str(out), *args]
    return [subcommand, *args]


@pytest.mark.parametrize("subcommand, args, fragment", CASES,
                         ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(CASES)])
def test_bad_invocation(inputs, tmp_path, subcommand, args, fragment):
    """Exit 2, exactly one line on stderr naming the culprit, no crash report, no hang, no complete output."""
    out = tmp_path / "o"
    r = run([BEAMFORGE, *command(subcommand, args, inputs, out)], timeout=30)
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert r.returncode == 2, r.stderr
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("beamforge: error: "), lines[0]
    assert fragment in lines[0], lines[0]
    for crash in ("Fatal error", "Stack dump", "Traceback", "Backtrace", "Program crashed", "Assertion failed"):
        assert crash not in r.stderr + r.stdout
    assert subcommand not in OUTPUT or not (out / OUTPUT[subcommand]).exists()
