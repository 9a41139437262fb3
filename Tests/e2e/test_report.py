"""beamforge report, --report and the PNG previews: each workload's page parses as HTML, holds the expected sections
and figures, every figure is a PNG Pillow opens at the stated size, and a real headless Chromium loads the page from
disk with no console message, no other file or network load, and a screenshot that is not blank."""
import base64
import io
import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from conftest import BEAMFORGE, CONFIG, ROOT, assert_clean_failure, mpirun, run
from nexus import write_scan

DATA = ROOT / "Tests" / "Fixtures" / "saxsdog"
SMALL_MASK = ["--set", "stripe_mask.size=10", "--set", "stripe_mask.min_length=20", "--set", "stripe_mask.min_depth=6",
              "--set", "stripe_mask.min_width=4"]


class Page(HTMLParser):
    """The parts of a report the tests look at: section titles, figures (PNG bytes and stated size), tables."""

    def __init__(self, text):
        super().__init__()
        self.sections, self.figures, self.tables, self.sources = [], [], 0, []
        self._in_h2 = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "h2":
            self._in_h2 = True
            self.sections.append("")
        elif tag == "img":
            src = a["src"]
            self.sources.append(src)
            assert src.startswith("data:image/png;base64,"), src[:60]
            self.figures.append((base64.b64decode(src.split(",", 1)[1]), int(a["width"]), int(a["height"])))
        elif tag == "table":
            self.tables += 1
        elif tag in ("script", "link", "iframe"):
            self.sources.append(tag)

    def handle_endtag(self, tag):
        if tag == "h2":
            self._in_h2 = False

    def handle_data(self, data):
        if self._in_h2:
            self.sections[-1] += data


def report(directory):
    r = run([BEAMFORGE, "report", str(directory)])
    assert r.returncode == 0, r.stderr
    return check_page(directory / "report.html")


def check_page(path):
    page = Page(path.read_text())
    assert page.sections[0] == "Summary" and page.tables >= 1
    assert all(s.startswith("data:") for s in page.sources), "the page must load nothing"
    for png, width, height in page.figures:
        image = Image.open(io.BytesIO(png))
        image.load()
        assert image.format == "PNG" and image.size == (2 * width, 2 * height)
        pixels = np.asarray(image.convert("L"), dtype=float)
        assert pixels.std() > 5, "a blank figure"
    return page


def chromium():
    # Debian's chromium-headless-shell (built from the chromium source package): the browser engine without the
    # desktop browser's own background requests (updates, network time, spelling dictionaries).
    for name in ("chromium-headless-shell", "chromium"):
        if shutil.which(name):
            return shutil.which(name)
    pytest.fail("Chromium is not installed (scripts/test installs Debian's chromium-headless-shell)")


def render(path, tmp_path):
    """Loads `path` in headless Chromium; returns (console messages, files loaded, screenshot as an array)."""
    shot = tmp_path / "shot.png"
    # No background traffic of the browser's own (updates, metrics) and no name resolution: the page is loaded from
    # disk and must need nothing else.
    quiet = ["--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-pings",
             "--disable-default-apps", "--metrics-recording-only", "--disable-features=OptimizationHints,Translate,MediaRouter",
             "--host-resolver-rules=MAP * ~NOTFOUND"]
    r = subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", *quiet,
                        "--user-data-dir=" + str(tmp_path / "profile"), "--enable-logging=stderr", "--v=1",
                        "--window-size=1400,1600", f"--screenshot={shot}", path.resolve().as_uri()],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    console = [l for l in r.stderr.splitlines() if ":CONSOLE" in l]
    loads = [l.split("FileURLLoader::Start: ", 1)[1] for l in r.stderr.splitlines() if "FileURLLoader::Start: " in l]
    network = [l for l in r.stderr.splitlines() if "http://" in l or "https://" in l]
    return console, loads + network, np.asarray(Image.open(shot).convert("L"), dtype=float)


@pytest.fixture(scope="module")
def saxs(tmp_path_factory):
    out = tmp_path_factory.mktemp("saxs") / "o"
    r = mpirun(2, BEAMFORGE, "saxs", "--config", CONFIG, "--n", "72", "--out", str(out), "--no-progress", "--report")
    assert r.returncode == 0, r.stderr
    return out


@pytest.fixture(scope="module")
def integrated(tmp_path_factory):
    d = tmp_path_factory.mktemp("integrate")
    cal = json.loads((DATA / "cal.json").read_text())
    cal["Masks"][0]["MaskFile"] = str(DATA / "AAA_integ.msk")
    (d / "cal.json").write_text(json.dumps(cal))
    frames = d / "frames"
    frames.mkdir()
    for k in range(3):
        shutil.copy(DATA / "buf1_00000.tif", frames / f"f_{k:05d}.tif")
    r = run([BEAMFORGE, "integrate", "--no-progress", "--calibration", str(d / "cal.json"), "--out", str(d / "o"),
             "--preview", "2", str(frames)])
    assert r.returncode == 0, r.stderr
    return d / "o"


def test_saxs_report_written_by_the_run(saxs, tmp_path):
    """--report wrote the page at the end of the run; it shows the curves, the quality and the composition."""
    page = check_page(saxs / "report.html")
    assert page.sections == ["Summary", "Curves", "Quality", "Composition"]
    assert len(page.figures) == 4
    # The curve grid: nine classes on a 3 × 3 grid of 330 × 260 panels.
    assert page.figures[0][1:] == (990, 780)
    console, loads, shot = render(saxs / "report.html", tmp_path)
    assert console == [], console
    assert loads == [(saxs / "report.html").resolve().as_uri()], loads
    assert shot.std() > 10


def test_report_command_rewrites_the_same_page(saxs, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(saxs, copy)
    (copy / "report.html").unlink()
    page = report(copy)
    assert len(page.figures) == 4


def test_integrate_report_and_previews(integrated, tmp_path):
    page = report(integrated)
    assert page.sections == ["Summary", "Detector", "Integrated curves", "Over time"]
    frame, width, height = page.figures[0]
    assert (width, height) == (520, 480)
    # The mask shows: the frame figure holds the overlay's blue.
    rgb = np.asarray(Image.open(io.BytesIO(frame)).convert("RGB")).reshape(-1, 3).astype(int)
    assert ((rgb[:, 2] > 150) & (rgb[:, 0] < 120)).sum() > 1000
    previews = sorted((integrated / "preview").iterdir())
    assert [p.name for p in previews] == ["f_00000.png", "f_00001.png"]
    for p in previews:
        assert Image.open(p).size == (1440, 630)
    console, loads, shot = render(integrated / "report.html", tmp_path)
    assert console == [] and len(loads) == 1 and shot.std() > 10


def test_tomo_report_and_qc_preview(tmp_path):
    out = tmp_path / "t"
    r = mpirun(2, BEAMFORGE, "tomo", "--config", str(ROOT / "configs" / "tomo.yml"), "--set", "size=32",
               "--set", "samples=2", "--set", "mode=simple", "--out", str(out), "--no-progress")
    assert r.returncode == 0, r.stderr
    page = report(out)
    assert page.sections == ["Summary", "Sinograms", "Reconstructions"] and len(page.figures) == 3
    r = run([BEAMFORGE, "tomo-qc", "--out", str(out)])
    assert r.returncode == 0, r.stderr
    assert Image.open(out / "qc" / "0000_row0016.png").size == (int(1.5 * 640), int(1.5 * 290))
    # Complex mode: the page redraws the first sample's detector (flat field and defect maps) from the stored
    # configuration and seed.
    complex_out = tmp_path / "c"
    r = mpirun(2, BEAMFORGE, "tomo", "--config", str(ROOT / "configs" / "tomo.yml"), "--set", "size=32",
               "--set", "samples=1", "--set", "mode=complex", "--set", "shifts=2", "--out", str(complex_out),
               "--no-progress", "--report")
    assert r.returncode == 0, r.stderr
    page = check_page(complex_out / "report.html")
    assert page.sections == ["Summary", "Sinograms", "Detector", "Reconstructions"] and len(page.figures) == 4


def test_stack_and_mask_reports(tmp_path):
    write_scan(tmp_path / "100.nxs", seed=1, layout="both")
    r = mpirun(2, BEAMFORGE, "mask", str(tmp_path / "100.nxs"), "--root", str(tmp_path / "m"), "--no-progress",
               *SMALL_MASK)
    assert r.returncode == 0, r.stderr
    page = report(tmp_path / "m")
    assert page.sections == ["Summary", "Masks"] and len(page.figures) == 2
    r = mpirun(2, BEAMFORGE, "stack", str(tmp_path / "100.nxs"), "--root", str(tmp_path / "s"), "--no-progress",
               "--mode", "paired", "--set", "output_shape=[30,32]", "--set", "paired_stripes.percentage=10",
               *SMALL_MASK)
    assert r.returncode == 0, r.stderr
    page = report(tmp_path / "s")
    assert page.sections == ["Summary", "Sinograms", "Range"] and len(page.figures) == 4


def test_report_refuses_what_is_not_an_output(tmp_path, saxs):
    assert_clean_failure(run([BEAMFORGE, "report", str(tmp_path / "nowhere")]), "no such directory")
    r = run([BEAMFORGE, "report", str(tmp_path)])
    assert r.returncode == 2
    assert_clean_failure(r, "no beamforge output")
    unfinished = tmp_path / "u"
    unfinished.mkdir()
    shutil.copy(saxs / "saxs.h5", unfinished / "saxs.h5.partial")
    r = run([BEAMFORGE, "report", str(unfinished)])
    assert r.returncode == 2
    assert_clean_failure(r, "saxs.h5.partial", "--resume")
    broken = tmp_path / "b"
    broken.mkdir()
    (broken / "saxs.h5").write_bytes(b"not hdf5")
    r = run([BEAMFORGE, "report", str(broken)])
    assert r.returncode == 2
    assert_clean_failure(r, "saxs.h5")
    assert not (broken / "report.html").exists()
