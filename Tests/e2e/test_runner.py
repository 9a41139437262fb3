"""The runner under failure: SIGKILL of a rank, stop signals, a failing item, resume with other rank counts."""
import os
import signal
import time

import h5py
import pytest

from conftest import FIXTURE, assert_identical, mpirun, run, start_mpirun, wait_for

N = 120


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """An uninterrupted one-rank run."""
    d = tmp_path_factory.mktemp("reference")
    r = run([FIXTURE, "--out", str(d), "--n", str(N), "--batch-size", "4", "--no-progress"])
    assert r.returncode == 0, r.stderr
    return d


def spool_rows(directory):
    """Bytes of metadata rows spooled so far: rank 0's spool and the ranks' own (meta.csv.spool.rankN)."""
    return sum(p.stat().st_size for p in directory.glob("meta.csv.spool*")) if directory.exists() else 0


def test_kill_a_rank_then_resume_with_another_rank_count(tmp_path, reference):
    out = tmp_path / "killed"
    job = start_mpirun(2, FIXTURE, "--out", str(out), "--n", str(N), "--batch-size", "4", "--sleep-ms", "25",
                       "--no-progress")
    assert wait_for(lambda: spool_rows(out) > 0), "the run made no progress"
    ranks = [int(p) for p in os.popen(f"pgrep -P {job.pid}").read().split()]
    assert ranks, "no rank processes found"
    os.kill(ranks[-1], signal.SIGKILL)
    job.communicate(timeout=60)
    assert job.returncode != 0
    assert (out / "fixture.h5.partial").exists() and not (out / "fixture.h5").exists()
    assert not (out / "meta.csv").exists()
    with h5py.File(out / "fixture.h5.partial", "r") as f:
        done = int(f["progress/done"][()].sum())
    assert 0 < done < N, f"kill came too late or too early: {done} of {N} done"

    r = mpirun(3, FIXTURE, "--out", str(out), "--n", str(N), "--batch-size", "5", "--resume", "--no-progress")
    assert r.returncode == 0, r.stderr
    assert f"{N - done} to compute" in r.stderr or "to compute" in r.stderr
    assert not (out / "fixture.h5.partial").exists() and not list(out.glob("meta.csv.spool*"))
    assert_identical(reference, out, "fixture")


def test_stop_signal_leaves_a_resumable_file(tmp_path, reference):
    """SIGUSR1 (what Slurm sends before the time limit) stops all ranks between batches with status 75."""
    out = tmp_path / "stopped"
    job = start_mpirun(2, FIXTURE, "--out", str(out), "--n", str(N), "--batch-size", "4", "--sleep-ms", "25",
                       "--no-progress")
    assert wait_for(lambda: spool_rows(out) > 0)
    os.kill(job.pid, signal.SIGUSR1)  # mpirun forwards SIGUSR1 to the ranks
    _, stderr = job.communicate(timeout=60)
    assert job.returncode == 75, stderr
    assert "--resume" in stderr and "SIGUSR1" in stderr
    assert (out / "fixture.h5.partial").exists() and not (out / "fixture.h5").exists()

    r = mpirun(1, FIXTURE, "--out", str(out), "--n", str(N), "--resume", "--no-progress")
    assert r.returncode == 0, r.stderr
    assert_identical(reference, out, "fixture")


def test_a_failing_item_ends_the_run_quickly_and_names_the_item(tmp_path):
    start = time.time()
    r = mpirun(3, FIXTURE, "--out", str(tmp_path / "f"), "--n", str(N), "--fail-at", "77", "--sleep-ms", "5",
               "--no-progress", timeout=60)
    elapsed = time.time() - start
    assert r.returncode != 0
    assert "item 77" in r.stderr and "injected failure" in r.stderr
    assert elapsed < 30, f"took {elapsed:.1f} s"
    assert not (tmp_path / "f" / "fixture.h5").exists()


def test_resume_refuses_a_file_made_with_another_seed(tmp_path):
    out = tmp_path / "seed"
    job = start_mpirun(2, FIXTURE, "--out", str(out), "--n", str(N), "--batch-size", "4", "--sleep-ms", "25",
                       "--no-progress")
    assert wait_for(lambda: spool_rows(out) > 0)
    os.kill(job.pid, signal.SIGUSR1)
    job.communicate(timeout=60)
    r = mpirun(2, FIXTURE, "--out", str(out), "--n", str(N), "--seed", "8", "--resume")
    assert r.returncode == 2 and "another seed" in r.stderr, r.stderr


@pytest.mark.parametrize("ranks", [1, 4])
def test_more_ranks_than_items_and_compression(tmp_path, ranks):
    r = mpirun(ranks, FIXTURE, "--out", str(tmp_path / "c"), "--n", "3", "--compression", "4", "--no-progress")
    assert r.returncode == 0, r.stderr
    with h5py.File(tmp_path / "c" / "fixture.h5", "r") as f:
        assert f["fixture/value"].compression == "gzip"
        assert list(f["fixture/index"][()]) == [0, 1, 2]


def test_compressed_outputs_and_statistics_are_identical_across_rank_counts(tmp_path):
    """Chunked, gzip-compressed datasets; 8 statistics blocks over 3 ranks means unequal independent reads."""
    for ranks in (1, 3):
        r = mpirun(ranks, FIXTURE, "--out", str(tmp_path / f"z{ranks}"), "--n", "2000", "--width", "300",
                   "--compression", "4", "--batch-size", "50", "--no-progress")
        assert r.returncode == 0, r.stderr
    assert_identical(tmp_path / "z1", tmp_path / "z3", "fixture")


def test_redo_recomputes_exactly_the_listed_items_in_place(tmp_path, reference):
    """Damaged rows of a complete output are recomputed (on another rank count) and put back; the rest is kept."""
    import shutil
    out = tmp_path / "redo"
    shutil.copytree(reference, out)
    damaged = [3, 4, 50, 119]
    with h5py.File(out / "fixture.h5", "r+") as f:
        for i in damaged:
            f["fixture/value"][i] = 0.0
        f["fixture/index"][10] = -1  # damaged but not listed: must stay damaged
    lines = (out / "meta.csv").read_text().splitlines(keepends=True)
    lines[1 + 50] = "50,garbage,0\n"
    (out / "meta.csv").write_text("".join(lines))

    r = mpirun(2, FIXTURE, "--out", str(out), "--n", str(N), "--redo", ",".join(map(str, damaged)), "--no-progress")
    assert r.returncode == 0, r.stderr
    assert f"recomputing {len(damaged)} of {N} items" in r.stderr
    assert not (out / "fixture.h5.partial").exists() and not list(out.glob("meta.csv.spool*"))
    with h5py.File(out / "fixture.h5", "r+") as f:
        assert f["fixture/index"][10] == -1
        f["fixture/index"][10] = 10
    assert_identical(reference, out, "fixture")


def test_redo_refuses_another_configuration_and_keeps_the_output(tmp_path, reference):
    import shutil
    out = tmp_path / "redo-seed"
    shutil.copytree(reference, out)
    before = (out / "fixture.h5").read_bytes()
    r = mpirun(2, FIXTURE, "--out", str(out), "--n", str(N), "--seed", "8", "--redo", "1,2", "--no-progress")
    assert r.returncode != 0
    assert "cannot redo items of" in r.stderr and "another seed" in r.stderr
    assert (out / "fixture.h5").read_bytes() == before
    assert (out / "meta.csv").exists() and not list(out.glob("meta.csv.spool*"))
    assert not (out / "fixture.h5.partial").exists()


@pytest.mark.parametrize("ranks,schedule,per_write", [(2, "cyclic", 1), (3, "dynamic", 2), (3, "jitter:11", 1),
                                                      (4, "jitter:3", 3)])
def test_any_schedule_and_write_interval_give_the_same_file(tmp_path, reference, ranks, schedule, per_write):
    out = tmp_path / "scheduled"
    r = mpirun(ranks, FIXTURE, "--out", str(out), "--n", str(N), "--batch-size", "3", "--schedule", schedule,
               "--batches-per-write", str(per_write), "--no-progress")
    assert r.returncode == 0, r.stderr
    assert_identical(reference, out, "fixture")


def test_dynamic_schedule_gives_slow_ranks_fewer_batches_and_the_profile_says_so(tmp_path, reference):
    """Under jitter the ranks ask at different paces; the profile lists every batch exactly once, with its rank."""
    out, profile = tmp_path / "profiled", tmp_path / "profile.csv"
    r = mpirun(3, FIXTURE, "--out", str(out), "--n", str(N), "--batch-size", "2", "--schedule", "jitter:5",
               "--profile", str(profile), "--no-progress")
    assert r.returncode == 0, r.stderr
    assert_identical(reference, out, "fixture")
    import csv
    rows = list(csv.DictReader(profile.read_text().splitlines()))
    batches = [row for row in rows if row["kind"] == "batch"]
    assert sorted(int(row["index"]) for row in batches) == list(range(len(batches)))
    covered = sorted(i for row in batches for i in range(int(row["first_item"]), int(row["first_item"]) + int(row["items"])))
    assert covered == list(range(N)), "every item in exactly one batch"
    assert max(int(row["items"]) for row in batches) == 2
    # Guided batches: the last ones handed out are single items, so no rank finishes long after the others.
    last = max(batches, key=lambda row: int(row["index"]))
    assert int(last["items"]) == 1
    assert {row["rank"] for row in batches} == {"0", "1", "2"}
    # Uncompressed outputs: each rank writes what it computed on its own, every 4 of its batches (the default).
    writes = [row for row in rows if row["kind"] == "write"]
    assert sum(int(row["items"]) for row in writes) == N
    for rank in "012":
        mine = len([row for row in batches if row["rank"] == rank])
        written = len([row for row in writes if row["rank"] == rank])
        assert (mine + 3) // 4 <= written <= mine
    assert len([row for row in rows if row["kind"] == "loop"]) == 3


@pytest.mark.parametrize("schedule", ["dynamic", "jitter:7"])
def test_compressed_outputs_are_written_in_collective_rounds(tmp_path, reference, schedule):
    """Compressed datasets need collective writes: every rank takes part in every round (of 2 batches per rank of
    3 ranks), whoever computed what."""
    out, profile = tmp_path / "compressed", tmp_path / "profile.csv"
    r = mpirun(3, FIXTURE, "--out", str(out), "--n", str(N), "--batch-size", "2", "--schedule", schedule,
               "--compression", "4", "--batches-per-write", "2", "--profile", str(profile), "--no-progress")
    assert r.returncode == 0, r.stderr
    assert_identical(reference, out, "fixture")
    import csv
    rows = list(csv.DictReader(profile.read_text().splitlines()))
    batches = len([row for row in rows if row["kind"] == "batch"])
    writes = [row for row in rows if row["kind"] == "write"]
    rounds = (batches + 5) // 6
    assert sorted(row["rank"] for row in writes) == sorted("012" * rounds)
    assert sum(int(row["items"]) for row in writes) == N
