"""ptycho-ingest --qc: ptycho-qc's features computed while ingesting (from the written float32 patterns and their
masks, stored as /ptycho/qc_features and /ptycho/qc_embedding) and scored after the run into DIR/qc, bit-identical
to `ptycho-qc DIR/ptycho.h5` run afterwards, which reads every pattern again."""
import json
import os
import signal
import subprocess

import numpy as np
import pytest

from conftest import BEAMFORGE, datasets, environment, mpirun, wait_for
from test_ptycho_qc import OUTLIERS, POSITIONS, ingested, qc  # noqa: F401 (ingested is a fixture)


def arguments(d, out):
    """test_ptycho_qc's ingest of the scan in `d`, with --qc, into `out`."""
    return [BEAMFORGE, "ptycho-ingest", str(d / "scan.h5"), "--out", str(out), "--no-progress", "--qc",
            "--dark", str(d / "darks.h5"), "--flat", str(d / "flats.h5"), "--mask", str(d / "mask.h5"),
            "--frames-per-pos", "2", "--roi", "48,48", "--center", "27,36", "--energy", "7keV", "--distance", "2.5m",
            "--pixel-size", "75um", "--pos-units", "um"]


@pytest.fixture(scope="module")
def with_qc(ingested, tmp_path_factory):
    """The same scan and options as test_ptycho_qc's `ingested`, with --qc, on 3 ranks."""
    out = tmp_path_factory.mktemp("iqc") / "ingest"
    r = mpirun(3, *arguments(ingested.parent.parent, out), "--batch-size", "5")
    assert r.returncode == 0, r.stderr
    return out


def test_qc_during_ingest_equals_ptycho_qc_afterwards(with_qc, tmp_path):
    after = qc(with_qc / "ptycho.h5", tmp_path / "qc", ranks=2)
    during = with_qc / "qc"
    assert (during / "qc.csv").read_bytes() == (after / "qc.csv").read_bytes()
    assert datasets(during / "qc.h5", "qc") == datasets(after / "qc.h5", "qc")
    for name in ("accept_indices.npy", "reject_indices.npy"):
        assert (during / name).read_bytes() == (after / name).read_bytes(), name
    maps_a, maps_b = np.load(during / "qc_maps.npz"), np.load(after / "qc_maps.npz")  # the zip's times differ
    assert sorted(maps_a.files) == sorted(maps_b.files)
    for key in maps_a.files:
        assert maps_a[key].tobytes() == maps_b[key].tobytes(), key
    a, b = json.loads((during / "ptypy_indices.json").read_text()), json.loads((after / "ptypy_indices.json").read_text())
    assert a["accept"] == b["accept"] and a["reject"] == b["reject"]
    assert a["framefilter"]["file"] == str(during / "qc.h5")
    assert sorted(p.name for p in (during / "thumbs").iterdir()) == sorted(p.name for p in (after / "thumbs").iterdir())
    rejected = set(np.load(during / "reject_indices.npy").tolist())
    assert len(rejected & set(OUTLIERS)) / len(OUTLIERS) >= 0.9


def test_the_ingested_file_is_unchanged_by_qc(ingested, with_qc):
    """The patterns, masks and CXI tree equal an ingest without --qc; /ptycho only gains the feature tables."""
    for group in ("entry", "entry_1"):
        assert datasets(with_qc / "ptycho.h5", group) == datasets(ingested, group)
    plain, extra = datasets(ingested, "ptycho"), datasets(with_qc / "ptycho.h5", "ptycho")
    assert set(extra) - set(plain) == {"qc_features", "qc_embedding"}
    assert extra["qc_features"][1] == (POSITIONS, 8) and extra["qc_embedding"][1] == (POSITIONS, 256)


def test_a_killed_qc_ingest_resumes_to_the_same_outputs(ingested, with_qc, tmp_path):
    """SIGKILL part-way through the ingest (batches of one position, slowed by the jitter schedule), then --resume
    --qc on 2 ranks: the ingested file's datasets (features included) and the QC outputs equal the uninterrupted run's."""
    out = tmp_path / "killed"
    args = arguments(ingested.parent.parent, out)
    job = subprocess.Popen([*args, "--batch-size", "1", "--schedule", "jitter:3"], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, env=environment(), start_new_session=True)
    spool = lambda: sum(p.stat().st_size for p in out.glob("meta.csv.spool*")) if out.exists() else 0
    assert wait_for(lambda: spool() > 200, timeout=60)
    os.killpg(job.pid, signal.SIGKILL)
    job.communicate(timeout=60)
    assert (out / "ptycho.h5.partial").exists() and not (out / "qc").exists()
    r = mpirun(2, *args, "--resume")
    assert r.returncode == 0, r.stderr
    for group in ("ptycho", "entry", "entry_1"):
        assert datasets(out / "ptycho.h5", group) == datasets(with_qc / "ptycho.h5", group)
    assert (out / "qc" / "qc.csv").read_bytes() == (with_qc / "qc" / "qc.csv").read_bytes()
    assert datasets(out / "qc" / "qc.h5", "qc") == datasets(with_qc / "qc" / "qc.h5", "qc")
