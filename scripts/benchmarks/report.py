"""scripts/bench report [--saxs DIR] [--integrate DIR]: seconds of `beamforge report` on one core (taskset -c 0) for
the default 37,656-curve saxs dataset and a 1,000-frame integrate run of the Pilatus 1M fixture (frames: hard links
to one TIFF), best of three. Without --saxs/--integrate the outputs are made first (2 ranks; the saxs run takes a
few minutes on 2 cores). Target (issue 19): under 5 s each."""
import argparse
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from benchlib import BIN, MPI_ENV, ROOT, record, stamp

BEAMFORGE = str(BIN / "beamforge")
DATA = ROOT / "Tests" / "Fixtures" / "saxsdog"


def make_saxs(out):
    subprocess.run(["mpirun", "-np", "2", BEAMFORGE, "saxs", "--config", str(ROOT / "configs" / "saxs.yml"),
                    "--out", str(out), "--no-progress"], env=MPI_ENV, check=True, capture_output=True)


def make_integrate(work, frames=1000):
    import json
    cal = json.loads((DATA / "cal.json").read_text())
    cal["Masks"][0]["MaskFile"] = str(DATA / "AAA_integ.msk")
    (work / "cal.json").write_text(json.dumps(cal))
    folder = work / "frames"
    folder.mkdir()
    for k in range(frames):
        os.link(DATA / "buf1_00000.tif", folder / f"f_{k:05d}.tif")
    subprocess.run(["mpirun", "-np", "2", BEAMFORGE, "integrate", "--calibration", str(work / "cal.json"),
                    "--out", str(work / "o"), "--no-progress", str(folder)], env=MPI_ENV, check=True, capture_output=True)
    return work / "o"


def timed_report(directory, repeats=3):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(["taskset", "-c", "0", BEAMFORGE, "report", str(directory)], check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return min(times), Path(directory, "report.html").stat().st_size


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--saxs", help="an existing output of the default saxs config")
    parser.add_argument("--integrate", help="an existing integrate output")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=ROOT) as tmp:
        work = Path(tmp)
        saxs = Path(args.saxs) if args.saxs else work / "saxs"
        if not args.saxs:
            make_saxs(saxs)
        integrated = Path(args.integrate) if args.integrate else make_integrate(work)
        rows = []
        for name, directory in (("saxs", saxs), ("integrate", integrated)):
            items = sum(1 for _ in open(directory / "meta.csv")) - 1
            h5 = next(directory.glob("*.h5"))
            seconds, size = timed_report(directory)
            rows.append(f"| {name} | {items:,} | {h5.stat().st_size / 2**20:,.0f} MiB | {seconds:.2f} s | "
                        f"{size / 2**20:.1f} MiB |")
            print(rows[-1], flush=True)
    record(f"\n## report ({stamp()})\n\n`scripts/bench report`: `beamforge report DIR` on one core (taskset -c 0), best "
           "of three, page written included. Target: under 5 s.\n\n| output | items | file | report | page |\n"
           "|---|---:|---:|---:|---:|\n" + "\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
