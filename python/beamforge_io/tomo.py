"""tomo.h5 (phantom sinograms, clean and striped) and stack.h5 / mask.h5 (sinograms of real NeXus scans)."""

from __future__ import annotations

from functools import cached_property

import numpy as np
import pandas as pd

from ._files import decode, text_attr
from ._output import Output


class TomoOutput(Output):
    """`open_tomo(dir)`: S samples of N rows, each row a sinogram of A angles × D columns.

    Variants: `projection`, `clean` and `stripe` (simple mode) or `shift00`, `shift01`… (complex mode: the
    measurement through the defective detector at each vertical offset)."""

    job = "tomo"

    @cached_property
    def mode(self) -> str:
        return text_attr(self.file["tomo"], "mode")

    @cached_property
    def shape(self) -> tuple[int, int, int, int]:
        """(samples, rows, angles, columns)."""
        return tuple(self.file["tomo/clean"].shape)

    @cached_property
    def angles(self) -> np.ndarray:
        """Projection angles in degrees."""
        return np.asarray(decode(self.file["tomo"].attrs["angles_degrees"]), dtype=float)

    @cached_property
    def variants(self) -> list[str]:
        names = [n for n in ("projection", "clean", "stripe") if f"tomo/{n}" in self.file]
        if "tomo/shifts" in self.file:
            names += [f"shift{k:02d}" for k in range(self.file["tomo/shifts"].shape[1])]
        return names

    def sinogram(self, sample: int, row: int, variant: str = "clean") -> np.ndarray:
        """The (angles × columns) float32 sinogram of `row` of `sample` in `variant` (one hyperslab read)."""
        if variant.startswith("shift") and variant in self.variants:
            return self.file["tomo/shifts"][sample, int(variant[5:]), row]
        if variant not in self.variants:
            raise KeyError(f"variant {variant!r}: this file has {', '.join(self.variants)}")
        return self.file[f"tomo/{variant}"][sample, row]

    def phantom(self, sample: int) -> pd.DataFrame:
        """The spheres of `sample` that were placed: density C0, centre (x0, y0, z0) in the unit cube, radius r."""
        spheres = pd.DataFrame(self.file["tomo/phantom"][sample], columns=["C0", "x0", "y0", "z0", "r"])
        return spheres[spheres.r > 0].reset_index(drop=True)


class StackOutput(Output):
    """`open_stack(dir)`: one item per row of every scan and shift (dynamic mode: per row and frame); `meta` says
    which. Datasets by mode: `sinogram` (raw, dynamic); `clean`, `stripe`, `real_artifact` (paired, patch)."""

    job = "stack"

    @cached_property
    def mode(self) -> str:
        return text_attr(self.file["stack"], "mode")

    @cached_property
    def variants(self) -> list[str]:
        return [n for n in ("sinogram", "clean", "stripe") if f"stack/{n}" in self.file]

    @cached_property
    def rotation_angle(self) -> np.ndarray:
        """The scan's rotation angles in degrees."""
        return self.file["stack/rotation_angle"][()]

    @cached_property
    def real_artifact(self) -> np.ndarray | None:
        """1 where the stripe mask marks real stripes in the item (paired and patch modes)."""
        return self.file["stack/real_artifact"][()] if "stack/real_artifact" in self.file else None

    def sinogram(self, item: int, variant: str | None = None) -> np.ndarray:
        """Item `item` of `variant` (default: `sinogram`, or `stripe` in paired and patch modes); NaN in `clean`
        where the mask found real stripes."""
        variant = variant or ("sinogram" if "sinogram" in self.variants else "stripe")
        if variant not in self.variants:
            raise KeyError(f"variant {variant!r}: this {self.mode} file has {', '.join(self.variants)}")
        return self.file[f"stack/{variant}"][item]


class MaskOutput(Output):
    """`open_mask(dir)`: the stripe mask of every row of every scan, angles × columns, uint8."""

    job = "mask"

    def mask(self, item: int) -> np.ndarray:
        return self.file["mask/mask"][item]

    def scan_masks(self) -> dict[str, np.ndarray]:
        """The `masks.npz` arrays (angles × rows × columns per scan, keyed `m<scan>`), when the run wrote one."""
        path = self.directory / "masks.npz"
        with np.load(path) as npz:
            return {key: npz[key] for key in npz.files}
