"""scripts/bench core: the runner and the HDF5 layer, measured with batch-fixture (see its header).

Write throughput: items of 64 KiB (8192 float64), constant-filled so that producing them costs nothing, written
in batches of 64 per rank with a collective write and a flush (fsync) per batch. Reported as MB/s of dataset
payload over the runner's wall time, beside `dd` writing the same bytes with one final fdatasync.

Per-item overhead: 200 000 items of one float64, so that the time is the runner's own work per item (context,
output validation, batch packing, metadata row, CSV), not I/O.
"""
import datetime
import os
import platform
import re
import subprocess
import tempfile
from pathlib import Path

from benchlib import BIN, ROOT, record

FIXTURE = str(BIN / "batch-fixture")


def fixture(ranks, out, *args):
    r = subprocess.run(["mpirun", "-np", str(ranks), FIXTURE, "--out", str(out), "--overwrite", "--no-progress",
                        "--constant", "--no-stats", *args], capture_output=True, text=True, check=True)
    m = re.search(r"items (\d+) seconds ([0-9.e-]+) megabytes ([0-9.e-]+)", r.stdout)
    return float(m.group(2)), float(m.group(3))


def best(times):
    return min(times)


def dd_mbps(directory, megabytes):
    target = Path(directory) / "dd.bin"
    r = subprocess.run(["dd", "if=/dev/zero", f"of={target}", "bs=1M", f"count={megabytes}", "conv=fdatasync"],
                       capture_output=True, text=True, check=True)
    target.unlink()
    m = re.search(r"copied, ([0-9.]+) s", r.stderr)
    return megabytes * 1.048576 / float(m.group(1))


def cpu_model():
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def main():
    repeats = 3
    with tempfile.TemporaryDirectory(dir=ROOT) as tmp:
        n, width = 4000, 8192
        payload = None
        write = {}
        for ranks in (1, 2):
            times = []
            for _ in range(repeats):
                seconds, mb = fixture(ranks, Path(tmp) / f"w{ranks}", "--n", str(n), "--width", str(width),
                                      "--batch-size", "64")
                times.append(seconds)
                payload = mb
            write[ranks] = payload / best(times)
        raw = max(dd_mbps(tmp, int(payload)) for _ in range(2))
        overhead = {}
        for ranks in (1, 2):
            for batch in (64, 1000):
                items = 200_000
                times = [fixture(ranks, Path(tmp) / f"o{ranks}", "--n", str(items), "--width", "1",
                                 "--batch-size", str(batch))[0] for _ in range(repeats)]
                overhead[(ranks, batch)] = best(times) / items * ranks * 1e6  # rank-microseconds per item
    date = datetime.date.today().isoformat()
    machine = f"{platform.machine()}, {os.cpu_count()} cores, {cpu_model()}"
    lines = [
        f"### core: {date}, {machine}",
        "",
        f"Collective writes ({n} items x 64 KiB = {payload:.0f} MB, batches of 64 per rank, flush per batch; best of {repeats}):",
        "",
        "| ranks | MB/s | vs dd with fdatasync |",
        "|---|---|---|",
    ]
    for ranks in (1, 2):
        lines.append(f"| {ranks} | {write[ranks]:.0f} | {write[ranks] / raw:.2f} |")
    lines += ["", f"dd if=/dev/zero bs=1M conv=fdatasync to the same disk: {raw:.0f} MB/s.", "",
              "Per-item overhead of the runner (200 000 items of one float64; rank-µs per item = wall time x ranks / items):",
              "", "| ranks | batch 64 | batch 1000 |", "|---|---|---|"]
    for ranks in (1, 2):
        lines.append(f"| {ranks} | {overhead[(ranks, 64)]:.2f} µs | {overhead[(ranks, 1000)]:.2f} µs |")
    text = "\n".join(lines) + "\n"
    print(text)
    record("\n" + text)


if __name__ == "__main__":
    main()
