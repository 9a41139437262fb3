"""Shared helpers for beamforge's end-to-end tests: real binaries, real mpirun, outputs read back with h5py."""
import os
import subprocess
import time
from pathlib import Path

import h5py
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN_DIR = Path(os.environ.get("BEAMFORGE_BIN_DIR", ROOT / ".build" / "release"))
BEAMFORGE = str(BIN_DIR / "beamforge")
FIXTURE = str(BIN_DIR / "batch-fixture")
CONFIG = str(ROOT / "configs" / "saxs.yml")


def environment(**extra):
    env = dict(os.environ)
    if os.geteuid() == 0:
        env.update(OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
    env.setdefault("OMPI_MCA_rmaps_base_oversubscribe", "1")
    env.setdefault("OMPI_MCA_btl_vader_single_copy_mechanism", "none")
    env["SOURCE_DATE_EPOCH"] = "1700000000"  # reproducible meta.csv timestamps
    env.update(extra)
    return env


def run(args, timeout=300, **extra_env):
    """Runs a command to completion and returns the CompletedProcess (text output)."""
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, env=environment(**extra_env))


def mpirun(ranks, *args, timeout=300):
    return run(["mpirun", "-np", str(ranks), *args], timeout=timeout)


def start_mpirun(ranks, *args):
    """Starts mpirun in the background (its own process group) and returns the Popen."""
    return subprocess.Popen(["mpirun", "-np", str(ranks), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=environment(), start_new_session=True)


def wait_for(predicate, timeout=60, interval=0.05):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def datasets(path, group):
    """All datasets under `group` as raw bytes, keyed by name (bitwise comparison)."""
    out = {}

    # Every name, links included (h5py's visititems names a hard-linked object only once, by whichever name it
    # meets first; the NeXus `data` groups are second names of the job's datasets).
    def walk(g, prefix):
        for name, obj in g.items():
            if isinstance(obj, h5py.Dataset):
                out[prefix + name] = (obj.dtype.str, obj.shape, obj[()].tobytes())
            elif isinstance(obj, h5py.Group):
                walk(obj, prefix + name + "/")

    with h5py.File(path, "r") as f:
        walk(f[group], "")
    return out


def assert_identical(dir_a, dir_b, job):
    a, b = Path(dir_a), Path(dir_b)
    assert (a / "meta.csv").read_bytes() == (b / "meta.csv").read_bytes(), "meta.csv differs"
    for group in (job, "stats"):
        da, db = datasets(a / f"{job}.h5", group), datasets(b / f"{job}.h5", group)
        assert da.keys() == db.keys()
        for name in da:
            assert da[name] == db[name], f"/{group}/{name} differs"


def error_lines(stderr):
    return [line for line in stderr.splitlines() if "error:" in line]


def assert_clean_failure(result, *fragments):
    """One clear error line naming what is wrong, non-zero exit, and no crash report."""
    assert result.returncode != 0, result.stderr
    lines = error_lines(result.stderr)
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    for crash in ("Backtrace", "Fatal error", "Program crashed", "Assertion failed"):
        assert crash not in result.stderr, result.stderr


SAXSDOG = ROOT / "Tests" / "Fixtures" / "saxsdog"


def saxsdog_calibration(directory):
    """The SAXSDog fixture calibration written into `directory` with its mask named by absolute path."""
    import json
    cal = json.loads((SAXSDOG / "cal.json").read_text())
    cal["Masks"][0]["MaskFile"] = str(SAXSDOG / "AAA_integ.msk")
    path = directory / "cal.json"
    path.write_text(json.dumps(cal))
    return path
