"""beamforge integrate --watch DIR: frames that appear while it runs (written in chunks, written to .tmp and renamed,
in a sub-directory made later, never complete, not a frame at all) are each integrated exactly once or rejected, and
the output equals a batch `integrate` over the same frames in the same order, bit for bit, on 1 and 3 ranks."""
import io
import os
import time

import numpy as np
import pytest
import tifffile

from conftest import BEAMFORGE, assert_clean_failure, datasets, environment, run, wait_for
from test_integrate import FRAME, calibration, integrate

import subprocess


def frame_bytes(k):
    """The shipped frame scaled by k, as TIFF bytes (each frame recognisable)."""
    base = tifffile.imread(FRAME)
    buffer = io.BytesIO()
    tifffile.imwrite(buffer, np.where(base < 0, base, base * k).astype(np.int32))
    return buffer.getvalue()


def start_watch(ranks, *args):
    cmd = [BEAMFORGE, "integrate", "--no-progress", *map(str, args)]
    if ranks > 1:
        cmd = ["mpirun", "-np", str(ranks), *cmd]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment(),
                            start_new_session=True)


def processed(out):
    path = out / "processed.lst"
    return path.read_text().split() if path.exists() else []


def feed(watched, out):
    """Writes frames the ways detectors and copy tools do, while the watch runs; returns the frames expected."""
    time.sleep(0.5)
    # In chunks, 100 ms apart, by one writer that closes it at the end.
    data = frame_bytes(3)
    with open(watched / "c.tif", "wb") as f:
        for part in range(3):
            f.write(data[part * len(data) // 3:(part + 1) * len(data) // 3])
            f.flush()
            time.sleep(0.1)
    # Written under a temporary name and renamed (what rsync and many acquisition programs do).
    (watched / "d.tif.tmp").write_bytes(frame_bytes(4))
    os.rename(watched / "d.tif.tmp", watched / "d.tif")
    # Not a frame.
    (watched / "notes.txt").write_text("beam dump at 12:00\n")
    # Never complete: half a TIFF, closed.
    (watched / "t.tif").write_bytes(frame_bytes(9)[:1_000_000])
    # A sub-directory created later, with a frame in it.
    (watched / "sub").mkdir()
    time.sleep(0.2)
    (watched / "sub" / "e.tif").write_bytes(frame_bytes(5))
    return ["a.tif", "b.tif", "c.tif", "d.tif", "sub/e.tif"]


@pytest.mark.parametrize("ranks, mode", [(1, []), (3, []), (2, ["--poll", "0.3"])], ids=["1-inotify", "3-inotify", "2-poll"])
def test_frames_appearing_while_it_runs_equal_a_batch_run(tmp_path, ranks, mode):
    watched = tmp_path / "watched"
    watched.mkdir()
    for k, name in enumerate(["a.tif", "b.tif"], start=1):  # found by the first walk
        (watched / name).write_bytes(frame_bytes(k))
    cal = calibration(tmp_path)
    out = tmp_path / "o"
    watch = start_watch(ranks, "--watch", watched, "--recursive", "--calibration", cal, "--chi", "--out", out,
                        "--until-idle", 3, "--ready-timeout", 2, "--epoch", 0.3, *mode)
    try:
        expected = feed(watched, out)
        stdout, stderr = watch.communicate(timeout=120)
    finally:
        if watch.poll() is None:
            os.killpg(watch.pid, 9)
    assert watch.returncode == 0, stderr
    names = [os.path.relpath(p, watched) for p in processed(out)]
    assert sorted(names) == sorted(expected), names          # each once, notes.txt and t.tif not
    assert len(set(names)) == len(names)
    assert names[:2] == ["a.tif", "b.tif"]                   # the first walk, in order
    rejected = (out / "rejected.csv").read_text().splitlines()
    assert rejected[0] == "path,reason" and len(rejected) == 2 and rejected[1].startswith(str(watched / "t.tif")), rejected
    assert "rejected" in stderr and "t.tif" in stderr
    assert ("polling every 0.3 s" if mode else "watching") in stderr
    live = [line for line in (out / "live.jsonl").read_text().splitlines() if line]
    assert sum(len(__import__("json").loads(line)["frames"]) for line in live) == len(expected)

    # The invariant: a batch run over processed.lst gives the same datasets, meta.csv and .chi files.
    batch = tmp_path / "batch"
    r = integrate("--calibration", cal, "--chi", "--out", batch, f"@{out / 'processed.lst'}", ranks=ranks)
    assert r.returncode == 0, r.stderr
    assert datasets(out / "integrated.h5", "integrated") == datasets(batch / "integrated.h5", "integrated")
    assert (out / "meta.csv").read_bytes() == (batch / "meta.csv").read_bytes()
    chi = sorted(p.relative_to(out) for p in (out / "chi").rglob("*.chi"))
    assert chi == sorted(p.relative_to(batch) for p in (batch / "chi").rglob("*.chi"))
    assert len(chi) == len(expected)
    for path in chi:
        assert (out / path).read_bytes() == (batch / path).read_bytes(), path


def assert_equals_batch(tmp_path, out, cal, ranks=1):
    batch = tmp_path / "batch"
    r = integrate("--calibration", cal, "--out", batch, f"@{out / 'processed.lst'}", ranks=ranks)
    assert r.returncode == 0, r.stderr
    assert datasets(out / "integrated.h5", "integrated") == datasets(batch / "integrated.h5", "integrated")
    assert (out / "meta.csv").read_bytes() == (batch / "meta.csv").read_bytes()


def cpu_seconds(session):
    """user + system CPU seconds of each beamforge process of process session `session`, by pid (/proc)."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = open(f"/proc/{entry}/stat").read()
            cmdline = open(f"/proc/{entry}/cmdline", "rb").read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[3]) == session and cmdline.startswith(BEAMFORGE.encode()):
            found[int(entry)] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return found


def watch_one_frame(tmp_path, ranks):
    """A watch on a directory holding one frame, returned once that frame is integrated: (dir, cal, out, Popen)."""
    watched = tmp_path / "watched"
    watched.mkdir()
    (watched / "a.tif").write_bytes(frame_bytes(1))
    cal = calibration(tmp_path)
    out = tmp_path / "o"
    watch = start_watch(ranks, "--watch", watched, "--calibration", cal, "--out", out, "--epoch", 0.2)
    if not wait_for(lambda: len(processed(out)) == 1, timeout=60):
        os.killpg(watch.pid, 9)
        pytest.fail("the first frame was not integrated: " + watch.communicate()[1])
    return watched, cal, out, watch


def test_idle_ranks_sleep_and_kill9_then_resume_has_no_duplicates(tmp_path):
    """Waiting for frames, every rank uses little CPU (a blocking MPI_Bcast would spin a core per rank: ~100 %).
    Killed outright mid-watch, --resume hands out each frame once and the output still equals the batch run."""
    watched, cal, out, watch = watch_one_frame(tmp_path, 3)
    try:
        time.sleep(1)
        before, t0 = cpu_seconds(watch.pid), time.time()
        time.sleep(3)
        after, elapsed = cpu_seconds(watch.pid), time.time() - t0
        assert len(before) == 3, before
        usage = {pid: (after[pid] - before[pid]) / elapsed for pid in before}
        # Loose: 20 % of a core (measured: under 1 %; see BENCHMARKS.md).
        assert all(u < 0.2 for u in usage.values()), usage
        # Frames arrive; the watch is killed outright as soon as it has taken the next epoch.
        for k, name in enumerate(["b.tif", "c.tif", "d.tif"], start=2):
            (watched / name).write_bytes(frame_bytes(k))
        assert wait_for(lambda: len(processed(out)) > 1, timeout=60)
    finally:
        os.killpg(watch.pid, 9)
        watch.communicate()
    for k, name in enumerate(["e.tif", "f.tif"], start=5):
        (watched / name).write_bytes(frame_bytes(k))
    resumed = start_watch(2, "--watch", watched, "--calibration", cal, "--out", out, "--resume", "--until-idle", 2)
    _, stderr = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, stderr
    names = [os.path.basename(p) for p in processed(out)]
    assert sorted(names) == ["a.tif", "b.tif", "c.tif", "d.tif", "e.tif", "f.tif"], names
    assert_equals_batch(tmp_path, out, cal, ranks=2)


@pytest.mark.parametrize("signal_number, status", [(2, 0), (15, 0), (10, 75)], ids=["INT", "TERM", "USR1"])
def test_signals_between_epochs(tmp_path, signal_number, status):
    """SIGINT and SIGTERM end a watch with status 0 and a complete output; Slurm's USR1 exits 75 (resume)."""
    watched, cal, out, watch = watch_one_frame(tmp_path, 1)
    try:
        time.sleep(0.5)
        watch.send_signal(signal_number)
        _, stderr = watch.communicate(timeout=60)
    finally:
        if watch.poll() is None:
            os.killpg(watch.pid, 9)
    assert watch.returncode == status, stderr
    assert (out / "integrated.h5").exists() and not (out / "integrated.h5.partial").exists()
    assert not (out / ".beamforge.lock").exists()
    assert_equals_batch(tmp_path, out, cal)
