"""The dependency arrows point one way: CLI -> workloads -> Batch/Formats -> MPI/HDF5 -> C libraries."""
import re
from pathlib import Path

from conftest import ROOT

# Which modules each source folder may import (beyond the standard library and Foundation).
ALLOWED = {
    "Core": set(),
    "MPI": {"CMPI"},
    "HDF5": {"CHDF5", "CMPI", "MPI"},
    "Formats": {"Core", "CTIFF", "HDF5", "ZIPFoundation"},
    "Batch": {"Core", "MPI", "HDF5", "Logging"},
    "SAXS": {"Core", "Batch", "Formats"},
    "Integration": {"Core", "Batch", "Formats"},
    "FFT": {"CFFTW"},
    "Sinograms": {"Core", "FFT"},
    "Tomo": {"Core", "Batch", "Formats", "FFT", "Sinograms"},
    "Stack": {"Core", "Batch", "Formats", "Sinograms"},
    "beamforge": {"Core", "Batch", "Sinograms", "SAXS", "Integration", "Tomo", "Stack", "ArgumentParser", "Logging", "Yams"},
    "BatchFixture": {"Batch", "Logging"},
    "TomoBench": {"Tomo"},
}
# Synchronization (Mutex, atomics) ships with the Swift toolchain like the standard library.
STANDARD = {"Foundation", "Glibc", "Synchronization", "Testing"}


def imports(folder):
    found = set()
    for source in (ROOT / "Sources" / folder).rglob("*.swift"):
        found |= set(re.findall(r"^\s*(?:@\w+\s+)?import\s+(\w+)", source.read_text(), re.M))
    return found


def test_every_source_folder_is_accounted_for():
    folders = {p.name for p in (ROOT / "Sources").iterdir() if p.is_dir() and not p.name.startswith("C")}
    assert folders == set(ALLOWED)


def test_modules_import_only_what_their_layer_allows():
    for folder, allowed in ALLOWED.items():
        extra = imports(folder) - allowed - STANDARD
        assert not extra, f"Sources/{folder} imports {sorted(extra)}"


def test_no_c_calls_outside_the_wrappers():
    for folder in ALLOWED:
        if folder in ("MPI", "HDF5"):
            continue
        for source in (ROOT / "Sources" / folder).rglob("*.swift"):
            text = re.sub(r"//.*", "", source.read_text())  # code only, not comments
            assert not re.search(r"\b(H5[A-Z]\w*|MPI_[A-Z][a-z]\w*)\s*\(", text), f"{source} calls MPI/HDF5 directly"
