"""integrated.h5: azimuthally integrated frames (NXcanSAS), one group per integration of the calibration."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import h5py
import numpy as np

from ._files import text_attr
from ._output import Output

_ENTRY = "integrated"


@dataclass
class Integration:
    """One integration of a frame: the axis (Q of a radial integration, in the file's unit; phi in rad; a GISAXS
    cut's signed q), the mean intensity I and its propagated standard error Idev (NaN in empty bins)."""

    group: str
    axis_name: str
    axis_unit: str
    axis: np.ndarray
    I: np.ndarray
    Idev: np.ndarray


class IntegratedOutput(Output):
    """`open_integrated(dir)`: one item per frame; `groups` lists the integrations (`sasdata01`… radial,
    `phi02`… phi-mode, `cut03`… GISAXS cuts, numbered by SAXSDog's list)."""

    job = "integrated"

    @cached_property
    def groups(self) -> list[str]:
        entry = self.file[_ENTRY]
        return sorted(name for name, g in entry.items()
                      if isinstance(g, h5py.Group) and text_attr(g, "NX_class") == "NXdata")

    @cached_property
    def wavelength(self) -> float:
        """Å."""
        return float(self.file[f"{_ENTRY}/sasinstrument/sassource/incident_wavelength"][()])

    @cached_property
    def distance(self) -> float:
        """Sample–detector distance in m."""
        return float(self.file[f"{_ENTRY}/sasinstrument/sasdetector/SDD"][()])

    def _axis_name(self, group: str) -> str:
        g = self.file[f"{_ENTRY}/{group}"]
        if text_attr(g, "canSAS_class") == "SASdata":
            return "Q"
        return [a for a in g.attrs["axes"] if a != "."][0]

    def axis(self, group: str = "sasdata01") -> tuple[np.ndarray, str]:
        """The bin centres of `group` and their unit."""
        dataset = self.file[f"{_ENTRY}/{group}/{self._axis_name(group)}"]
        return dataset[()], text_attr(dataset, "units")

    def frame(self, index: int, group: str = "sasdata01") -> Integration:
        """Frame `index` integrated in `group`."""
        if group not in self.groups:
            raise KeyError(f"group {group!r}: this file has {', '.join(self.groups)}")
        values, unit = self.axis(group)
        g = self.file[f"{_ENTRY}/{group}"]
        return Integration(group=group, axis_name=self._axis_name(group), axis_unit=unit, axis=values,
                           I=g["I"][index], Idev=g["Idev"][index])

    def intensities(self, group: str = "sasdata01", start: int = 0, stop: int | None = None) -> np.ndarray:
        """I of frames start..<stop in `group` (frames × bins)."""
        return self.file[f"{_ENTRY}/{group}/I"][start:stop]
