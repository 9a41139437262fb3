"""Faults around a run: stop signals, two runs on one output, stale locks, corrupt state on --resume, and CSV cells
a spreadsheet would run as formulas. Each ends with exit 2 or 75, a resumable `.partial` or a refusal; never a file
presented as complete that differs from an uninterrupted run."""
import csv
import os
import signal
import socket
import subprocess
import time

import h5py
import pytest

from conftest import (BEAMFORGE, FIXTURE, ROOT, assert_clean_failure, assert_identical, environment, mpirun, run,
                      start_mpirun, wait_for)

from test_runner import N, reference, spool_rows  # noqa: F401 (reference is a fixture)

SLOW = ["--batch-size", "4", "--sleep-ms", "25", "--no-progress"]
LAUNCH = str(ROOT / "scripts" / "launch")


def start(args):
    """Starts a command in the background (its own process group)."""
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment(),
                            start_new_session=True)


def interrupted(out, ranks=2):
    """A run stopped part-way by SIGUSR1: its `.partial` and spool stay for --resume."""
    job = start_mpirun(ranks, FIXTURE, "--out", str(out), "--n", str(N), *SLOW)
    assert wait_for(lambda: spool_rows(out) > 0), "the run made no progress"
    assert lock_of(out).exists(), "a running run holds no lock"
    os.kill(job.pid, signal.SIGUSR1)
    _, stderr = job.communicate(timeout=60)
    assert job.returncode == 75, stderr
    with h5py.File(out / "fixture.h5.partial", "r") as f:
        done = int(f["progress/done"][()].sum())
    assert 0 < done < N
    return done


def resume(out, ranks=2):
    return mpirun(ranks, FIXTURE, "--out", str(out), "--n", str(N), "--resume", "--no-progress")


def assert_nothing_final(out):
    assert (out / "fixture.h5.partial").exists()
    assert not (out / "fixture.h5").exists() and not (out / "meta.csv").exists()


# Signals


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGUSR1])
def test_a_stop_signal_to_a_single_rank_run_exits_75_and_resumes_identically(tmp_path, reference, sig):
    out = tmp_path / "single"
    job = start([FIXTURE, "--out", str(out), "--n", str(N), *SLOW])
    assert wait_for(lambda: spool_rows(out) > 0)
    os.kill(job.pid, sig)
    _, stderr = job.communicate(timeout=60)
    assert job.returncode == 75, stderr
    assert signal.Signals(sig).name in stderr and "--resume" in stderr
    assert_nothing_final(out)
    r = resume(out, ranks=2)
    assert r.returncode == 0, r.stderr
    assert_identical(reference, out, "fixture")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGUSR1])
def test_a_stop_signal_to_the_launcher_exits_75_and_resumes_identically(tmp_path, reference, sig):
    """scripts/launch runs mpirun and hands it TERM and INT as USR1 (Open MPI's mpirun answers TERM and INT itself
    with status 1 and kills the ranks a second later), so every stop signal ends the batch and exits 75."""
    out = tmp_path / "launched"
    job = start([LAUNCH, "-np", "2", FIXTURE, "--out", str(out), "--n", str(N), *SLOW])
    assert wait_for(lambda: spool_rows(out) > 0)
    os.kill(job.pid, sig)
    _, stderr = job.communicate(timeout=60)
    assert job.returncode == 75, stderr
    assert_nothing_final(out)
    r = resume(out, ranks=3)
    assert r.returncode == 0, r.stderr
    assert_identical(reference, out, "fixture")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_term_or_int_to_bare_mpirun_stops_the_ranks_cleanly(tmp_path, reference, sig):
    """Bare Open MPI 4 mpirun exits 1 on TERM/INT whatever the ranks return; the ranks still stop between batches
    and leave a resumable `.partial`."""
    out = tmp_path / "bare"
    job = start_mpirun(2, FIXTURE, "--out", str(out), "--n", str(N), *SLOW)
    assert wait_for(lambda: spool_rows(out) > 0)
    os.kill(job.pid, sig)
    _, stderr = job.communicate(timeout=60)
    assert job.returncode in (1, 75), stderr
    assert "stopped by SIGTERM" in stderr, stderr
    assert_nothing_final(out)
    r = resume(out, ranks=1)
    assert r.returncode == 0, r.stderr
    assert_identical(reference, out, "fixture")


@pytest.mark.parametrize("launcher", [[], [LAUNCH, "-np", "2"]], ids=["single-rank", "launch"])
def test_a_second_signal_aborts_at_once(tmp_path, launcher):
    out = tmp_path / "twice"
    job = start([*launcher, FIXTURE, "--out", str(out), "--n", str(N), "--batch-size", "40", "--sleep-ms", "100",
                 "--no-progress"])
    assert wait_for(lambda: (out / "fixture.h5.partial").exists())
    time.sleep(0.5)
    os.kill(job.pid, signal.SIGTERM)
    time.sleep(0.2)
    started = time.time()
    os.kill(job.pid, signal.SIGINT)
    job.communicate(timeout=60)
    assert job.returncode not in (0, 75), job.returncode
    assert launcher or job.returncode == -signal.SIGINT
    assert time.time() - started < 3
    assert not (out / "fixture.h5").exists()


# One writer per output


def lock_of(out):
    return out / ".beamforge.lock"


@pytest.mark.parametrize("flag", ["--resume", "--overwrite"])
def test_a_second_run_on_a_busy_output_is_refused_naming_the_holder(tmp_path, reference, flag):
    out = tmp_path / "busy"
    # Slow enough (about 6 s) to be still running when the second run, a new mpirun, looks at the directory.
    first = start_mpirun(2, FIXTURE, "--out", str(out), "--n", str(N), "--batch-size", "4", "--sleep-ms", "100",
                         "--no-progress")
    assert wait_for(lambda: spool_rows(out) > 0)
    second = mpirun(1, FIXTURE, "--out", str(out), "--n", str(N), flag, "--no-progress", timeout=60)
    assert second.returncode == 2, second.stderr
    line = [l for l in second.stderr.splitlines() if "error:" in l]
    assert len(line) == 1, second.stderr
    assert "in use" in line[0] and socket.gethostname() in line[0] and "pid" in line[0], line[0]
    _, stderr = first.communicate(timeout=120)
    assert first.returncode == 0, stderr
    assert not lock_of(out).exists()
    assert_identical(reference, out, "fixture")


def test_a_stale_lock_of_a_dead_process_is_taken_over(tmp_path, reference):
    out = tmp_path / "stale"
    out.mkdir()
    dead = subprocess.Popen(["true"])
    dead.wait()
    lock_of(out).write_text(f"host {socket.gethostname()}\npid {dead.pid}\nstarted 2000-01-01T00:00:00Z\n")
    r = run([FIXTURE, "--out", str(out), "--n", str(N), "--batch-size", "4", "--no-progress"])
    assert r.returncode == 0, r.stderr
    assert "stale" in r.stderr and str(dead.pid) in r.stderr, r.stderr
    assert not lock_of(out).exists()
    assert_identical(reference, out, "fixture")


def test_a_lock_held_on_another_host_is_refused(tmp_path):
    out = tmp_path / "elsewhere"
    out.mkdir()
    lock_of(out).write_text("host no-such-node-17\npid 4242\nstarted 2000-01-01T00:00:00Z\n")
    r = run([FIXTURE, "--out", str(out), "--n", str(N), "--no-progress"])
    assert r.returncode == 2, r.stderr
    assert "no-such-node-17" in r.stderr and "4242" in r.stderr
    assert not (out / "fixture.h5.partial").exists()


def test_the_lock_is_released_when_a_run_stops_or_fails(tmp_path):
    out = tmp_path / "released"
    interrupted(out)
    assert not lock_of(out).exists()
    r = mpirun(2, FIXTURE, "--out", str(out), "--n", str(N), "--resume", "--fail-at", "119", "--no-progress")
    assert r.returncode != 0
    r = resume(out)
    assert r.returncode == 0, r.stderr
    assert not lock_of(out).exists()


# Corrupt state


def test_resume_refuses_a_corrupted_metadata_spool(tmp_path):
    out = tmp_path / "spool"
    interrupted(out)
    spool = max(out.glob("meta.csv.spool*"), key=lambda p: p.stat().st_size)
    data = bytearray(spool.read_bytes())
    assert len(data) > 64
    data[30:40] = b"\xff\x00garbage!"
    spool.write_bytes(bytes(data))
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    r = resume(out)
    assert r.returncode == 2, r.stderr
    assert_clean_failure(r, "meta.csv.spool")
    assert_nothing_final(out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before, "the refused resume changed the directory"


def test_resume_refuses_done_items_without_metadata_rows(tmp_path):
    out = tmp_path / "rows"
    interrupted(out)
    for p in out.glob("meta.csv.spool*"):
        p.write_bytes(b"")
    r = resume(out)
    assert r.returncode == 2, r.stderr
    assert_clean_failure(r, "metadata")
    assert_nothing_final(out)


@pytest.mark.parametrize("damage", ["truncated", "garbage", "done"])
def test_resume_refuses_a_damaged_partial(tmp_path, damage):
    out = tmp_path / damage
    interrupted(out)
    partial = out / "fixture.h5.partial"
    if damage == "truncated":
        partial.write_bytes(partial.read_bytes()[:3000])
    elif damage == "garbage":
        data = bytearray(partial.read_bytes())
        data[0:512] = os.urandom(512)
        partial.write_bytes(bytes(data))
    else:
        with h5py.File(partial, "r+") as f:
            del f["progress/done"]
            f["progress/done"] = [1] * 7
    r = resume(out)
    assert r.returncode == 2, r.stderr
    assert_clean_failure(r, "fixture.h5.partial")
    assert_nothing_final(out)


WINDOWS = ["--set", "stripe_mask.min_length=20", "--set", "stripe_mask.min_depth=6", "--set", "stripe_mask.min_width=4"]


@pytest.mark.parametrize("command, made, changed", [
    ("stack", ["--set", "output_shape=[30,32]"], ["--set", "output_shape=[20,32]"]),
    ("mask", ["--set", "stripe_mask.size=10", *WINDOWS], ["--set", "stripe_mask.size=12", *WINDOWS]),
])
def test_stack_and_mask_refuse_a_mismatched_resume_with_status_2(tmp_path, command, made, changed):
    from nexus import write_scan
    write_scan(tmp_path / "100.nxs", seed=1, layout="both")
    out = tmp_path / command
    args = [BEAMFORGE, command, str(tmp_path / "100.nxs"), "--root", str(out), "--no-progress"]
    r = mpirun(1, *args, *made)
    assert r.returncode == 0, r.stderr
    (out / f"{command}.h5").rename(out / f"{command}.h5.partial")
    (out / "meta.csv").unlink()
    for ranks in (1, 2):
        r = mpirun(ranks, *args, "--resume", *changed)
        assert r.returncode == 2, r.stderr
        assert_clean_failure(r, "different configuration")
        assert "MPI_FINALIZE" not in r.stderr


# CSV cells a spreadsheet would run


@pytest.mark.parametrize("label, written", [
    ("=HYPERLINK(1)", '"\'=HYPERLINK(1)"'),
    ("+cmd|' /C calc'", '"\'+cmd|\' /C calc\'"'),
    ("-2+3", '"\'-2+3"'),
    ("@SUM(A1)", '"\'@SUM(A1)"'),
    ("'=already", '"\'\'=already"'),
    ("-1.5", "-1.5"),
    ("-3e-4", "-3e-4"),
    ("plain", "plain"),
    # A quote, comma or formula sign followed by a combining mark (fuzz finding: one Swift Character, two scalars).
    ('a"\u0301b', '"a""\u0301b"'),
    ("x,\u0301y", '"x,\u0301y"'),
    ("=\u0301x", '"\'=\u0301x"'),
])
def test_formula_cells_are_escaped_in_meta_csv(tmp_path, label, written):
    out = tmp_path / "csv"
    r = run([FIXTURE, "--out", str(out), "--n", "3", "--label", label, "--no-progress"])
    assert r.returncode == 0, r.stderr
    lines = (out / "meta.csv").read_text().splitlines()
    assert lines[1].split(",", 1)[1].startswith(written + ","), lines[1]
    rows = list(csv.reader((out / "meta.csv").open()))
    cell = rows[1][1]
    undone = cell[1:] if cell[:1] == "'" and cell[1:2] in ("=", "+", "-", "@", "\t", "\r", "'") else cell
    assert undone == label


def test_a_formula_instrument_name_is_escaped_in_meta_csv_and_kept_in_the_h5(tmp_path):
    """saxs writes the instrument's name to meta.csv (escaped) and to saxs.h5 (as it is); the run's quality report
    reads meta.csv back."""
    name = '=HYPERLINK("x")'
    (tmp_path / "evil.yml").write_text((ROOT / "configs" / "xeuss.yml").read_text().replace(
        "name: xeuss", 'name: "=HYPERLINK(\\"x\\")"'))
    config = (ROOT / "configs" / "saxs.yml").read_text()
    config = "\n".join("instruments: [evil.yml]" if line.startswith("instruments:") else line
                        for line in config.splitlines())
    (tmp_path / "saxs.yml").write_text(config)
    out = tmp_path / "o"
    r = run([BEAMFORGE, "saxs", "--config", str(tmp_path / "saxs.yml"), "--n", "8", "--out", str(out),
             "--no-progress"])
    assert r.returncode == 0, r.stderr
    text = (out / "meta.csv").read_text()
    assert '"\'=HYPERLINK(""x"")"' in text
    rows = list(csv.DictReader((out / "meta.csv").open(newline="")))
    assert {row["instrument_cfg"] for row in rows} == {"'" + name}
    with h5py.File(out / "saxs.h5", "r") as f:
        assert list(f["saxs/instrument"].attrs["names"]) == [name]
