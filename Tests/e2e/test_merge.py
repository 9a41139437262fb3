"""`beamforge merge` (SAXSDog's datamerge) against a pandas transcription: synthetic Pilatus TIFFs (header date =
end of exposure, exposure time) and TSV logs with known offsets on the Unix and Mac (1904) epochs, joined with
`pandas.merge_asof(direction="backward")` onto the images' mid-exposure times; long exposures time-weighted."""
import csv
from datetime import datetime, timezone

import h5py
import numpy as np
import pandas as pd
import pytest
import tifffile
from lxml import etree

from conftest import BEAMFORGE, assert_clean_failure, run

MAC = 2_082_844_800.0  # seconds from 1904-01-01 to 1970-01-01 (UTC)
T0 = 1_700_000_000.0   # the first image's start, Unix s


def merge(*args):
    return run([BEAMFORGE, "merge", *map(str, args)], timeout=60)


def pilatus(path, end, exposure):
    """A small TIFF with a Pilatus header: the ISO date (end of exposure, ms) and the exposure time."""
    path.parent.mkdir(parents=True, exist_ok=True)
    stamp = datetime.fromtimestamp(end, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:23]
    description = f"# Pilatus3 1M, 1M-0108\r\n# {stamp}\r\n# Pixel_size 172e-6 m x 172e-6 m\r\n" \
                  f"# Exposure_time {exposure:.7f} s\r\n# Image_path: /ramdisk/\r\n"
    tifffile.imwrite(path, np.zeros((4, 4), np.int32), description=description, metadata=None)
    # The end as the header holds it (milliseconds).
    return datetime.strptime(stamp + "+0000", "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()


def write_log(path, times, columns):
    with open(path, "w") as f:
        f.write("\t".join(["Time"] + list(columns)) + "\n")
        for k, t in enumerate(times):
            f.write("\t".join([repr(float(t))] + [repr(float(v[k])) for v in columns.values()]) + "\n")


@pytest.fixture()
def scan(tmp_path):
    """12 images (3 in a sub-folder, one in a skipped Pil100k folder) and two logs: Peak (Mac epoch, offset 3.5 s,
    every 0.7 s) and Dlog (Unix, two files, offset −2 s, every 1.3 s)."""
    rng = np.random.default_rng(7)
    images = tmp_path / "images"
    exposures = np.where(np.arange(12) % 4 == 3, 8.0, 1.0)  # every fourth exposure is long (averaged)
    starts = T0 + np.cumsum(np.r_[0, exposures[:-1] + rng.uniform(0.5, 2.0, 11)])
    names, ends = [], []
    for k, (s, e) in enumerate(zip(starts, exposures)):
        name = f"sub/img_{k:05d}.tif" if k >= 9 else f"img_{k:05d}.tif"
        ends.append(pilatus(images / name, s + e, e))
        names.append(name)
    pilatus(images / "Pil100k" / "other_00000.tif", T0 + 1, 1)
    peak_t = T0 - 5 + 0.7 * np.arange(140)
    dlog_t = T0 - 7 + 1.3 * np.arange(80)
    peak = {"Duration": rng.uniform(0, 10, peak_t.size), "Counts": rng.integers(0, 1000, peak_t.size)}
    dlog = {"Ioni": rng.uniform(1, 2, dlog_t.size), "Temp/C": rng.normal(25, 1, dlog_t.size)}
    write_log(tmp_path / "peak.tsv", peak_t + MAC + 3.5, peak)
    half = dlog_t.size // 2
    write_log(tmp_path / "dlog2.tsv", dlog_t[half:] - 2, {k: v[half:] for k, v in dlog.items()})
    write_log(tmp_path / "dlog1.tsv", dlog_t[:half] - 2, {k: v[:half] for k, v in dlog.items()})
    return dict(dir=tmp_path, images=images, names=names, ends=np.array(ends), exposures=exposures,
                tables={"Peak": (peak_t, peak), "Dlog": (dlog_t, dlog)})


def expected(scan, delta=0.0, average=(), average_from=5.0):
    """The pandas transcription: merge_asof of each table (true times + delta) onto the mid-exposure times."""
    start = scan["ends"] - scan["exposures"]
    images = pd.DataFrame({"image": scan["names"], "start": start, "exposure": scan["exposures"]})
    images["time"] = images["start"] + images["exposure"] / 2
    images = images.sort_values("time", kind="stable").reset_index(drop=True)
    out = images
    for name, (t, columns) in scan["tables"].items():
        table = pd.DataFrame({f"{c} ({name})": np.asarray(v, float) for c, v in columns.items()})
        table["t"] = t + delta
        out = pd.merge_asof(out, table, left_on="time", right_on="t", direction="backward").drop(columns="t")
        for c in columns:
            column = f"{c} ({name})"
            if column not in average:
                continue
            for row in out.index[out["exposure"] >= average_from]:
                a, b = out.at[row, "start"], out.at[row, "start"] + out.at[row, "exposure"]
                edges = np.clip(np.r_[t + delta, np.inf], a, b)
                out.at[row, column] = np.sum(np.asarray(columns[c], float) * np.diff(edges)) / (b - a)
    return out


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.reader(f))


def test_merge_against_pandas_merge_asof(scan):
    d = scan["dir"]
    out = d / "out"
    avg = ["Ioni (Dlog)"]
    r = merge(scan["images"], f"Peak={d / 'peak.tsv'}", f"Dlog={d / 'dlog2.tsv'}", f"Dlog={d / 'dlog1.tsv'}",
              "--mac-epoch", "Peak", "--table-offset", "Peak=3.5", "--table-offset", "Dlog=-2", "--average", avg[0],
              "-o", out)
    assert r.returncode == 0, r.stderr
    want = expected(scan, average=avg)
    rows = read_csv(out / "merged.csv")
    header, body = rows[0], rows[1:]
    assert header == ["image", "time_utc", "time_unix_s", "start_unix_s", "exposure_s",
                      "Duration (Peak)", "Counts (Peak)", "Ioni (Dlog)", "Temp/C (Dlog)"]
    assert (out / "merged.csv").read_bytes().count(b"\r\n") == len(rows)  # RFC 4180 line ends
    assert [b[0] for b in body] == list(want["image"])  # Pil100k skipped, sub-folder found, time order
    got = pd.DataFrame([[float(v) if v else np.nan for v in b[2:]] for b in body], columns=header[2:])
    # Times: the header's millisecond date minus the exposure; 1e-6 s covers the decimal round trip of the date.
    assert np.allclose(got["time_unix_s"], want["time"], rtol=0, atol=1e-6)
    assert np.allclose(got["start_unix_s"], want["start"], rtol=0, atol=1e-6)
    for b, t in zip(body, got["time_unix_s"]):
        assert b[1] == datetime.fromtimestamp(t, timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    # As-of values are copied: exact. Time-weighted means: 1e-12 relative (summation order differs).
    for column in ["Duration (Peak)", "Counts (Peak)", "Temp/C (Dlog)"]:
        assert np.array_equal(got[column], want[column], equal_nan=True), column
    assert np.allclose(got["Ioni (Dlog)"], want["Ioni (Dlog)"], rtol=1e-12, atol=0, equal_nan=True)
    long = want["exposure"] >= 5
    assert long.any() and not np.allclose(got["Ioni (Dlog)"][long], expected(scan)["Ioni (Dlog)"][long])

    with h5py.File(out / "merged.h5") as f:
        assert f["entry"].attrs["NX_class"] == "NXentry" and f["entry/Peak"].attrs["NX_class"] == "NXlog"
        peak_t, peak = scan["tables"]["Peak"]
        assert np.allclose(f["entry/Peak/time"][()], peak_t, rtol=0, atol=1e-6)  # Mac → Unix, offset removed
        assert f["entry/Peak/time"].attrs["units"] == "s"
        assert np.array_equal(f["entry/Peak/Counts"][()], peak["Counts"])
        assert f["entry/Dlog/Temp_C"].attrs["long_name"] == "Temp/C"
        merged = f["entry/merged"]
        assert merged.attrs["NX_class"] == "NXdata"
        assert [s.decode() for s in merged["image"][()]] == list(want["image"])
        assert np.array_equal(merged["Duration_Peak"][()], got["Duration (Peak)"], equal_nan=True)
        assert merged["Duration_Peak"].attrs["long_name"] == "Duration (Peak)"
        assert np.array_equal(merged["time"][()], got["time_unix_s"])
    svg = etree.parse(str(out / "sync.svg"))
    assert len(list(svg.iter("{http://www.w3.org/2000/svg}path"))) > 12


def test_first_image_synchronisation(scan):
    """-1 Peak: every log moves by Δ = first image start − first Peak entry (the logs' clock is off by an unknown
    amount; no offsets given)."""
    d = scan["dir"]
    r = merge(scan["images"], d / "peak.tsv", "Dlog=" + str(d / "dlog1.tsv"), "Dlog=" + str(d / "dlog2.tsv"),
              "--mac-epoch", "peak", "-1", "peak", "-o", d / "o1")
    assert r.returncode == 0, r.stderr
    scan["tables"]["peak"] = scan["tables"].pop("Peak")
    # Logs as read: Peak +3.5 s, Dlog −2 s from the truth; Δ brings Peak's first entry onto the first image's start.
    raw = {"peak": 3.5, "Dlog": -2.0}
    start0 = scan["ends"][0] - scan["exposures"][0]
    delta = start0 - (scan["tables"]["peak"][0][0] + 3.5)
    shifted = {n: (t + raw[n], c) for n, (t, c) in scan["tables"].items()}
    want = expected(dict(scan, tables={"peak": shifted["peak"], "Dlog": shifted["Dlog"]}), delta=delta)
    rows = read_csv(d / "o1" / "merged.csv")
    got = np.array([[float(v) if v else np.nan for v in b[5:]] for b in rows[1:]])
    assert rows[0][5:] == list(want.columns[4:])
    assert np.array_equal(got, want.iloc[:, 4:].to_numpy(float), equal_nan=True)
    assert "shifted by" in r.stdout


@pytest.mark.parametrize("case", ["no-time-column", "no-images", "non-monotonic", "no-overlap", "overlapping-files"])
def test_bad_input(scan, case):
    d = scan["dir"]
    logs = [d / "peak.tsv", "--mac-epoch", "peak"]
    fragment = {"no-time-column": "bad.tsv: line 2: no time in the first column",
                "no-images": "no images", "non-monotonic": "bad.tsv: line 4: time", "no-overlap": "no overlap",
                "overlapping-files": "overlap those of"}[case]
    images = scan["images"]
    if case == "no-time-column":
        (d / "bad.tsv").write_text("Sample\tValue\nwater\t1\n")
        logs = [d / "bad.tsv"]
    elif case == "no-images":
        images = d / "empty"
        images.mkdir()
    elif case == "non-monotonic":
        (d / "bad.tsv").write_text(f"Time\tV\n{T0}\t1\n{T0 + 2}\t2\n{T0 + 1}\t3\n")
        logs = [d / "bad.tsv"]
    elif case == "no-overlap":
        (d / "bad.tsv").write_text(f"Time\tV\n{T0 + 1e6}\t1\n{T0 + 1e6 + 2}\t2\n")
        logs = [d / "bad.tsv"]
    elif case == "overlapping-files":
        logs = [f"D={d / 'dlog1.tsv'}", f"D={d / 'dlog1.tsv'}"]
    r = merge(images, *logs, "-o", d / "o")
    assert r.returncode == 2, r.stderr
    assert_clean_failure(r, fragment)
    assert not (d / "o" / "merged.csv").exists()


def test_zero_image_synchronisation_and_start_stamps(scan):
    """-z Peak: Δ = the zero image's start − the first Peak entry; with --image-time start the header's date is the
    start of the exposure."""
    d = scan["dir"]
    zero_start = T0 - 3.25
    pilatus(scan["images"] / "zero_1M_00000.tif", zero_start, 0.5)  # a start stamp under --image-time start
    for k, name in enumerate(scan["names"]):  # rewrite the others with start stamps too
        pilatus(scan["images"] / name, scan["ends"][k] - scan["exposures"][k], scan["exposures"][k])
    r = merge(scan["images"], f"Peak={d / 'peak.tsv'}", "--mac-epoch", "Peak", "-z", "Peak", "--image-time", "start",
              "-o", d / "oz")
    assert r.returncode == 0, r.stderr
    peak_t, peak = scan["tables"]["Peak"]
    delta = zero_start - (peak_t[0] + 3.5)
    rows = read_csv(d / "oz" / "merged.csv")
    body = rows[1:]
    assert body[0][0] == "zero_1M_00000.tif"
    for b in body:
        t = float(b[2])
        k = np.searchsorted(peak_t + 3.5 + delta, t, side="right") - 1
        assert float(b[5]) == peak["Duration"][k], b[0]
    assert f"shifted by {delta}" in r.stdout or abs(float(r.stdout.split("shifted by ")[1].split(" s")[0]) - delta) < 1e-6


def test_detector_log_overrides_the_header(scan):
    """A detector .log (title line, `----` rule, "Time Requested, Time Measured, End Date Time, File Name"; a short
    line has only the date and the name) gives the end and measured exposure of the images it names
    (Image_path + file name), which win over the TIFF header's."""
    d = scan["dir"]
    iso = lambda t: datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:23]
    ends = {1: scan["ends"][1] + 0.5, 2: scan["ends"][2] - 0.25}
    (scan["images"] / "sub" / "detector.log").write_text(
        "Pilatus exposure log\n----------------\n"
        f"1.0 1.002 {iso(ends[1])} /ramdisk/img_00001.tif\n"
        f"{iso(ends[2])} /ramdisk/img_00002.tif\n")
    # .log files under results/ are integration logs, not the detector's: not read (this one would be refused).
    (scan["images"] / "results").mkdir()
    (scan["images"] / "results" / "integrate.log").write_text("run\nnot a detector log line\n")
    r = merge(scan["images"], f"Peak={d / 'peak.tsv'}", "--mac-epoch", "Peak", "--table-offset", "Peak=3.5",
              "-o", d / "ol")
    assert r.returncode == 0, r.stderr
    rows = {b[0]: b for b in read_csv(d / "ol" / "merged.csv")[1:]}
    start, exposure = float(rows["img_00001.tif"][3]), float(rows["img_00001.tif"][4])
    assert exposure == 1.002 and abs(start - (ends[1] - 1.002)) < 1e-6
    start, exposure = float(rows["img_00002.tif"][3]), float(rows["img_00002.tif"][4])
    assert exposure == scan["exposures"][2] and abs(start - (ends[2] - exposure)) < 1e-6
    start = float(rows["img_00003.tif"][3])  # not in the log: the header
    assert abs(start - (scan["ends"][3] - scan["exposures"][3])) < 1e-6


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_windows_and_classic_mac_line_ends(scan, newline):
    """CRLF (LabVIEW on Windows) and CR-only (classic Mac OS) logs merge as their LF twins do."""
    d = scan["dir"]
    (d / "peak2.tsv").write_bytes((d / "peak.tsv").read_text().replace("\n", newline).encode())
    common = ["--mac-epoch", "Peak", "--table-offset", "Peak=3.5"]
    a = merge(scan["images"], f"Peak={d / 'peak.tsv'}", *common, "-o", d / "lf")
    b = merge(scan["images"], f"Peak={d / 'peak2.tsv'}", *common, "-o", d / "other")
    assert a.returncode == 0 and b.returncode == 0, a.stderr + b.stderr
    assert (d / "lf" / "merged.csv").read_bytes() == (d / "other" / "merged.csv").read_bytes()


def test_saxsdog_merge_configuration_equals_the_options(scan):
    """-C conf.json (SAXSDog's LogDataTables: TimeEpoch, TimeOffset, FirstImageCorrelation, Files as LocalPath or
    path components relative to the configuration) gives the same merged.csv as the equivalent options."""
    import json
    d = scan["dir"]
    conf = {"TimeOffset": 0.5, "OutputFileBaseName": "merged", "OutputFormats": {"csv": True},
            "LogDataTables": [
                {"Name": "Peak", "TimeEpoch": "Mac", "TimeOffset": 3.0, "FirstImageCorrelation": True,
                 "ZeroImageCorrelation": False, "Files": [{"LocalPath": str(d / "peak.tsv")}]},
                {"Name": "Dlog", "TimeEpoch": "Unix", "TimeOffset": -2.5,
                 "Files": [{"RemotePath": ["dlog1.tsv"], "LocalPath": ""}, {"Path": ["dlog2.tsv"]}]}]}
    (d / "conf.json").write_text(json.dumps(conf))
    a = merge(scan["images"], "-C", d / "conf.json", "--average", "Ioni (Dlog)", "-o", d / "c")
    b = merge(scan["images"], f"Peak={d / 'peak.tsv'}", f"Dlog={d / 'dlog1.tsv'}", f"Dlog={d / 'dlog2.tsv'}",
              "--mac-epoch", "Peak", "--table-offset", "Peak=3", "--table-offset", "Dlog=-2.5", "--time-offset", "0.5",
              "-1", "Peak", "--average", "Ioni (Dlog)", "-o", d / "o")
    assert a.returncode == 0 and b.returncode == 0, a.stderr + b.stderr
    assert (d / "c" / "merged.csv").read_bytes() == (d / "o" / "merged.csv").read_bytes()

    conf["LogDataTables"][0]["Colour"] = "red"
    (d / "bad.json").write_text(json.dumps(conf))
    r = merge(scan["images"], "-C", d / "bad.json", "-o", d / "x")
    assert_clean_failure(r, "LogDataTables[0].Colour", "unknown key")
    r = merge(scan["images"], d / "peak.tsv", "-C", d / "conf.json", "-o", d / "x")
    assert_clean_failure(r, "LOGS", "not with --conf")


def test_sync_plot_as_png(scan):
    from PIL import Image
    d = scan["dir"]
    r = merge(scan["images"], f"Peak={d / 'peak.tsv'}", "--mac-epoch", "Peak", "-1", "Peak", "-o", d / "o",
              "--sync-plot", d / "sync.png")
    assert r.returncode == 0, r.stderr
    with Image.open(d / "sync.png") as im:
        assert im.size == (960, 1040)  # 480 × 520 points, 2 pixels per point
        pixels = np.asarray(im.convert("RGB")).reshape(-1, 3)
    assert len({tuple(p) for p in pixels[::5]}) > 20
    assert not (d / "o" / "sync.svg").exists()


def test_merged_h5_is_valid_nexus(scan):
    from test_nexus import validator_errors
    d = scan["dir"]
    r = merge(scan["images"], f"Peak={d / 'peak.tsv'}", "--mac-epoch", "Peak", "-o", d / "nx")
    assert r.returncode == 0, r.stderr
    errors, text = validator_errors("nxcheck", d / "nx" / "merged.h5")
    assert errors == 0, text
