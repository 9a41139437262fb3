"""scripts/bench ab OLD_BIN_DIR [NEW_BIN_DIR]: the same workloads timed with two builds of beamforge, interleaved
(old, new, old, new, ...) so that the machine's drift hits both alike; best of 3 wall times of the whole mpirun.
For checking that a change costs no speed: stack raw (0.5 and 2 MiB frames), integrate (Pilatus 1M frames), tomo
(simple mode) and saxs, on 1 and 2 ranks. NEW_BIN_DIR defaults to this checkout's .build/release. Appends the
table, with the ratio new/old, to BENCHMARKS.md."""
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchlib import BIN, MPI_ENV, ROOT, record, stamp
from integrate import pilatus_stack
from stack import CHUNK, write_scan

WORK = Path("/tmp/beamforge-bench-ab")
REPEATS = 3


def wall(binary, args, ranks):
    command = ["mpirun", "-np", str(ranks), str(binary / "beamforge"), *map(str, args), "--no-progress",
               "--overwrite"]
    subprocess.run(["sync"])
    t = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=MPI_ENV)
    seconds = time.perf_counter() - t
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stderr}")
    return seconds


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: scripts/bench ab OLD_BIN_DIR [NEW_BIN_DIR]")
    old = Path(sys.argv[1]).resolve()
    new = Path(sys.argv[2]).resolve() if len(sys.argv) > 2 else BIN
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    cases = []
    for rows in (256, 1024):
        write_scan(WORK / f"{rows}.nxs", rows)
        cases.append((f"stack raw, {rows} rows ({rows * 2048 / 2 ** 20:.1f} MiB frames)",
                      ["stack", WORK / f"{rows}.nxs", "--root", WORK / "out", "--chunk-size", CHUNK]))
    cal = pilatus_stack(WORK / "pilatus.h5", 256)
    (WORK / "cal.json").write_text(json.dumps(cal))
    cases.append(("integrate, 256 Pilatus 1M frames, oversampling 3",
                  ["integrate", "--calibration", WORK / "cal.json", "--out", WORK / "out", WORK / "pilatus.h5"]))
    cases.append(("tomo simple, 8 samples, N = 128",
                  ["tomo", "--mode", "simple", "-N", 128, "-S", 8, "--root", WORK / "out"]))
    cases.append(("saxs, 2,000 curves", ["saxs", "--config", ROOT / "configs" / "saxs.yml", "--n", 2000,
                                         "--out", WORK / "out"]))
    lines = [f"\n## ab — {stamp()}\n",
             f"Whole `mpirun` wall time, best of {REPEATS} interleaved runs each. Old: `{old}`; new: `{new}`.\n",
             "| case | ranks | old | new | new / old |", "|---|---:|---:|---:|---:|"]
    for name, args in cases:
        for ranks in (1, 2):
            times = {old: [], new: []}
            for _ in range(REPEATS):
                for binary in (old, new):
                    times[binary].append(wall(binary, args, ranks))
            a, b = min(times[old]), min(times[new])
            lines.append(f"| {name} | {ranks} | {a:.2f} s | {b:.2f} s | {b / a:.2f} |")
            print(lines[-1], flush=True)
    record("\n".join(lines) + "\n")
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
