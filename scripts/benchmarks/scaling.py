"""scripts/bench scaling [--quick]: how far beamforge scales, from a machine with two cores.

For saxs (9,000 curves), tomo (16 simple samples, N = 256) and integrate (1,024 Pilatus 1M frames) it
1. runs the job on 1 rank with --profile (per batch: read and compute seconds; per write round: seconds) and
   --no-overlap (one core per rank, as on a full node), and takes the start-up (wall time minus the loop);
2. replays the profile through a model of the runner's schedule (below) to predict the wall time on P ranks, for
   the dynamic schedule of today and for contiguous blocks written every batch (the runner before issue 18);
3. runs the job on 2 ranks for real and sets the model's 2-rank prediction beside it.
Appends the table to BENCHMARKS.md.

The model. Batches are handed out in order to whichever rank asks first; a rank asks when its last batch is done
(list scheduling). Uncompressed outputs (the default) are written by each rank on its own right after the batch, so
a rank's time is the sum of its batches' compute and write times. Writes share the file system: the loop takes at
least the output's bytes divided by the disk speed measured here times WRITE_CONCURRENCY (1: a disk that does not
write faster for more writers; pessimistic for parallel file systems). Compressed outputs are written in collective
rounds (simulate_rounds). Start-up is paid once per rank, at the same time (it does not shrink with P). A profile
taken on a 2-core VM predicts a many-core node only as far as per-item costs carry over (memory bandwidth shared by
16 ranks is not modelled), so the predictions are upper bounds on efficiency that the device measurements check.
"""
import csv
import heapq
import json
import re
import subprocess
import sys
import time
from pathlib import Path

from benchlib import BIN, MPI_ENV, ROOT, record, stamp
from integrate import pilatus_stack

WORK = Path("/tmp/beamforge-bench-scaling")
BEAMFORGE = str(BIN / "beamforge")
WRITE_CONCURRENCY = 1.0
DISK_SPEED = [1e9]  # bytes/s, measured in main()
DEFAULT_BATCH = {"saxs": 16, "tomo": 1, "integrate": 16}  # configs/*.yml
RANKS = (2, 4, 8, 16, 64, 256)


def run(args, ranks, profile=None, batch=None):
    """Runs `beamforge args` on `ranks` ranks; returns (wall seconds, loop seconds, shared set-up seconds)."""
    extra = ["--profile", str(profile), "--no-overlap", "--log-level", "debug"] if profile else ["--no-overlap"]
    if batch:
        extra += ["--batch-size", str(batch), "--batches-per-write", str(64 // batch)]
    command = ["mpirun", "-np", str(ranks), BEAMFORGE, *map(str, args), *extra, "--no-progress", "--overwrite"]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=MPI_ENV)
    wall = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stderr}")
    loop = float(re.search(r"computed in ([0-9.]+) s", result.stderr).group(1))
    shared = re.search(r"set-up shared by \d+ ranks: ([0-9.]+) s", result.stderr)
    return wall, loop, float(shared.group(1)) if shared else 0.0


def read_profile(path):
    """Per batch (in batch order): (items, read + compute seconds); per write round: (items, seconds)."""
    batches, writes = {}, []
    with open(path) as f:
        for row in csv.DictReader(f):
            if row["kind"] == "batch":
                batches[int(row["index"])] = (int(row["items"]), float(row["read_s"]) + float(row["seconds"]))
            elif row["kind"] == "write":
                writes.append((int(row["items"]), float(row["seconds"])))
    return [batches[i] for i in sorted(batches)], writes


def item_costs(batches):
    """Per-item seconds, each batch's cost spread evenly over its items (the profile's resolution)."""
    return [cost / items for items, cost in batches for _ in range(items)]


def layout(items, batch, ranks):
    """The runner's batches (Batch/Runner/BatchLayout.swift): `batch` items while plenty remain, then guided
    self-scheduling, at most remaining / (2 ranks), down to one item."""
    starts, position = [0], 0
    while position < items:
        remaining = items - position
        position += max(1, min(batch, (remaining + 2 * ranks - 1) // (2 * ranks)))
        starts.append(position)
    return list(zip(starts, starts[1:]))


def simulate_independent(costs, batch, ranks, write_per_item, concurrency=WRITE_CONCURRENCY, bytes_per_item=0.0):
    """The loop's seconds on `ranks` ranks: dynamic schedule, each batch written by its rank on its own (its
    1-rank write time per item, mostly per-call costs for small items), and all the bytes through one disk at
    DISK_SPEED × `concurrency` bytes/s."""
    free = [0.0] * ranks
    for start, end in layout(len(costs), batch, ranks):
        part = costs[start:end]
        t = heapq.heappop(free)
        heapq.heappush(free, t + sum(part) + len(part) * write_per_item)
    return max(max(free), len(costs) * bytes_per_item / (DISK_SPEED[0] * concurrency))


def simulate_rounds(costs, batch, ranks, per_write, write_per_item):
    """The loop's seconds on `ranks` ranks for compressed outputs: dynamic schedule, and every `per_write` × ranks
    batches a collective write round, entered by a rank once it has computed its next batch beyond the round, and
    ended when the last rank has entered plus the round's write time."""
    batches = [sum(costs[i:i + batch]) for i in range(0, len(costs), batch)]
    sizes = [len(costs[i:i + batch]) for i in range(0, len(costs), batch)]
    per_round = per_write * ranks
    rounds = (len(batches) + per_round - 1) // per_round
    items = [0] * rounds
    entered = [0] * ranks          # the next write round each rank takes part in
    held = [0] * ranks             # the round of the batch a rank computed last (rounds when none was left)
    arrivals = [[] for _ in range(rounds)]
    ready = [(0.0, r) for r in range(ranks)]
    state = {"next": 0, "end": 0.0}

    def enter(rank, t):
        if entered[rank] >= held[rank]:
            if held[rank] < rounds:
                heapq.heappush(ready, (t, rank))
            return
        arrivals[entered[rank]].append((t, rank))
        if len(arrivals[entered[rank]]) == ranks:
            release(entered[rank])

    def release(k):
        end = max(t for t, _ in arrivals[k]) + items[k] * write_per_item / WRITE_CONCURRENCY
        state["end"] = max(state["end"], end)
        for _, rank in arrivals[k]:
            entered[rank] += 1
            enter(rank, end)

    while ready:
        t, r = heapq.heappop(ready)
        if state["next"] < len(batches):
            b = state["next"]
            state["next"] += 1
            t += batches[b]
            items[b // per_round] += sizes[b]
            held[r] = b // per_round
        else:
            held[r] = rounds
        state["end"] = max(state["end"], t)
        enter(r, t)
    return state["end"]


def simulate_blocks(costs, batch, ranks, write_per_item, bytes_per_item=0.0):
    """The loop before issue 18: contiguous blocks of items per rank, every round of `batch` items per rank ending
    in a collective write that waits for the slowest rank."""
    n = len(costs)
    bounds = [n * r // ranks for r in range(ranks + 1)]
    blocks = [costs[bounds[r]:bounds[r + 1]] for r in range(ranks)]
    rounds = max((len(b) + batch - 1) // batch for b in blocks)
    total = 0.0
    for k in range(rounds):
        parts = [b[k * batch:(k + 1) * batch] for b in blocks]
        total += (max(sum(p) for p in parts) + max(len(p) for p in parts) * write_per_item
                  + sum(len(p) for p in parts) * bytes_per_item / (DISK_SPEED[0] * WRITE_CONCURRENCY))
    return total


def workloads(quick):
    WORK.mkdir(parents=True, exist_ok=True)
    frames = 256 if quick else 1024
    stack = WORK / "pilatus.h5"
    cal_path = WORK / "cal.json"
    marker = WORK / "pilatus.frames"
    if not stack.exists() or not cal_path.exists() or not marker.exists() or marker.read_text() != str(frames):
        cal_path.write_text(json.dumps(pilatus_stack(stack, frames)))
        marker.write_text(str(frames))
    # (name, what, arguments, extrapolations: (what, items, batch size) with the profile's item costs repeated)
    return [
        # Curves differ a hundredfold in cost: profiled one per batch (the default batch size is replayed).
        ("saxs", f"{3000 if quick else 9000} curves",
         ["saxs", "--n", 3000 if quick else 9000, "--out", WORK / "saxs"],
         [("the default 37,656 curves", 37656, 16)]),
        ("tomo", f"{4 if quick else 16} simple samples, N = 256",
         ["tomo", "--mode", "simple", "-S", 4 if quick else 16, "--root", WORK / "tomo"], []),
        ("integrate", f"{frames} Pilatus 1M frames, Oversampling 3",
         ["integrate", "--calibration", cal_path, "--out", WORK / "integrate", stack],
         [("10,000 frames", 10000, 16)]),
    ]


def disk_speed(nbytes=2 << 30):
    """Bytes/s of one sequential write of `nbytes` into WORK (what the file system takes from one writer)."""
    import numpy as np
    data = np.ones(nbytes // 8)
    path = WORK / "write-test.bin"
    start = time.perf_counter()
    with open(path, "wb") as f:
        f.write(memoryview(data))
        f.flush()
    seconds = time.perf_counter() - start
    path.unlink()
    return nbytes / seconds


def mpi_start():
    """Seconds of mpirun and MPI start-up alone: the fixture job with one item, best of three."""
    times = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run(["mpirun", "-np", "1", str(BIN / "batch-fixture"), "--out", str(WORK / "fixture"), "--n", "1",
                        "--no-progress", "--overwrite"], env=MPI_ENV, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    quick = "--quick" in sys.argv
    rows = []
    mpi = mpi_start()
    DISK_SPEED[0] = disk_speed()
    extrapolated = []
    for name, what, args, extrapolations in workloads(quick):
        profile = WORK / f"{name}-profile.csv"
        wall1, loop1, shared1 = run(args, 1, profile, batch=1 if name == "saxs" else None)
        batches, writes = read_profile(profile)
        batch = DEFAULT_BATCH[name]
        costs = item_costs(batches)
        write_per_item = sum(s for _, s in writes) / max(1, sum(i for i, _ in writes))
        output = next(Path(args[args.index("--out" if "--out" in args else "--root") + 1]).glob("*.h5"))
        bytes_per_item = output.stat().st_size / len(costs)
        startup = max(0.0, wall1 - loop1)
        fixed = max(0.0, startup - shared1)
        modelled1 = simulate_independent(costs, batch, 1, write_per_item, bytes_per_item=bytes_per_item)
        wall2, _, _ = run(args, 2)
        predicted = {}
        for p in RANKS:
            dynamic = fixed + shared1 / p + simulate_independent(costs, batch, p, write_per_item,
                                                                 bytes_per_item=bytes_per_item)
            parallel = fixed + shared1 / p + simulate_independent(costs, batch, p, write_per_item, concurrency=p,
                                                                  bytes_per_item=bytes_per_item)
            # Before issue 18 every rank repeated the whole set-up.
            blocks = startup + simulate_blocks(costs, 64, p, write_per_item, bytes_per_item)  # 64: the default then
            predicted[p] = (wall1 / (p * dynamic), wall1 / (p * blocks), dynamic, wall1 / (p * parallel))
        rows.append((name, what, wall1, loop1, modelled1, f"{startup:.2f} ({shared1:.2f} shared)", wall2, predicted))
        for label, items, size in extrapolations:
            more = (costs * (items // len(costs) + 1))[:items]
            t1 = startup + sum(more) + items * write_per_item
            loops = [simulate_independent(more, size, p, write_per_item, bytes_per_item=bytes_per_item) for p in RANKS]
            extrapolated.append((f"{name}: {label}", [t1 / (p * (fixed + shared1 / p + loop))
                                                     for p, loop in zip(RANKS, loops)]))
            # MPI's own start (mpirun, MPI_Init) left out of both, as the start-up target of issue 18 counts it.
            beyond = max(0.0, fixed - mpi)
            extrapolated.append((f"{name}: {label}, MPI's own start ({mpi:.2f} s) left out", [
                (t1 - mpi) / (p * (beyond + shared1 / p + loop)) for p, loop in zip(RANKS, loops)]))
        # The loop alone (no start-up).
        extrapolated.append((f"{name}: {what}, the loop alone", [
            modelled1 / (p * simulate_independent(costs, batch, p, write_per_item, bytes_per_item=bytes_per_item))
            for p in RANKS]))
        print(f"{name}: 1 rank {wall1:.2f} s (loop {loop1:.2f}, model {modelled1:.2f}, start-up {startup:.2f} "
              f"of which shared {shared1:.2f}); "
              f"2 ranks measured {wall2:.2f} s, predicted {predicted[2][2]:.2f} s; "
              + ", ".join(f"{p}: {predicted[p][0] * 100:.0f} %" for p in RANKS), flush=True)
    lines = [f"\n## scaling ({stamp()})\n",
             "Efficiency T1 / (P × TP) predicted from a 1-rank profile (`--profile`, `--no-overlap`) by the model in "
             "scripts/benchmarks/scaling.py (dynamic schedule with guided batches, each rank writing on its own, "
             "the shared set-up shrinking as 1/P and the rest of the start-up not; the output's bytes through one "
             f"disk at the {DISK_SPEED[0] / 1e9:.2f} GB/s measured here), beside the same "
             "profile replayed through the pre-issue-18 loop (contiguous blocks, a collective write per batch). "
             "The 2-rank wall time is measured. Each cell: efficiency with writes sharing one disk / with writes "
             "as parallel as the ranks (a parallel file system) (the pre-issue-18 loop, one disk).\n",
             "| workload | 1 rank wall s (loop, model) | start-up s (of it shared) | 2 ranks measured / predicted s | "
             + " | ".join(f"{p} ranks" for p in RANKS) + " |",
             "|---|---|---:|---|" + "---:|" * len(RANKS)]
    for name, what, wall1, loop1, modelled1, startup, wall2, predicted in rows:
        cells = " | ".join(f"{predicted[p][0] * 100:.0f} % / {predicted[p][3] * 100:.0f} % (blocks "
                           f"{predicted[p][1] * 100:.0f} %)" for p in RANKS)
        lines.append(f"| {name}: {what} | {wall1:.2f} ({loop1:.2f}, {modelled1:.2f}) | {startup} | "
                     f"{wall2:.2f} / {predicted[2][2]:.2f} | {cells} |")
    lines += ["", "Extrapolated: the same per-item costs repeated to the dataset sizes the targets name.", "",
              "| workload | " + " | ".join(f"{p} ranks" for p in RANKS) + " |", "|---|" + "---:|" * len(RANKS)]
    for label, efficiencies in extrapolated:
        lines.append(f"| {label} | " + " | ".join(f"{e * 100:.0f} %" for e in efficiencies) + " |")
    record("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
