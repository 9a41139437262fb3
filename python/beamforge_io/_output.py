"""What every output has: the file, its provenance, its statistics and its `meta.csv`."""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path

import h5py
import numpy as np
import pandas as pd

from ._files import Provenance, output_file
from ._tables import Statistics, read_meta, read_statistics


class Output:
    """A finished beamforge output, opened read-only. Datasets stay in the file: indexing reads only what is asked
    (h5py hyperslabs), so a 500 GB file opens as fast as a small one. Use it as a context manager or call `close()`."""

    job = ""

    def __init__(self, path: str | os.PathLike):
        self.path: Path = output_file(path, self.job)
        self.directory: Path = self.path.parent
        self.file = h5py.File(self.path, "r")
        self.provenance = Provenance.read(self.file)
        self._check_complete()

    def _check_complete(self):
        done = self.file.get("progress/done")
        if done is not None and not np.all(done[()] == 1):
            missing = int(np.count_nonzero(done[()] != 1))
            raise ValueError(f"{self.path}: {missing} items are not written (/progress/done)")

    def __len__(self) -> int:
        return self.provenance.items

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self.file.close()

    @cached_property
    def stats(self) -> dict[str, Statistics]:
        """The global statistics under `/stats`, by name."""
        return read_statistics(self.file)

    @cached_property
    def meta(self) -> pd.DataFrame:
        """`meta.csv`: one row per item, in item order."""
        return read_meta(self.directory / "meta.csv")

    def __repr__(self):
        return f"<{type(self).__name__} {self.path} items={len(self)} seed={self.provenance.seed}>"
