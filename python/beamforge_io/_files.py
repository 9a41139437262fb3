"""Locating a finished output file and decoding the attributes beamforge writes."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import h5py
import numpy as np

#: The file each job writes into its output directory.
OUTPUT_FILES = {
    "saxs": "saxs.h5",
    "tomo": "tomo.h5",
    "stack": "stack.h5",
    "mask": "mask.h5",
    "integrated": "integrated.h5",
}


class IncompleteOutput(FileNotFoundError):
    """The directory holds no finished output of the job (nothing, or only a `.partial` of a run still going or
    stopped: `--resume` finishes it)."""


def output_file(path: str | os.PathLike, job: str) -> Path:
    """The finished file of `job` at `path` (the output directory or the file itself)."""
    path = Path(path)
    name = OUTPUT_FILES[job]
    candidate = path / name if path.is_dir() else path
    if candidate.is_file():
        return candidate
    partial = candidate.with_name(candidate.name + ".partial")
    if partial.exists():
        raise IncompleteOutput(f"{partial}: the run has not finished (run it again with --resume)")
    raise IncompleteOutput(f"{candidate}: no {name} (not a beamforge {job} output directory)")


def decode(value: Any) -> Any:
    """An attribute as Python: bytes to text, numeric text to numbers, arrays of text to lists."""
    if isinstance(value, bytes):
        value = value.decode("utf-8")
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "OSU":
            return [decode(v) for v in value.tolist()]
        return value
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, str):
        text = value.strip()
        try:
            return int(text)
        except ValueError:
            pass
        try:
            return float(text)
        except ValueError:
            return value
    return value


def text_attr(obj: h5py.HLObject, name: str, default: str = "") -> str:
    """A text attribute as text (never converted to a number)."""
    if name not in obj.attrs:
        return default
    value = obj.attrs[name]
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


@dataclass
class Provenance:
    """Who wrote a file, when, and from what: the root attributes of every beamforge output."""

    job: str
    version: str
    items: int
    seed: int | None
    created: str
    timestamp: str
    random_generator: str
    config_text: str
    runs: list[dict] = field(default_factory=list)

    @classmethod
    def read(cls, f: h5py.File) -> "Provenance":
        seed = decode(f.attrs["seed"]) if "seed" in f.attrs else None
        runs = text_attr(f, "runs", "[]")
        return cls(
            job=text_attr(f, "job"),
            version=text_attr(f, "beamforge_version"),
            items=int(decode(f.attrs["item_count"])),
            seed=int(seed) if seed is not None else None,
            created=text_attr(f, "created"),
            timestamp=text_attr(f, "timestamp"),
            random_generator=text_attr(f, "random_generator"),
            config_text=text_attr(f, "config"),
            runs=json.loads(runs) if runs else [],
        )

    @property
    def config(self) -> dict:
        """The resolved configuration of the run (needs PyYAML)."""
        import yaml  # optional dependency: the text is in `config_text` without it

        return yaml.safe_load(self.config_text) or {}
