"""beamforge stack and mask end to end on synthetic NeXus scans (Tests/e2e/nexus.py): real mpirun, stack.h5 and
mask.h5 read back with h5py, masks.npz with numpy, the TIFF tree with tifffile."""
import csv
from pathlib import Path

import h5py
import numpy as np
import pytest
import tifffile
from skimage.transform import resize

from conftest import BEAMFORGE, assert_clean_failure, datasets, mpirun
from larix_reference import stripe_mask
from nexus import write_flats, write_scan, normalised

ANGLES, ROWS, COLS = 60, 48, 64
# Mask windows scaled to the small scan: size 10, radius 3, length 20, depth 6, width 4 (6 ghost rows).
MASK = dict(size=10, radius=3, threshold=0.63, length=20, depth=6, width=4, sensitivity=85)
MASK_SET = ["--set", "stripe_mask.size=10", "--set", "stripe_mask.min_length=20", "--set", "stripe_mask.min_depth=6",
            "--set", "stripe_mask.min_width=4"]
SMALL = ["--set", "output_shape=[30,32]"]
# 1 % of 32 columns is no stripe at all: 10 % gives 3 per sinogram.
DENSE = ["--set", "paired_stripes.percentage=10"]


def stack(out, scan, *args, ranks=1):
    result = mpirun(ranks, BEAMFORGE, "stack", str(scan), "--root", str(out), "--no-progress", *args)
    assert result.returncode == 0, result.stderr
    return out / "stack.h5"


def quantise(values, low, high):
    """The TIFF rule: round(clip((x - low) / (high - low), 0, 1) * 65535), halves away from zero."""
    return np.floor(np.clip((values.astype(np.float64) - low) / (high - low), 0, 1) * 65535 + 0.5).astype(np.uint16)


@pytest.fixture(scope="module")
def scans(tmp_path_factory):
    """Scan 100 (flats and darks at both ends, frames behind an external link), its shift 101 (flats after), and
    scan 200 without flats plus a separate flats file."""
    d = tmp_path_factory.mktemp("scans")
    s100 = write_scan(d / "100.nxs", seed=1, layout="both")
    s101 = write_scan(d / "101.nxs", seed=2, layout="after")
    s200 = write_scan(d / "200.nxs", seed=3, layout="none", external=False)
    flats = write_flats(d / "flats.h5", seed=3)
    return dict(dir=d, s100=s100, s101=s101, s200=s200, flats=flats)


@pytest.fixture(scope="module")
def raw(scans, tmp_path_factory):
    out = tmp_path_factory.mktemp("raw")
    return stack(out, scans["dir"] / "100.nxs", "--shifts", "2", "--chunk-size", "7", *SMALL, ranks=2)


def test_normalisation_equals_direct_computation(scans, tmp_path):
    """Full-size sinograms against tomopy's formula in NumPy (float32): within 2e-6, float32 rounding of -ln."""
    h5 = stack(tmp_path, scans["dir"] / "100.nxs", "--no-downsample", "--chunk-size", "9")
    expected = normalised(*scans["s100"])
    with h5py.File(h5) as f:
        got = f["stack/sinogram"][()]
        assert got.shape == (ROWS, ANGLES, COLS)
        np.testing.assert_allclose(got, expected.transpose(1, 0, 2), rtol=0, atol=2e-6)
        assert f["stack/rotation_angle"].shape == (ANGLES,)


def test_separate_flats_file(scans, tmp_path):
    h5 = stack(tmp_path, scans["dir"] / "200.nxs", "--flats", str(scans["dir"] / "flats.h5"), "--no-downsample")
    stack200, key200 = scans["s200"]
    flat_stack = scans["flats"]
    flat_key = np.array([1] * 5 + [2] * 3)
    expected = normalised(stack200, key200, flat_stack, flat_key)
    with h5py.File(h5) as f:
        np.testing.assert_allclose(f["stack/sinogram"][()], expected.transpose(1, 0, 2), rtol=0, atol=2e-6)


def test_direct_compressed_and_float_scans_give_the_same_stack(scans, tmp_path):
    """Uncompressed uint16 scans (contiguous, or one frame per chunk as scan 100's linked file) are read straight from
    the file, kept as counts; a gzip-compressed copy goes through HDF5, and a float32 copy is converted whole. All
    give identical sinograms."""
    copies = {}
    for kind in ("compressed", "float"):
        copies[kind] = tmp_path / f"{kind}.nxs"
        with h5py.File(scans["dir"] / "100.nxs") as source, h5py.File(copies[kind], "w") as f:
            for name in ("entry1/tomo_entry/data/data", "entry1/tomo_entry/instrument/detector/image_key",
                         "entry1/tomo_entry/data/rotation_angle"):
                data = source[name][()]
                if data.ndim != 3:
                    f.create_dataset(name, data=data)
                elif kind == "compressed":
                    f.create_dataset(name, data=data, chunks=(1, *data.shape[1:]), compression="gzip")
                else:
                    f.create_dataset(name, data=data.astype(np.float32))
    runs = [stack(tmp_path / name, scan, "--chunk-size", "11", *SMALL)
            for name, scan in (("direct", scans["dir"] / "100.nxs"), ("compressed", copies["compressed"]),
                               ("float", copies["float"]))]
    reference = datasets(runs[0], "stack")
    assert datasets(runs[1], "stack") == reference
    assert datasets(runs[2], "stack") == reference


def test_float_scan_gives_the_same_mask(scans, masks, tmp_path):
    """The stripe mask of a float32 copy (absorption converted whole, rows taken with a stride) equals the uint16
    scan's (counts turned into absorption line by line)."""
    copy = tmp_path / "100.nxs"
    with h5py.File(scans["dir"] / "100.nxs") as source, h5py.File(copy, "w") as f:
        for name in ("entry1/tomo_entry/data/data", "entry1/tomo_entry/instrument/detector/image_key"):
            data = source[name][()]
            f.create_dataset(name, data=data.astype(np.float32) if data.ndim == 3 else data)
    result = mpirun(2, BEAMFORGE, "mask", str(copy), "--root", str(tmp_path / "out"), "--no-progress",
                    "--chunk-size", "9", *MASK_SET)
    assert result.returncode == 0, result.stderr
    assert datasets(tmp_path / "out" / "mask.h5", "mask") == datasets(masks[1] / "mask.h5", "mask")


def test_downsampling_matches_scikit_image(scans, raw):
    """Each sinogram resized to (30, 32) against skimage.transform.resize(anti_aliasing=True): the same Gaussian and
    linear interpolation, summed in another order: within 1e-5 of the data's range."""
    expected = normalised(*scans["s100"])
    with h5py.File(raw) as f:
        got = f["stack/sinogram"][()]
    assert got.shape == (2 * ROWS, 30, 32)
    for row in (0, 17, 47):
        reference = resize(expected[:, row, :], (30, 32), anti_aliasing=True)
        scale = float(np.ptp(expected[:, row, :]))
        assert np.max(np.abs(got[row] - reference)) < 1e-5 * max(scale, 1.0)


def test_global_normalisation_independent_of_chunks_and_ranks(scans, raw, tmp_path):
    """stack.h5, /stats and every TIFF are bit-identical for chunk 7 on 2 ranks and one 48-row chunk on 3 ranks."""
    other = stack(tmp_path, scans["dir"] / "100.nxs", "--shifts", "2", "--chunk-size", "48", *SMALL, ranks=3)
    for group in ("stack", "stats"):
        assert datasets(raw, group) == datasets(other, group)
    tiffs = sorted(p.relative_to(raw.parent) for p in raw.parent.rglob("*.tif"))
    assert tiffs == sorted(p.relative_to(other.parent) for p in other.parent.rglob("*.tif"))
    for path in tiffs:
        assert (raw.parent / path).read_bytes() == (other.parent / path).read_bytes(), path


def test_global_range_and_tiffs(raw):
    """The range of each scan over rows [20, 28) scales its TIFFs: 0000/shiftNN/0000_shiftNN_rrrr.tif, uint16."""
    root = raw.parent
    with h5py.File(raw) as f:
        sino = f["stack/sinogram"][()]
        low, high = f["stats/sinogram/min"][()], f["stats/sinogram/max"][()]
        assert f["stats/sinogram"].attrs["group_margin"] == 20
    for shift in (0, 1):
        interior = sino[shift * ROWS + 20:shift * ROWS + ROWS - 20]
        assert low[shift] == interior.min() and high[shift] == interior.max()
        for row in (0, 25, 47):
            image = tifffile.imread(root / f"0000/shift{shift:02d}/0000_shift{shift:02d}_{row:04d}.tif")
            assert image.dtype == np.uint16 and image.shape == (30, 32)
            np.testing.assert_array_equal(image, quantise(sino[shift * ROWS + row], low[shift], high[shift]))
    assert len(list(root.rglob("*.tif"))) == 2 * ROWS
    with open(root / "meta.csv") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 2 * ROWS and rows[ROWS]["scan"] == "101" and rows[ROWS]["shift"] == "1"


@pytest.fixture(scope="module")
def masks(scans, tmp_path_factory):
    """The mask of scan 100 on 3 ranks in 5-row chunks, and on 1 rank in one chunk."""
    out3 = tmp_path_factory.mktemp("mask3")
    out1 = tmp_path_factory.mktemp("mask1")
    for out, ranks, chunk in ((out3, 3, "5"), (out1, 1, "48")):
        result = mpirun(ranks, BEAMFORGE, "mask", str(scans["dir"] / "100.nxs"), "--root", str(out), "--no-progress",
                        "--chunk-size", chunk, *MASK_SET)
        assert result.returncode == 0, result.stderr
    return out3, out1


def test_mask_equals_whole_volume_reference(scans, masks):
    """Ghost rows make the 3-rank mask equal the 1-rank whole-volume mask and a literal NumPy transcription of
    Larix's C code run on the whole volume; the pixels with a gain error are found."""
    out3, out1 = masks
    assert datasets(out3 / "mask.h5", "mask") == datasets(out1 / "mask.h5", "mask")
    with np.load(out3 / "masks.npz") as archive:
        assert list(archive.keys()) == ["m100"]
        mask = archive["m100"]
    assert mask.dtype == np.uint8 and mask.shape == (ANGLES, ROWS, COLS)
    with h5py.File(out1 / "mask.h5") as f:
        np.testing.assert_array_equal(f["mask/mask"][()].transpose(1, 0, 2), mask)
    reference = stripe_mask(normalised(*scans["s100"]), **MASK)
    assert mask.sum() > 0
    np.testing.assert_array_equal(mask, reference)
    assert mask[:, 10:13, 18:24].any(), "the stripe at rows 10-12, columns 20-21 was not found"


def test_mask_archive_is_extended(scans, masks):
    out3, _ = masks
    archive = out3 / "masks.npz"
    result = mpirun(2, BEAMFORGE, "mask", str(scans["dir"] / "101.nxs"), "--root", str(out3 / "second"),
                    "--no-progress", "--npz", str(archive), *MASK_SET)
    assert result.returncode == 0, result.stderr
    with np.load(archive) as npz:
        assert sorted(npz.keys()) == ["m100", "m101"]
        assert npz["m101"].shape == (ANGLES, ROWS, COLS)


def test_paired_mode_with_archive_and_computed_mask(scans, masks, tmp_path):
    """Paired mode with --mask (the .npz archive, or the mask.h5 of the mask run) equals paired mode computing the
    mask itself (with ghost rows, 2 ranks, 5-row chunks); rows the mask marks go to real_artifacts only, the others
    get stripes under fake_artifacts."""
    out3, _ = masks
    with_archive = stack(tmp_path / "a", scans["dir"] / "100.nxs", "--mode", "paired", "--mask",
                         str(out3 / "masks.npz"), *SMALL, *DENSE, ranks=2)
    computed = stack(tmp_path / "b", scans["dir"] / "100.nxs", "--mode", "paired", "--chunk-size", "5", *SMALL,
                     *MASK_SET, *DENSE, ranks=2)
    with_output = stack(tmp_path / "c", scans["dir"] / "100.nxs", "--mode", "paired", "--mask",
                        str(out3 / "mask.h5"), "--chunk-size", "7", *SMALL, *DENSE, ranks=3)
    assert datasets(with_archive, "stack") == datasets(computed, "stack")
    assert datasets(with_output, "stack") == datasets(computed, "stack")
    with np.load(out3 / "masks.npz") as npz:
        marked = npz["m100"].any(axis=(0, 2))
    root = with_archive.parent
    with h5py.File(with_archive) as f:
        real = f["stack/real_artifact"][()].astype(bool)
        clean, striped = f["stack/clean"][()], f["stack/stripe"][()]
        low, high = f["stats/stripe/min"][0], f["stats/stripe/max"][0]
    np.testing.assert_array_equal(real, marked)
    assert real.any() and not real.all()
    assert np.isnan(clean[real]).all() and not np.isnan(clean[~real]).any()
    changed = [(striped[r] != clean[r]).any() for r in np.flatnonzero(~real)]
    assert np.mean(changed) > 0.8, "clean rows should mostly get stripes"
    for r in range(ROWS):
        name = f"0000_shift00_{r:04d}.tif"
        if real[r]:
            assert (root / "0000/real_artifacts/stripe" / name).exists()
            assert not (root / "0000/fake_artifacts/clean" / name).exists()
        else:
            image = tifffile.imread(root / "0000/fake_artifacts/stripe" / name)
            np.testing.assert_array_equal(image, quantise(striped[r], low, high))
            assert (root / "0000/fake_artifacts/clean" / name).exists()


def test_dynamic_mode(scans, tmp_path):
    """Frames of 12 angles: frame f uses angles [24f, 24f + 12); 60 angles give 2 frames; files in the root."""
    h5 = stack(tmp_path, scans["dir"] / "100.nxs", "--mode", "dynamic", "--frame-angles", "12", *SMALL, ranks=2)
    expected = normalised(*scans["s100"])
    with h5py.File(h5) as f:
        sino = f["stack/sinogram"][()]
    assert sino.shape == (ROWS * 2, 30, 32)
    for row, frame in ((3, 0), (30, 1)):
        reference = resize(expected[24 * frame:24 * frame + 12, row, :], (30, 32), anti_aliasing=True)
        assert np.max(np.abs(sino[row * 2 + frame] - reference)) < 1e-5
        assert (tmp_path / f"0000_frame{frame:02d}_{row:04d}.tif").exists()
    assert len(list(tmp_path.glob("0000_frame*_*.tif"))) == 2 * ROWS


def test_patch_mode(scans, masks, tmp_path):
    """Patches of 30 x 16 at full resolution: 2 x 4 per row; clean patches get stripes clipped to their range."""
    out3, _ = masks
    h5 = stack(tmp_path, scans["dir"] / "100.nxs", "--mode", "patch", "--patch-size", "30", "16", "--mask",
               str(out3 / "masks.npz"))
    expected = normalised(*scans["s100"])
    with np.load(out3 / "masks.npz") as npz:
        mask = npz["m100"]
    with h5py.File(h5) as f:
        clean, striped, real = f["stack/clean"][()], f["stack/stripe"][()], f["stack/real_artifact"][()]
    assert clean.shape == (ROWS, 8, 30, 16) and real.shape == (ROWS, 8)
    for row in (5, 11):
        for p in range(8):
            a, c = p // 4, p % 4
            block = expected[30 * a:30 * a + 30, row, 16 * c:16 * c + 16]
            assert real[row, p] == mask[30 * a:30 * a + 30, row, 16 * c:16 * c + 16].any()
            np.testing.assert_allclose(striped[row, p] if real[row, p] else clean[row, p], block, atol=2e-6)
            if not real[row, p]:
                assert striped[row, p].min() >= block.min() - 1e-6 and striped[row, p].max() <= block.max() + 1e-6
            kind = "real_artifacts" if real[row, p] else "fake_artifacts"
            name = f"0000/{kind}/stripe/0000_shift00_{row:04d}_w{p:02d}.tif"
            assert tifffile.imread(tmp_path / name).shape == (30, 16)


def test_mask_file_without_the_scan(scans, masks, tmp_path):
    """A mask.h5 (or archive) without the scan's mask is refused before anything is written, naming the key."""
    out3, _ = masks
    second = out3 / "second" / "mask.h5"
    if not second.exists():
        result = mpirun(2, BEAMFORGE, "mask", str(scans["dir"] / "101.nxs"), "--root", str(out3 / "second"),
                        "--no-progress", "--npz", str(tmp_path / "only101.npz"), *MASK_SET)
        assert result.returncode == 0, result.stderr
    for masks_file in (second, out3 / "second" / "missing.h5"):
        result = mpirun(2, BEAMFORGE, "stack", str(scans["dir"] / "100.nxs"), "--root", str(tmp_path / "out"),
                        "--mode", "paired", "--mask", str(masks_file), *SMALL)
        if masks_file == second:
            assert_clean_failure(result, "mask.h5", "no mask 'm100'", "m101")
        else:
            assert_clean_failure(result, "missing.h5", "no such mask file")
        assert not (tmp_path / "out" / "stack.h5").exists()


def test_dry_run_prints_memory_per_rank(scans, tmp_path):
    result = mpirun(2, BEAMFORGE, "stack", str(scans["dir"] / "100.nxs"), "--root", str(tmp_path / "dry"),
                    "--dry-run", "--chunk-size", "16")
    assert result.returncode == 0, result.stderr
    assert "memory per rank" in result.stdout and "/stack/sinogram" in result.stdout
    assert not (tmp_path / "dry" / "stack.h5").exists()


@pytest.mark.parametrize("case", ["dataset", "no_flats", "flat_shape", "key_length", "chunk", "shift"])
def test_bad_input(scans, tmp_path, case):
    d = scans["dir"]
    scan = d / "100.nxs"
    args = []
    if case == "dataset":
        args, fragments = ["--data-path", "/entry1/missing"], ["/entry1/missing", "--data-path", "it holds"]
    elif case == "no_flats":
        scan, fragments = d / "200.nxs", ["200.nxs", "no flats or darks"]
    elif case == "flat_shape":
        write_flats(tmp_path / "small.h5", rows=40, cols=64)
        args, fragments = ["--flats", str(tmp_path / "small.h5")], ["small.h5", "40×64", "48×64"]
    elif case == "key_length":
        write_scan(tmp_path / "300.nxs", external=False, key_length=50)
        scan, fragments = tmp_path / "300.nxs", ["image key", "shape [50]"]
    elif case == "chunk":
        args, fragments = ["--chunk-size", "0"], ["chunk_size", "at least 1"]
    else:
        args, fragments = ["--shifts", "3"], ["102.nxs", "not found"]
    result = mpirun(2, BEAMFORGE, "stack", str(scan), "--root", str(tmp_path / "out"), *args)
    assert_clean_failure(result, *fragments)
    assert not (tmp_path / "out" / "stack.h5").exists()


def test_nostripesnet_spelling_of_the_scan_option(scans, tmp_path):
    """`--hdf-file` (NoStripesNet's option) and `--hdf-root` (its README's spelling) name the scan, as the argument
    does; the same output. Both the argument and a different --hdf-file: refused."""
    reference = stack(tmp_path / "a", scans["dir"] / "100.nxs", *SMALL, *MASK_SET)
    for spelling in ("--hdf-file", "--hdf-root"):
        r = mpirun(1, BEAMFORGE, "stack", spelling, str(scans["dir"] / "100.nxs"), "--root", str(tmp_path / spelling),
                   "--no-progress", *SMALL, *MASK_SET)
        assert r.returncode == 0, r.stderr
        assert datasets(tmp_path / spelling / "stack.h5", "stack") == datasets(reference, "stack")
    r = mpirun(1, BEAMFORGE, "stack", str(scans["dir"] / "100.nxs"), "--hdf-file", str(scans["dir"] / "101.nxs"),
               "--root", str(tmp_path / "c"), "--no-progress")
    assert_clean_failure(r, "name different scans")
    assert r.returncode == 2
