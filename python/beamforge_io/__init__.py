"""Read beamforge outputs from Python.

    import beamforge_io as bf
    with bf.open_saxs("run1") as saxs:
        curve = saxs.curve(0)                 # q, I, sigma, I_model cut to its grid; class, instrument, params
        table = saxs.parameters               # pandas: one row per curve, every parameter and the QC columns
        z = saxs.stats["I_log10"].standardise(curve.I)
        spec = bf.to_sasmodels(curve.params)  # sasmodels keyword arguments, or NotExpressible with the reason

Every `open_*` takes an output directory (or the file) of a finished run and refuses a `.partial`.
"""

from ._files import IncompleteOutput, Provenance
from ._tables import Statistics, read_meta, unescape_cell
from .integrated import Integration, IntegratedOutput
from .saxs import Curve, SaxsOutput
from .sasmodels_params import NotExpressible, SasmodelsParameters, to_sasmodels
from .streaming import SaxsCurves, SinogramPairs
from .tomo import MaskOutput, StackOutput, TomoOutput

__version__ = "0.1.0"


def open_saxs(path) -> SaxsOutput:
    """The curves of a `beamforge saxs` run (directory or saxs.h5)."""
    return SaxsOutput(path)


def open_tomo(path) -> TomoOutput:
    """The sinograms of a `beamforge tomo` run (directory or tomo.h5)."""
    return TomoOutput(path)


def open_stack(path) -> StackOutput:
    """The sinograms of a `beamforge stack` run (directory or stack.h5)."""
    return StackOutput(path)


def open_mask(path) -> MaskOutput:
    """The stripe masks of a `beamforge mask` run (directory or mask.h5)."""
    return MaskOutput(path)


def open_integrated(path) -> IntegratedOutput:
    """The curves of a `beamforge integrate` run (directory or integrated.h5)."""
    return IntegratedOutput(path)


__all__ = [
    "open_saxs", "open_tomo", "open_stack", "open_mask", "open_integrated", "to_sasmodels",
    "SaxsOutput", "TomoOutput", "StackOutput", "MaskOutput", "IntegratedOutput", "Curve", "Integration",
    "Statistics", "Provenance", "SasmodelsParameters", "NotExpressible", "IncompleteOutput",
    "SaxsCurves", "SinogramPairs", "read_meta", "unescape_cell",
]
