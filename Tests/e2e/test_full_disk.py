"""A full file system under a run (issue 20): a small tmpfs, mounted by the test (root only, skipped otherwise), holds
the output of saxs, tomo and integrate runs. Whether the output does not fit from the start (refused before anything
is written, exit 2), the file system runs out of inodes at one of the files a run creates, or its blocks fill while
the run writes, every run ends with exit 1 or 2 and one line, a `.partial` or nothing: never a file presented as
complete."""
import os
import shutil
import subprocess

import h5py
import pytest

from conftest import BEAMFORGE, CONFIG, SAXSDOG, assert_clean_failure, environment, run, saxsdog_calibration, wait_for
OUTPUT = {"saxs": "saxs.h5", "tomo": "tomo.h5", "integrate": "integrated.h5"}

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="mounting a tmpfs needs root")


@pytest.fixture
def tmpfs(tmp_path):
    """Mounts a tmpfs with the given options (`size=…`, `nr_inodes=…`) at a fresh folder; unmounted afterwards."""
    mounted = []

    def mount(options):
        point = tmp_path / f"fs{len(mounted)}"
        point.mkdir()
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)], capture_output=True,
                           text=True)
        if r.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {r.stderr.strip()}")
        mounted.append(point)
        return point

    yield mount
    for point in mounted:
        subprocess.run(["umount", "-l", str(point)], check=False)


@pytest.fixture(scope="module")
def frames(tmp_path_factory):
    """Integrate's inputs: a SAXSDog calibration with its mask and six copies of a Pilatus frame."""
    d = tmp_path_factory.mktemp("frames")
    saxsdog_calibration(d)
    for i in range(6):
        shutil.copy(SAXSDOG / "buf1_00000.tif", d / f"f{i}.tif")
    return d


def command(workload, out, frames, n):
    """A small run of `workload` into `out` with about `n` items."""
    if workload == "saxs":
        return [BEAMFORGE, "saxs", "--config", CONFIG, "--set", f"n={n}", "--no-progress", "--out", str(out)]
    if workload == "tomo":
        return [BEAMFORGE, "tomo", "-N", "16", "--samples", str(n), "--no-progress", "--out", str(out)]
    return [BEAMFORGE, "integrate", "--calibration", str(frames / "cal.json"), "--no-progress", "--out", str(out),
            *[str(frames / f"f{i}.tif") for i in range(min(n, 6))]]


def assert_nothing_complete(out, workload):
    """No final output: at most a `.partial` (and the spool) for --resume."""
    assert not (out / OUTPUT[workload]).exists(), sorted(p.name for p in out.iterdir())
    assert not (out / "meta.csv").exists(), sorted(p.name for p in out.iterdir())


def assert_complete(out, workload):
    with h5py.File(out / OUTPUT[workload], "r") as f:
        assert f.attrs.get("complete", True) is not False
    assert not (out / (OUTPUT[workload] + ".partial")).exists()


@pytest.mark.parametrize("workload", ["saxs", "tomo", "integrate"])
def test_an_output_larger_than_the_free_space_is_refused_before_anything_is_written(tmpfs, frames, workload):
    """Under the 64 MiB margin kept free beyond any output, every run is refused with the numbers (exit 2)."""
    fs = tmpfs("size=16m")
    out = fs / "o"
    r = run(command(workload, out, frames, 4), timeout=120)
    assert r.returncode == 2, r.stderr
    assert_clean_failure(r, "free on the file system of")
    assert not out.exists() or not any(p.suffix in (".h5", ".partial", ".csv") for p in out.iterdir())


@pytest.mark.parametrize("workload", ["saxs", "tomo", "integrate"])
def test_running_out_of_inodes_at_any_file_a_run_creates_fails_cleanly(tmpfs, frames, workload):
    """tmpfs with 2 to 9 inodes: the run's directory, lock, `.partial`, spools and metadata are refused in turn
    (ENOSPC). Each run fails with one line, exit 1 or 2, and leaves nothing complete; runs given enough inodes
    complete. At least the first three limits must fail (else the test proves nothing)."""
    outcomes = []
    for inodes in range(2, 10):
        fs = tmpfs(f"size=256m,nr_inodes={inodes}")
        out = fs / "o"
        r = run(command(workload, out, frames, 4), timeout=180)
        outcomes.append(r.returncode)
        if r.returncode == 0:
            assert_complete(out, workload)
        else:
            assert r.returncode in (1, 2), (inodes, r.stderr)
            assert_clean_failure(r)
            if out.exists():
                assert_nothing_complete(out, workload)
    assert all(code != 0 for code in outcomes[:3]), outcomes


def fill(directory):
    """Writes zeros into `directory`/filler until the file system is full."""
    block = bytes(1 << 20)
    with open(directory / "filler", "wb") as f:
        try:
            while True:
                f.write(block)
                f.flush()
        except OSError:
            pass


@pytest.mark.parametrize("workload, n", [("saxs", 2000), ("tomo", 200)])
def test_blocks_filling_during_a_run_end_it_with_one_line_and_no_complete_file(tmpfs, frames, workload, n):
    """The file system fills (another writer takes every free block) once the run has started writing: the run
    must end with exit 1 and one line saying that the file system is full (HDF5's MPI-IO driver loses the system's
    reason), its `.partial` left and nothing renamed to complete."""
    fs = tmpfs("size=160m")
    out = fs / "o"
    job = subprocess.Popen(command(workload, out, frames, n), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, env=environment(), start_new_session=True)
    assert wait_for(lambda: (out / (OUTPUT[workload] + ".partial")).exists(), timeout=120), "no .partial appeared"
    fill(fs)
    _, stderr = job.communicate(timeout=300)
    result = subprocess.CompletedProcess(job.args, job.returncode, "", stderr)
    if job.returncode == 0:
        pytest.fail("the run completed on a full file system: " + stderr)
    assert job.returncode == 1, stderr
    assert_clean_failure(result, "is full")
    assert_nothing_complete(out, workload)
