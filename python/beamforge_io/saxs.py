"""saxs.h5: synthetic SAXS curves with their true parameters."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from ._files import decode
from ._output import Output

CURVE_FIELDS = ("q", "I", "sigma", "I_model")


@dataclass
class Curve:
    """One curve, cut to its instrument's q grid (no NaN padding): q in Å⁻¹, I, sigma and I_model in cm⁻¹."""

    index: int
    uid: str
    shape_class: str
    instrument: str
    params: dict
    q: np.ndarray
    I: np.ndarray
    sigma: np.ndarray
    I_model: np.ndarray


class SaxsOutput(Output):
    """`open_saxs(dir)`: the curves of a `beamforge saxs` run.

    Rows of `/saxs/q|I|sigma|I_model` are NaN-padded to the longest instrument grid; `n_points[i]` is the length of
    curve i's own grid, and `curve(i)` returns it cut to that length."""

    job = "saxs"

    @cached_property
    def classes(self) -> list[str]:
        """Shape class names; `/saxs/shape_class` holds indices into this list."""
        return decode(self.file["saxs/shape_class"].attrs["names"])

    @cached_property
    def instruments(self) -> list[str]:
        """Instrument names; `/saxs/instrument` holds indices into this list."""
        return decode(self.file["saxs/instrument"].attrs["names"])

    @cached_property
    def class_index(self) -> np.ndarray:
        return self.file["saxs/shape_class"][()]

    @cached_property
    def instrument_index(self) -> np.ndarray:
        return self.file["saxs/instrument"][()]

    @cached_property
    def grid_lengths(self) -> dict[str, int]:
        """q points of each instrument's grid (the length of its per-bin normaliser)."""
        attrs = self.file["saxs/instrument"].attrs
        return {name: len(attrs[f"normaliser_{name}"]) for name in self.instruments}

    @cached_property
    def n_points(self) -> np.ndarray:
        """Valid q points of every curve."""
        lengths = np.array([self.grid_lengths[name] for name in self.instruments], dtype=np.int64)
        return lengths[self.instrument_index]

    def normaliser(self, instrument: str) -> np.ndarray:
        """Counts per cm⁻¹ in each q bin of `instrument` (I = counts / normaliser)."""
        return np.asarray(self.file["saxs/instrument"].attrs[f"normaliser_{instrument}"], dtype=float)

    def background_counts(self, instrument: str) -> np.ndarray:
        return np.asarray(self.file["saxs/instrument"].attrs[f"background_counts_{instrument}"], dtype=float)

    def model_sigma(self, index: int) -> np.ndarray:
        """The model's σ of curve `index`: √(normaliser·I_model + 2·background_counts)/normaliser (docs)."""
        name = self.instruments[self.instrument_index[index]]
        c, b = self.normaliser(name), self.background_counts(name)
        model = self.file["saxs/I_model"][index, : len(c)]
        return np.sqrt(c * model + 2 * b) / c

    def params_of(self, index: int) -> dict:
        """The sasmodels model and parameters of curve `index` (see `to_sasmodels`)."""
        return json.loads(self.file["saxs/params"].asstr()[index])

    def curve(self, index: int) -> Curve:
        """Curve `index` with its class, instrument, parameters and arrays cut to its grid."""
        if not 0 <= index < len(self):
            raise IndexError(f"curve {index} of {len(self)}")
        n = int(self.n_points[index])
        arrays = {name: self.file[f"saxs/{name}"][index, :n] for name in CURVE_FIELDS}
        return Curve(index=index, uid=self.file["saxs/uid"].asstr()[index],
                     shape_class=self.classes[self.class_index[index]],
                     instrument=self.instruments[self.instrument_index[index]],
                     params=self.params_of(index), **arrays)

    def arrays(self, start: int = 0, stop: int | None = None, fields=CURVE_FIELDS) -> dict[str, np.ndarray]:
        """Padded arrays of curves start..<stop (one hyperslab read per field)."""
        stop = len(self) if stop is None else stop
        return {name: self.file[f"saxs/{name}"][start:stop] for name in fields}

    @cached_property
    def parameters(self) -> pd.DataFrame:
        """One row per curve: uid, class, instrument, model and every parameter (NaN where a model has none),
        joined with the quality columns of `meta.csv` (Rg, χ², Guinier fit)."""
        params = [json.loads(text) for text in self.file["saxs/params"].asstr()[()]]
        table = pd.DataFrame(params)
        table.insert(0, "uid", self.file["saxs/uid"].asstr()[()])
        table.insert(1, "shape_class", [self.classes[k] for k in self.class_index])
        table.insert(2, "instrument", [self.instruments[k] for k in self.instrument_index])
        table.insert(3, "n_points", self.n_points)
        quality = [c for c in self.meta.columns if c not in ("uid", "shape_class", "generator", "true_params",
                                                               "instrument_cfg", "seed", "timestamp")]
        return pd.concat([table, self.meta[quality].reset_index(drop=True)], axis=1)
