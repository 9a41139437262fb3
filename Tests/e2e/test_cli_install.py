"""The command line's own facts: --print-config prints the commented defaults of configs/ (compiled into the binary),
and --version names the release (and, for a scripts/install build, the commit)."""
import re
import subprocess

import pytest

from conftest import BEAMFORGE, ROOT

COMMANDS = {"saxs": "saxs", "integrate": "integrate", "tomo": "tomo", "stack": "stack", "mask": "stack",
            "ptycho-ingest": "ptycho", "ptycho-qc": "ptycho-qc", "orient": "orient"}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_print_config_is_the_commented_default_of_configs(command, tmp_path):
    r = subprocess.run([BEAMFORGE, command, "--print-config"], capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == (ROOT / "configs" / f"{COMMANDS[command]}.yml").read_text()
    assert not list(tmp_path.iterdir()), "--print-config must write nothing"


def test_printed_config_loads_back(tmp_path):
    text = subprocess.run([BEAMFORGE, "integrate", "--print-config"], capture_output=True, text=True, check=True).stdout
    (tmp_path / "integrate.yml").write_text(text)
    r = subprocess.run([BEAMFORGE, "integrate", "--config", str(tmp_path / "integrate.yml"), "--print-config"],
                       capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout == text


def test_version_names_the_release():
    r = subprocess.run([BEAMFORGE, "--version"], capture_output=True, text=True)
    assert r.returncode == 0
    assert re.fullmatch(r"\d+\.\d+\.\d+( \(commit [0-9a-f]{7,40}(\+dirty)?\))?\n", r.stdout), r.stdout
