"""From a curve's stored parameters (`/saxs/params`) to keyword arguments sasmodels evaluates."""

from __future__ import annotations

import json
from dataclasses import dataclass

# Keys beamforge stores beside the sasmodels parameters, for people, not for sasmodels.
_ANNOTATIONS = ("hollow_convention", "length_scale_pd_note")
# beamforge's own polydispersity: every length of a body times one Gaussian factor (the shape is kept). sasmodels
# draws each polydisperse parameter independently, so this has no sasmodels equivalent unless its width is 0.
_LENGTH_SCALE = ("length_scale_pd", "length_scale_pd_type", "length_scale_pd_n", "length_scale_pd_nsigma")


class NotExpressible(ValueError):
    """The curve uses something sasmodels cannot express; the message says what."""


@dataclass(frozen=True)
class SasmodelsParameters:
    """A sasmodels model name and the keyword arguments of its kernel call (lengths in Å, SLDs in 10⁻⁶ Å⁻²,
    intensities in cm⁻¹; polydispersity as `<par>_pd`, `_pd_type`, `_pd_n`, `_pd_nsigma`)."""

    model: str
    kwargs: dict

    def evaluate(self, q):
        """I(q) in cm⁻¹ from sasmodels itself (needs the `sasmodels` package)."""
        import numpy as np
        from sasmodels.core import load_model
        from sasmodels.direct_model import call_kernel

        kernel = load_model(self.model).make_kernel([np.asarray(q, dtype=float)])
        return call_kernel(kernel, dict(self.kwargs))


def to_sasmodels(params) -> SasmodelsParameters:
    """`params` (the JSON text of a `/saxs/params` row, or its dict) as sasmodels keyword arguments.

    Raises `NotExpressible` for curves made with beamforge's common length-scale polydispersity (ellipsoids and
    core–shell ellipsoids with `length_scale_pd` > 0), and for a hollow sphere in a convention other than sasmodels'
    `vesicle`."""
    if isinstance(params, (str, bytes)):
        params = json.loads(params)
    params = dict(params)
    if "model" not in params:
        raise NotExpressible("no 'model' key: not a /saxs/params entry")
    model = params.pop("model")
    convention = params.get("hollow_convention", "n/a")
    if convention not in ("n/a", "vesicle"):
        raise NotExpressible(f"hollow sphere convention {convention!r}: sasmodels' vesicle is the only one it has")
    width = float(params.get("length_scale_pd", 0) or 0)
    if width > 0:
        raise NotExpressible(
            f"{model} with length_scale_pd = {width:g}: beamforge scales every length by one Gaussian factor "
            "(the shape kept), sasmodels draws each length independently; no sasmodels parameter set is equal")
    kwargs = {k: v for k, v in params.items() if k not in _ANNOTATIONS and k not in _LENGTH_SCALE}
    return SasmodelsParameters(model=model, kwargs=kwargs)
