"""`meta.csv` and `/stats`: the per-item table and the global statistics for normalisation."""

from __future__ import annotations

import os
from dataclasses import dataclass

import h5py
import numpy as np
import pandas as pd

from ._files import decode, text_attr

# beamforge writes a CSV cell that a spreadsheet would evaluate with one leading apostrophe (docs/output-schema.md,
# "Formula cells"); these are the characters after which that apostrophe was added.
_ESCAPED_AFTER = ("=", "+", "-", "@", "\t", "\r", "'")


def unescape_cell(text):
    """Undoes beamforge's formula-cell escaping: strips one leading apostrophe before `= + - @`, tab, CR or `'`."""
    if isinstance(text, str) and text[:1] == "'" and text[1:2] in _ESCAPED_AFTER:
        return text[1:]
    return text


def read_meta(path: str | os.PathLike) -> pd.DataFrame:
    """A `meta.csv` as a DataFrame: one row per item, texts as written before escaping (RFC 4180, UTF-8)."""
    table = pd.read_csv(path, dtype_backend="numpy_nullable", keep_default_na=False, na_values=[""])
    for column in table.columns:
        if table[column].dtype == object or pd.api.types.is_string_dtype(table[column]):
            table[column] = table[column].map(unescape_cell)
    return table


@dataclass(frozen=True)
class Statistics:
    """One entry of `/stats`: dataset-wide (or per-feature) count, mean, population std, min and max of `dataset`
    after `transform` ("identity" or "log10"), identical for any rank count."""

    name: str
    dataset: str
    transform: str
    per_feature: bool
    count: np.ndarray
    mean: np.ndarray
    std: np.ndarray
    min: np.ndarray
    max: np.ndarray

    @classmethod
    def read(cls, group: h5py.Group, name: str) -> "Statistics":
        def values(key):
            data = np.asarray(group[key][()], dtype=float)
            return data if bool(decode(group.attrs.get("per_feature", 0))) else data.reshape(-1)[:1]

        return cls(
            name=name,
            dataset=text_attr(group, "dataset"),
            transform=text_attr(group, "transform", "identity"),
            per_feature=bool(decode(group.attrs.get("per_feature", 0))),
            count=values("count"),
            mean=values("mean"),
            std=values("std"),
            min=values("min"),
            max=values("max"),
        )

    def transformed(self, values) -> np.ndarray:
        """`values` in the space the statistics were taken in (log10 of positive values; NaN elsewhere)."""
        x = np.asarray(values, dtype=float)
        if self.transform == "log10":
            with np.errstate(divide="ignore", invalid="ignore"):
                return np.where(x > 0, np.log10(np.where(x > 0, x, 1)), np.nan)
        if self.transform != "identity":
            raise ValueError(f"/stats/{self.name}: unknown transform {self.transform!r}")
        return x

    def standardise(self, values) -> np.ndarray:
        """(transform(x) − mean) / std: zero mean and unit variance over the dataset."""
        std = np.where(self.std > 0, self.std, 1.0)
        return (self.transformed(values) - self._scalar(self.mean)) / self._scalar(std)

    def rescale(self, values) -> np.ndarray:
        """(transform(x) − min) / (max − min): the dataset's range onto [0, 1]."""
        span = np.where(self.max > self.min, self.max - self.min, 1.0)
        return (self.transformed(values) - self._scalar(self.min)) / self._scalar(span)

    def _scalar(self, array):
        return array if self.per_feature else array[0]


def read_statistics(f: h5py.File) -> dict[str, Statistics]:
    """Every entry of `/stats` by name (empty when the job writes none)."""
    if "stats" not in f:
        return {}
    return {name: Statistics.read(group, name) for name, group in f["stats"].items()
            if isinstance(group, h5py.Group) and "mean" in group}
