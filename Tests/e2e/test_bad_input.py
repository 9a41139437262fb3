"""Bad input: one clear message naming the key or file, exit status 2, no stack trace, no hang."""
import pytest

from conftest import BEAMFORGE, CONFIG, assert_clean_failure, mpirun, run


def saxs(*args):
    return run([BEAMFORGE, "saxs", *args], timeout=60)


def test_malformed_yaml(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("n: [1, 2\nseed: 3\n")
    r = saxs("--config", str(bad), "--out", str(tmp_path / "o"))
    assert_clean_failure(r, str(bad), "malformed YAML", "line")
    assert r.returncode == 2


def test_unknown_top_level_key(tmp_path):
    bad = tmp_path / "typo.yml"
    bad.write_text("n: 10\nradiuss: [10, 20]\n")
    r = saxs("--config", str(bad), "--out", str(tmp_path / "o"))
    assert_clean_failure(r, "unknown key 'radiuss'")
    assert r.returncode == 2


def test_unknown_key_in_an_instrument_file_is_named_by_path(tmp_path):
    (tmp_path / "inst.yml").write_text("q_min: 0.01\nq_max: 0.2\nq_points: 50\nflux: 1e6\nfluxx: 2\nfwhm: 0.001\n"
                                       "distance: 1\nbeam_center: [100, 100]\nbeamstop_radius: 0.5\n")
    cfg = tmp_path / "c.yml"
    cfg.write_text("n: 10\ninstruments: [inst.yml]\n")
    r = saxs("--config", str(cfg), "--out", str(tmp_path / "o"))
    assert_clean_failure(r, "unknown key 'instruments.0.fluxx'")


def test_unknown_key_under_mpirun_is_reported_once(tmp_path):
    r = mpirun(2, BEAMFORGE, "saxs", "--config", CONFIG, "--set", "colour=blue", "--out", str(tmp_path / "o"),
               timeout=60)
    assert r.returncode != 0
    assert [l for l in r.stderr.splitlines() if "beamforge: error" in l] == [
        f"beamforge: error: {CONFIG}: unknown key 'colour'"]


@pytest.mark.parametrize("args, fragment", [
    (["--n=-5"], "n: the number of curves must be at least 1"),
    (["--set", "n=abc"], "n: expected an integer"),
    (["--set", "size=[100, 50]"], "size: min 100.0 is greater than max 50.0"),
    (["--set", "size=[-10, 50]"], "size: must be > 0.0"),
    (["--set", "hollow_inner_fraction=[0.5, 1.5]"], "hollow_inner_fraction: must stay below 1.0"),
    (["--set", "polydispersity=[0, 1]"], "polydispersity: must stay below 1.0"),
    (["--set", "instruments.0.q_min=0.2"], "instruments.0.q_max: must be greater than q_min"),
    (["--set", "instruments.0.beamstop_radius=5"], "instruments.0: q bin 0"),
    (["--set", "instruments.1.mask=nope.msk"], "instruments.1.mask"),
    (["--set", "instruments=[{name: x, q_min: 0.01, q_max: 0.1, q_points: 10, fwhm: 0.001, flux: 1e6}]"],
     "instruments.0.distance: missing"),
    (["--set", "instruments.1.q_max=9"], "instruments.1.q_max"),
    (["--set", "classes=[sphere, teapot]"], "classes.1: unknown shape class 'teapot'"),
    (["--batch-size", "0"], "batch_size: must be at least 1"),
    (["--set", "instruments.5.flux=1"], "'5' is not an index"),
])
def test_nonsense_values_name_their_key(tmp_path, args, fragment):
    r = saxs("--config", CONFIG, "--out", str(tmp_path / "o"), *args)
    assert_clean_failure(r, fragment)
    assert r.returncode == 2
    assert not (tmp_path / "o").exists()


def test_missing_config_file(tmp_path):
    r = saxs("--config", str(tmp_path / "nope.yml"))
    assert_clean_failure(r, "cannot read config file", "nope.yml")


def test_unwritable_output_directory(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    r = mpirun(2, BEAMFORGE, "saxs", "--config", CONFIG, "--n", "10", "--out", str(blocker / "sub"), timeout=60)
    assert r.returncode == 2
    assert [l for l in r.stderr.splitlines() if "beamforge: error" in l][0].startswith(
        f"beamforge: error: cannot create output directory {blocker / 'sub'}")
    r = saxs("--config", CONFIG, "--n", "10", "--out", str(blocker))
    assert_clean_failure(r, "is not a directory")
