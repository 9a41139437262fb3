#!/usr/bin/env python3
"""Digests of every workload's outputs on small inputs, to check that a refactoring changes no output bit.

    .venv/bin/python scripts/snapshot_outputs.py WORKDIR > before.json     # on the old build
    .venv/bin/python scripts/snapshot_outputs.py WORKDIR > after.json      # on the new build, same WORKDIR
    diff before.json after.json

Runs saxs, tomo (simple, complex and tomo-qc), mask, stack (raw, paired, dynamic, patch) and integrate (a real frame, a stack,
phi-mode) with 1-3 ranks into WORKDIR (emptied first; use the same WORKDIR for both runs, since configurations
recorded in the files name their paths). Every HDF5 dataset and attribute is hashed, except the provenance that
names a time or version (`created`, `runs`, `beamforge_version`); every other file is hashed as bytes.
"""
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import tifffile

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "Tests" / "e2e"))
from nexus import write_scan  # noqa: E402

BIN = Path(os.environ.get("BEAMFORGE_BIN_DIR", ROOT / ".build" / "release"))
FIXTURES = ROOT / "Tests" / "Fixtures" / "saxsdog"
VOLATILE = {"created", "runs", "beamforge_version"}
ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
           OMPI_MCA_rmaps_base_oversubscribe="1", OMPI_MCA_btl_vader_single_copy_mechanism="none",
           SOURCE_DATE_EPOCH="1700000000")
SMALL = ["--set", "output_shape=[30,32]"]
MASK_SET = ["--set", "stripe_mask.size=10", "--set", "stripe_mask.min_length=20", "--set", "stripe_mask.min_depth=6",
            "--set", "stripe_mask.min_width=4"]


def beamforge(ranks, *args):
    command = ["mpirun", "-np", str(ranks), str(BIN / "beamforge"), *map(str, args), "--no-progress"]
    result = subprocess.run(command, capture_output=True, text=True, env=ENV)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stderr}")


def tomo_qc(directory, *args):
    """tomo-qc runs on one process, without mpirun."""
    command = [str(BIN / "beamforge"), "tomo-qc", "--root", str(directory), *map(str, args)]
    result = subprocess.run(command, capture_output=True, text=True, env=ENV)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stderr}")


def digest(data):
    return hashlib.sha256(data).hexdigest()[:16]


def encoded(value):
    """Bytes of a value; text and arrays of text (object arrays hold pointers) by their characters."""
    array = np.asarray(value)
    if array.dtype.kind in "OSU":
        return "\x00".join(v.decode() if isinstance(v, bytes) else str(v) for v in array.ravel()).encode()
    return array.tobytes()


def hdf5_digests(path):
    out = {}
    with h5py.File(path, "r") as f:
        def attributes(name, obj):
            for key, value in obj.attrs.items():
                if key not in VOLATILE:
                    out[f"{name}@{key}"] = digest(encoded(value))

        def visit(name, obj):
            attributes(name, obj)
            if isinstance(obj, h5py.Dataset):
                out[name] = f"{obj.dtype.str} {obj.shape} {digest(encoded(obj[()]))}"
        attributes("/", f)
        f.visititems(visit)
    return out


def directory_digests(directory):
    out = {}
    for path in sorted(directory.rglob("*")):
        if path.is_dir():
            continue
        key = str(path.relative_to(directory))
        if path.suffix in (".h5", ".nxs"):
            out[key] = hdf5_digests(path)
        elif path.suffix == ".npz":  # the archive's members carry times: digest the arrays
            with np.load(path) as archive:
                out[key] = {k: f"{a.dtype.str} {a.shape} {digest(a.tobytes())}" for k, a in archive.items()}
        else:
            out[key] = digest(path.read_bytes())
    return out


def calibration(work, name, **mask):
    cal = json.loads((FIXTURES / name).read_text())
    cal["Masks"][0]["MaskFile"] = str(FIXTURES / "AAA_integ.msk")
    cal["Masks"][0].update(mask)
    path = work / f"cal-{name}"
    path.write_text(json.dumps(cal, indent=2))
    return path


def main():
    work = Path(sys.argv[1]).resolve()
    shutil.rmtree(work, ignore_errors=True)
    (work / "in").mkdir(parents=True)
    scan = work / "in" / "100.nxs"
    write_scan(scan, seed=1, layout="both")
    write_scan(work / "in" / "101.nxs", seed=2, layout="after")
    base = tifffile.imread(FIXTURES / "buf1_00000.tif").astype(np.float64)
    rng = np.random.default_rng(5)
    frames = np.stack([np.where(base < 0, base, rng.poisson(np.clip(base, 0, None) * (0.5 + 0.1 * k)))
                       for k in range(6)]).astype(np.int32)
    with h5py.File(work / "in" / "id02.h5", "w") as f:
        f.create_dataset("entry_0000/measurement/data", data=frames)
    cal = calibration(work / "in", "cal.json")
    phi = json.loads(cal.read_text())
    phi["Masks"].append({"MaskFile": str(FIXTURES / "AAA_integ.msk"), "Oversampling": 2, "PixelPerRadialElement": 1,
                         "Name": "phi", "Phi-mode": True, "qStart": 0.5, "qStop": 1.5})
    (work / "in" / "phi.json").write_text(json.dumps(phi))

    o = work / "out"
    runs = {
        "saxs": lambda d: beamforge(2, "saxs", "--config", ROOT / "configs" / "saxs.yml", "--n", 301,
                                    "--batch-size", 16, "--seed", 2024, "--out", d),
        "tomo-simple": lambda d: beamforge(1, "tomo", "--root", d, "--mode", "simple", "-N", 64, "-S", 3,
                                           "--start", 7, "--tiff", "--seed", 4),
        "tomo-complex": lambda d: (beamforge(2, "tomo", "--root", d, "-N", 64, "-S", 2, "--tiff", "--seed", 4),
                                   tomo_qc(d, "--item", 0, "--item", 1, "--row", 10, "--row", 32)),
        "mask": lambda d: beamforge(3, "mask", scan, "--root", d, "--chunk-size", 5, *MASK_SET),
        "stack-raw": lambda d: beamforge(2, "stack", scan, "--root", d, "--shifts", 2, "--chunk-size", 7, *SMALL),
        "stack-paired": lambda d: beamforge(2, "stack", scan, "--root", d, "--mode", "paired", "--chunk-size", 5,
                                            *SMALL, *MASK_SET, "--set", "paired_stripes.percentage=10"),
        "stack-dynamic": lambda d: beamforge(2, "stack", scan, "--root", d, "--mode", "dynamic",
                                             "--frame-angles", 12, *SMALL),
        "stack-patch": lambda d: beamforge(1, "stack", scan, "--root", d, "--mode", "patch", "--patch-size", 30, 16,
                                           "--mask", o / "mask" / "masks.npz"),
        "integrate-frame": lambda d: beamforge(1, "integrate", "--calibration", cal, "--chi", "--out", d,
                                               FIXTURES / "buf1_00000.tif"),
        "integrate-stack": lambda d: beamforge(2, "integrate", "--calibration", cal, "--chi", "--out", d,
                                               work / "in" / "id02.h5"),
        "integrate-phi": lambda d: beamforge(1, "integrate", "--calibration", work / "in" / "phi.json", "--chi",
                                             "--out", d, FIXTURES / "buf1_00000.tif"),
    }
    result = {}
    for name, run in runs.items():
        run(o / name)
        result[name] = directory_digests(o / name)
    json.dump(result, sys.stdout, indent=1, sort_keys=True)
    print()


if __name__ == "__main__":
    main()
