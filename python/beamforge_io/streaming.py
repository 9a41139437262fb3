"""Map-style datasets that stream items from a beamforge file without loading it.

They have `__len__` and `__getitem__` and return dicts of NumPy arrays, which is all `torch.utils.data.DataLoader`
asks of a dataset (its default collation turns them into tensors), so they need no PyTorch themselves. Each process
opens the file on first use (h5py handles do not survive a fork into DataLoader workers) and reads one item by
hyperslab."""

from __future__ import annotations

import os

import numpy as np

from .saxs import SaxsOutput
from .tomo import StackOutput, TomoOutput


class _PerProcess:
    """Opens `factory(path)` once per process."""

    def __init__(self, factory, path):
        self._factory, self._path = factory, path
        self._pid, self._output = None, None
        with factory(path) as output:  # fail here, in the parent, on a bad path
            self._len = self._size(output)

    def _size(self, output):
        return len(output)

    @property
    def output(self):
        if self._pid != os.getpid():
            self._output, self._pid = self._factory(self._path), os.getpid()
        return self._output

    def __len__(self):
        return self._len

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_output"], state["_pid"] = None, None
        return state


class SaxsCurves(_PerProcess):
    """Curves of a saxs file: `{"I": float32[L], "valid": bool[L], "shape_class": int, "index": int}`.

    `I` is standardised with the file's own global statistics (`/stats/I_log10`: log10, then zero mean and unit
    variance over the dataset) unless `standardise=False`; padding and non-positive points are 0 with `valid`
    False. `fields` adds other per-point arrays (`q`, `sigma`, `I_model`), raw."""

    def __init__(self, path, standardise: bool = True, fields=("q",)):
        super().__init__(SaxsOutput, path)
        self.standardise, self.fields = standardise, tuple(fields)

    def __getitem__(self, index: int) -> dict:
        out = self.output
        if not 0 <= index < len(self):
            raise IndexError(index)
        intensity = out.file["saxs/I"][index]
        values = out.stats["I_log10"].standardise(intensity) if self.standardise else intensity
        valid = np.isfinite(values)
        item = {"I": np.where(valid, values, 0).astype(np.float32), "valid": valid,
                "shape_class": int(out.class_index[index]), "index": index}
        for name in self.fields:
            item[name] = np.nan_to_num(out.file[f"saxs/{name}"][index]).astype(np.float32)
        return item


class SinogramPairs(_PerProcess):
    """(input, target) sinogram pairs for stripe removal: tomo files (item = sample × row; `stripe` → `clean`, or
    a complex run's `shiftNN` → `clean`) and paired stack files (`stripe` → `clean`; NaN in `clean` marks real
    stripes and is returned with `valid` False)."""

    def __init__(self, path, input: str = "stripe", target: str = "clean"):
        directory = os.fspath(path)
        factory = TomoOutput if os.path.exists(os.path.join(directory, "tomo.h5")) or directory.endswith("tomo.h5") \
            else StackOutput
        super().__init__(factory, path)
        self.input, self.target = input, target

    def _size(self, output):
        if isinstance(output, TomoOutput):
            return output.shape[0] * output.shape[1]
        return len(output)

    def __getitem__(self, index: int) -> dict:
        out = self.output
        if not 0 <= index < len(self):
            raise IndexError(index)
        if isinstance(out, TomoOutput):
            sample, row = divmod(index, out.shape[1])
            x, y = out.sinogram(sample, row, self.input), out.sinogram(sample, row, self.target)
        else:
            x, y = out.sinogram(index, self.input), out.sinogram(index, self.target)
        valid = np.isfinite(y)
        return {"input": x.astype(np.float32), "target": np.where(valid, y, 0).astype(np.float32),
                "valid": valid, "index": index}
