"""The stand-in's chips and traces: mesh devices, the mappers and composers that place tensors on them, and trace
capture and replay (ttnn-api-notes sections 6 and 7). A tensor here holds one numpy array per chip (its shards);
ttnn.py's ops run chip by chip on them.
"""

import numpy as np


class MeshShape:
    """ttnn.MeshShape(rows, cols), (s0, s1, s2) or ([rows, cols]); unpacks like a tuple."""

    def __init__(self, *dims):
        if len(dims) == 1 and isinstance(dims[0], (list, tuple)):
            dims = tuple(dims[0])
        if len(dims) not in (2, 3) or any(not isinstance(d, int) or d < 1 for d in dims):
            raise TypeError(f"MeshShape: expected two or three positive ints, got {dims!r}")
        self.dims_ = tuple(dims)

    def dims(self):
        return len(self.dims_)

    def mesh_size(self):
        return int(np.prod(self.dims_))

    def __iter__(self):
        return iter(self.dims_)

    def __getitem__(self, index):
        return self.dims_[index]

    def __eq__(self, other):
        return isinstance(other, MeshShape) and other.dims_ == self.dims_

    def __repr__(self):
        return f"MeshShape({', '.join(map(str, self.dims_))})"


class MeshDevice:
    """The chips a program opened. `compiled` holds the programs run outside a capture (tt-metal's program cache):
    a capture may only dispatch those. `capture` is the trace being recorded, or None."""

    def __init__(self, shape, l1_small_size, trace_region_size):
        self.shape, self.l1_small_size, self.trace_region_size = shape, l1_small_size, trace_region_size
        self.chips = shape.mesh_size()
        self.open, self.capture, self.compiled = True, None, set()

    def get_num_devices(self):
        return self.chips

    def get_device_ids(self):
        return list(range(self.chips))

    def enable_program_cache(self):
        pass


def check_open(device, what="the device"):
    if not isinstance(device, MeshDevice):
        raise TypeError(f"{what} must be a ttnn.MeshDevice, got {type(device).__name__}")
    if not device.open:
        raise RuntimeError(f"{what} is closed")


def refuse_in_capture(device, what):
    """Host reads and writes cannot be recorded in a trace: on a card they break the capture."""
    if device is not None and device.capture is not None:
        raise RuntimeError(f"{what} inside trace capture: a trace records op dispatches only, not host reads or writes")


class Mapper:
    """Splits a host array over a mesh's chips: sharded on one dim, or replicated."""

    def __init__(self, mesh_device, dim):
        check_open(mesh_device, "mesh_device")
        self.mesh, self.dim = mesh_device, dim

    def split(self, array):
        chips = self.mesh.chips
        if self.dim is None:
            return [array.copy() for _ in range(chips)]
        if array.ndim == 0 or array.shape[self.dim] % chips != 0:
            raise RuntimeError(f"ShardTensorToMesh: dim {self.dim} of {list(array.shape)} does not split over {chips} chips")
        return [piece.copy() for piece in np.split(array, chips, axis=self.dim)]


class Composer:
    """Joins a mesh tensor's shards into one host array along dim."""

    def __init__(self, mesh_device, dim):
        check_open(mesh_device, "mesh_device")
        self.mesh, self.dim = mesh_device, dim

    def compose(self, shards):
        return np.concatenate([s.copy() for s in shards], axis=self.dim)


class Trace:
    """What a capture recorded: each op with the very tensors it read and wrote, and each deallocation, in order.
    Replaying runs the ops again on those tensors' current contents and writes the results into the capture-time
    outputs, so new data copied into the persistent inputs flows through, as on a card."""

    def __init__(self, device):
        self.device, self.steps, self.freed, self.released = device, [], [], False

    def record(self, run, args, kwargs, result):
        self.steps.append((run, args, kwargs, result))

    def record_free(self, tensor):
        self.steps.append((None, tensor, None, None))
        self.freed.append(tensor)

    def ops(self):
        return sum(1 for run, *_ in self.steps if run is not None)

    def finish(self):
        """A capture dispatches nothing: until a replay, the capture-time results hold no values (NaN here)."""
        for _, args, kwargs, result in self.steps:
            for t in _own_results(result, args, kwargs):
                t.shards = [np.full(s.shape, np.nan, dtype=np.float32) for s in t.shards]

    def replay(self):
        for t in self.freed:
            t.freed = False
        for run, args, kwargs, result in self.steps:
            if run is None:
                args.freed = True
                continue
            fresh = run(args, kwargs)
            _assign(result, fresh, args, kwargs)


def _tensors(x):
    if hasattr(x, "shards"):
        yield x
    elif isinstance(x, (list, tuple)):
        for v in x:
            yield from _tensors(v)
    elif isinstance(x, dict):
        for v in x.values():
            yield from _tensors(v)


def _own_results(result, args, kwargs):
    read = {id(t) for t in _tensors((args, kwargs))}
    return [t for t in _tensors(result) if id(t) not in read]


def _assign(recorded, fresh, args, kwargs):
    read = {id(t) for t in _tensors((args, kwargs))}
    for old, new in zip(_tensors(recorded), _tensors(fresh)):
        if id(old) not in read:
            old.shards = list(new.shards)
