"""The floors and arrows of ARCHITECTURE.md, derived from Package.swift (`swift package dump-package`), with no
allow-list: C shims → wrappers → Core/Formats/Sinograms/Batch → workloads → executables.

- C shims are the system-library targets; wrappers are the targets that depend on one, plus those whose sources import
  the C library itself (Glibc); C and libc symbols appear in wrappers only.
- Workloads are the library targets that depend on Batch; none depends on another, and none on the wrappers of MPI
  and HDF5 (they reach those through Batch and Formats).
- Core depends on nothing; only workloads and executables depend on Batch, and a workload file imports Batch only
  when it uses Batch's API (physics files import Core).
- Every source file imports only what its target declares.
"""
import json
import re
import subprocess
from functools import lru_cache

from conftest import ROOT

# Modules that ship with the Swift toolchain on Linux.
TOOLCHAIN = {"Foundation", "FoundationEssentials", "Glibc", "Synchronization", "Dispatch", "Testing", "XCTest"}
# C and libc calls that belong in wrappers: HDF5, MPI, libtiff, FFTW, cairo, cminpack, and the system calls beamforge makes.
C_CALL = re.compile(r"(?<![.\w])(H5[A-Z]\w*|MPI_[A-Z][a-z]\w*|TIFF[A-Z]\w*|bf_\w+|fftw_\w+|mmap|munmap|madvise|preadv?|"
                    r"pwritev?|fstat|access|isatty|strerror|sigaction|signal|unlink|usleep|statvfs|fsync|cairo_\w+|zmq_\w+|lmdif|lmder|covar1?|qrfac)\s*\(")


@lru_cache(maxsize=1)
def package():
    out = subprocess.run(["swift", "package", "dump-package"], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def dependencies(target):
    names = set()
    for dependency in target["dependencies"]:
        (kind, value), = dependency.items()
        names.add(value[0])
    return names


def targets(kind=None):
    return {t["name"]: t for t in package()["targets"] if kind is None or t["type"] == kind}


def folder(target):
    return ROOT / (target.get("path") or f"Sources/{target['name']}")


def code(path):
    """The file without comments and string literals (a message may name a C function)."""
    text = re.sub(r'"""[\s\S]*?"""', '""', path.read_text())
    text = re.sub(r'"(?:\\.|[^"\\\n])*"', '""', text)
    return re.sub(r"//.*", "", text)


def imports(path):
    return set(re.findall(r"^\s*(?:@\w+\s+)?import\s+(\w+)", path.read_text(), re.M))


def sources(target):
    return sorted(folder(target).rglob("*.swift"))


def system():
    return targets("system")


def wrappers():
    found = set()
    for name, target in targets("regular").items():
        if dependencies(target) & set(system()) or any("Glibc" in imports(s) for s in sources(target)):
            found.add(name)
    return found


def workloads():
    return {name for name, t in targets("regular").items() if "Batch" in dependencies(t)}


def public_api(module):
    names = set()
    for source in sources(targets()[module]):
        names |= set(re.findall(r"^public (?:final )?(?:struct|enum|class|protocol|typealias) (\w+)", source.read_text(),
                                re.M))
    return names


def test_the_floors_exist():
    assert {"Core", "Batch", "Formats"} <= set(targets("regular"))
    assert {"MPI", "HDF5", "LibTIFF", "POSIX", "FFT", "Cairo", "ZMQ"} <= wrappers()
    assert {"SAXS", "Integration", "Tomo", "Stack"} <= workloads()


def test_every_source_folder_belongs_to_a_target():
    folders = {folder(t).resolve() for t in targets().values() if t["type"] != "test"}
    for path in (ROOT / "Sources").iterdir():
        if path.is_dir():
            assert path.resolve() in folders, f"{path} is no target of Package.swift"


def test_files_import_only_what_their_target_declares():
    products = {p for t in targets().values() for p in dependencies(t)} - set(targets())
    for name, target in targets().items():
        allowed = dependencies(target) | TOOLCHAIN
        for source in sources(target):
            extra = imports(source) - allowed - ({name} if target["type"] == "test" else set())
            extra -= {"CMPI"} if "CMPI" in allowed else set()
            assert not extra, f"{source.relative_to(ROOT)} imports {sorted(extra)}, not among {name}'s dependencies"
    assert products  # external packages appear as product dependencies


def test_core_stands_alone():
    assert dependencies(targets()["Core"]) == set()


def test_no_workload_depends_on_another_or_on_mpi_and_hdf5():
    mpi_hdf5 = {name for name, t in targets("regular").items()
                if any(system()[d].get("pkgConfig") in ("ompi-c", "hdf5-openmpi") for d in dependencies(t) & set(system()))}
    assert mpi_hdf5 == {"MPI", "HDF5"}
    for name in workloads():
        deps = dependencies(targets()[name])
        assert not deps & workloads(), f"workload {name} depends on workload(s) {sorted(deps & workloads())}"
        assert not deps & mpi_hdf5, f"workload {name} reaches {sorted(deps & mpi_hdf5)} directly"


def test_only_workloads_and_programs_depend_on_batch():
    for name, target in targets().items():
        if "Batch" in dependencies(target) and target["type"] == "regular":
            assert name in workloads()
    for name in wrappers() | {"Core", "Formats"}:
        assert "Batch" not in dependencies(targets()[name]), f"{name} sits below Batch but depends on it"


def test_physics_files_import_core_not_batch():
    api = public_api("Batch")
    for name in workloads():
        for source in sources(targets()[name]):
            if "Batch" in imports(source):
                used = {n for n in api if re.search(rf"\b{n}\b", code(source))}
                assert used, f"{source.relative_to(ROOT)} imports Batch but uses none of its API: import Core instead"


def test_c_calls_only_in_wrappers():
    for name, target in targets().items():
        if name in wrappers() or target["type"] in ("system", "test"):
            continue
        for source in sources(target):
            match = C_CALL.search(code(source))
            assert not match, f"{source.relative_to(ROOT)} calls {match.group(1)}: C belongs in a wrapper module"
