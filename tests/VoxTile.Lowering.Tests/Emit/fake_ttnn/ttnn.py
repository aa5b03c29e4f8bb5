"""A stand-in for ttnn, in numpy, for running emitted programs where there is no Tenstorrent card.

It is not TTNN: it follows the documented semantics of the calls VoxTile emits (../shared/spec/ttnn-api.json and
ttnn-api-notes.md), with the bindings' keyword names and keyword-only sections, so that a misspelled or misplaced
argument fails here as it would on a device. It also enforces what TTNN enforces and an emitted program could get
wrong: a tensor used after ttnn.deallocate, device ops on host tensors, memory_config without device in from_torch,
block floats outside TILE, convs on a device opened without l1_small_size. Results are rounded to bf16 where the
dtype says bf16 or a block float (block floats are not modelled further), so PCC figures resemble a device's.

Meshes and traces (_mesh.py): a device is a mesh of chips; a tensor holds one array per chip (replicated or sharded by
from_torch's mesh_mapper; .shape is one chip's shard) and every op runs chip by chip. Between begin_trace_capture and
end_trace_capture ops are recorded (their results hold nothing until execute_trace replays them onto the same
tensors), and what a card refuses there raises: a host read or write (from_torch onto the device, to_torch,
copy_host_to_device_tensor, Tensor.cpu, an op handed a host tensor such as a conv's unprepared weight) or an op whose
program no run before the capture compiled. A capture fails without trace_region_size; a released trace cannot run.
"""

import builtins
import functools
import math

import numpy as np

import torch
from _mesh import Composer, Mapper, MeshDevice, MeshShape, Trace, check_open, refuse_in_capture


class _Enum:
    def __init__(self, owner, name):
        self.owner, self.name = owner, name

    def __repr__(self):
        return f"ttnn.{self.owner}.{self.name}"


def _enum(owner, *names):
    return type(owner, (), {n: _Enum(owner, n) for n in names})


DataType = _enum("DataType", "BFLOAT16", "FLOAT32", "UINT32", "BFLOAT8_B", "BFLOAT4_B", "UINT8", "UINT16", "INT32")
Layout = _enum("Layout", "ROW_MAJOR", "TILE")
TensorMemoryLayout = _enum("TensorMemoryLayout", "INTERLEAVED", "HEIGHT_SHARDED", "WIDTH_SHARDED", "BLOCK_SHARDED")
BufferType = _enum("BufferType", "DRAM", "L1", "L1_SMALL", "TRACE")
ShardOrientation = _enum("ShardOrientation", "ROW_MAJOR", "COL_MAJOR")
MathFidelity = _enum("MathFidelity", "LoFi", "HiFi2", "HiFi3", "HiFi4", "Invalid")

bfloat16, float32, uint32, int32 = DataType.BFLOAT16, DataType.FLOAT32, DataType.UINT32, DataType.INT32
bfloat8_b, bfloat4_b = DataType.BFLOAT8_B, DataType.BFLOAT4_B
ROW_MAJOR_LAYOUT, TILE_LAYOUT = Layout.ROW_MAJOR, Layout.TILE
_BLOCK_FLOATS = (bfloat8_b, bfloat4_b)
_INTEGERS = (uint32, int32)


class CoreCoord:
    def __init__(self, x, y, /):
        self.x, self.y = x, y


class CoreRange:
    def __init__(self, start, end):
        self.start, self.end = start, end

    def num_cores(self):
        return (self.end.x - self.start.x + 1) * (self.end.y - self.start.y + 1)


class CoreRangeSet:
    def __init__(self, core_ranges):
        self.ranges = list(core_ranges)

    def num_cores(self):
        return builtins.sum(r.num_cores() for r in self.ranges)


class ShardSpec:
    def __init__(self, grid, shard_shape, shard_orientation):
        if not isinstance(grid, CoreRangeSet):
            raise TypeError("ShardSpec: grid must be a CoreRangeSet")
        self.grid, self.shape, self.orientation = grid, list(shard_shape), shard_orientation


class MemoryConfig:
    def __init__(self, memory_layout=TensorMemoryLayout.INTERLEAVED, buffer_type=BufferType.DRAM, shard_spec=None):
        sharded = memory_layout is not TensorMemoryLayout.INTERLEAVED
        if sharded and shard_spec is None:
            raise RuntimeError("a sharded MemoryConfig needs a shard spec")
        self.memory_layout, self.buffer_type, self.shard_spec = memory_layout, buffer_type, shard_spec


DRAM_MEMORY_CONFIG = MemoryConfig(TensorMemoryLayout.INTERLEAVED, BufferType.DRAM)
L1_MEMORY_CONFIG = MemoryConfig(TensorMemoryLayout.INTERLEAVED, BufferType.L1)


UnaryOpType = _enum("UnaryOpType", "RELU", "RELU6", "SILU", "GELU", "GELU_TANH", "TANH", "SIGMOID", "HARDSIGMOID", "HARDTANH",
                    "LEAKY_RELU", "ELU", "SELU", "SOFTPLUS", "MISH", "SQRT", "EXP", "RECIP")


class UnaryWithParam:
    """ttnn.UnaryWithParam(op_type[, param]): positional-only, one parameter at most from Python."""

    def __init__(self, op_type, param=None, /):
        if not isinstance(op_type, _Enum) or op_type.owner != "UnaryOpType":
            raise TypeError(f"UnaryWithParam takes a ttnn.UnaryOpType, got {op_type!r}")
        self.op_type, self.param = op_type, param


# The conv config's fused activations, on conv + bias (sfpu_activation_helpers_host.hpp's table, the types VoxTile emits).
_CONV_ACTIVATIONS = {
    "RELU": lambda y, p: np.maximum(y, 0),
    "LEAKY_RELU": lambda y, p: np.where(y >= 0, y, y * p),
    "TANH": lambda y, p: np.tanh(y),
    "SIGMOID": lambda y, p: 1 / (1 + np.exp(-y)),
}


def _conv_activation(activation):
    """None, a UnaryWithParam, a bare UnaryOpType or an (op, value) tuple (the implicit conversions); a string is the pre-#28090 form."""
    if activation is None:
        return None
    if isinstance(activation, str):
        raise TypeError("Conv2dConfig.activation takes a ttnn.UnaryWithParam on this build, not a string")
    if isinstance(activation, tuple):
        activation = UnaryWithParam(*activation)
    if isinstance(activation, _Enum):
        activation = UnaryWithParam(activation)
    if not isinstance(activation, UnaryWithParam):
        raise TypeError(f"Conv2dConfig.activation: {activation!r}")
    if activation.op_type.name == "LEAKY_RELU" and activation.param is None:
        raise RuntimeError("LEAKY_RELU needs its slope as the UnaryWithParam parameter")
    if activation.op_type.name not in _CONV_ACTIVATIONS:
        raise RuntimeError(f"Unsupported UnaryOpType for fused activation: {activation.op_type.name} (not modelled here)")
    return activation


class Conv2dConfig:
    def __init__(self, *, weights_dtype=None, activation=None, deallocate_activation=False, reallocate_halo_output=True,
                 config_tensors_in_dram=False, act_block_h_override=0, act_block_w_div=1, reshard_if_not_optimal=False,
                 override_sharding_config=False, shard_layout=None, core_grid=None, transpose_shards=False,
                 output_layout=Layout.TILE, enable_act_double_buffer=False, enable_weights_double_buffer=False,
                 full_inner_dim=False, in_place=False, enable_kernel_stride_folding=False, enable_activation_reuse=False,
                 force_split_reader=None):
        self.weights_dtype, self.output_layout = weights_dtype, output_layout
        self.activation = _conv_activation(activation)
        # tt-metal's rule: the act block is whole tile rows; 0 keeps the default (one core's output height).
        if not isinstance(act_block_h_override, int) or act_block_h_override < 0 or act_block_h_override % 32 != 0:
            raise RuntimeError(f"act_block_h_override must be a non-negative multiple of 32, got {act_block_h_override!r}")
        self.act_block_h_override = act_block_h_override


Conv1dConfig = Conv2dConfig


class Conv2dSliceConfig:
    """ttnn.Conv2dSliceConfig(*, slice_type, num_slices): conv2d's slice_config, a conv run slice by slice through DRAM."""

    SliceTypeEnum = _enum("Conv2dSliceConfig.SliceTypeEnum", "SliceHeight", "SliceWidth")

    def __init__(self, *, slice_type, num_slices=0):
        if not isinstance(slice_type, _Enum) or slice_type.owner != "Conv2dSliceConfig.SliceTypeEnum":
            raise TypeError(f"Conv2dSliceConfig: slice_type must be a ttnn.Conv2dSliceConfig.SliceTypeEnum member, got {slice_type!r}")
        if not isinstance(num_slices, int) or num_slices < 0:
            raise TypeError(f"Conv2dSliceConfig: num_slices must be a non-negative int, got {num_slices!r}")
        self.slice_type, self.num_slices = slice_type, num_slices


class WormholeComputeKernelConfig:
    def __init__(self, *, math_fidelity=MathFidelity.Invalid, math_approx_mode=True, fp32_dest_acc_en=False, packer_l1_acc=False,
                 dst_full_sync_en=False, throttle_level=None):
        if math_fidelity is MathFidelity.Invalid:
            raise RuntimeError("WormholeComputeKernelConfig: set math_fidelity")
        self.math_fidelity = math_fidelity


# ---- devices, tensors and their placement on the chips -------------------------------------------------------

def open_mesh_device(mesh_shape=None, l1_small_size=0, trace_region_size=0, num_command_queues=1, dispatch_core_config=None, offset=None,
                     physical_device_ids=[], worker_l1_size=0):
    """The stand-in's system has whatever chips are asked for; mesh_shape None (the whole system) is one chip."""
    if mesh_shape is not None and not isinstance(mesh_shape, MeshShape):
        raise TypeError(f"open_mesh_device: mesh_shape must be a ttnn.MeshShape, got {type(mesh_shape).__name__}")
    return MeshDevice(mesh_shape or MeshShape(1, 1), l1_small_size, trace_region_size)


def close_mesh_device(mesh_device):
    check_open(mesh_device, "mesh_device")
    mesh_device.open = False


def open_device(*, device_id, l1_small_size=0, trace_region_size=0, num_command_queues=1, dispatch_core_config=None, worker_l1_size=0):
    return MeshDevice(MeshShape(1, 1), l1_small_size, trace_region_size)


def close_device(device):
    close_mesh_device(device)


def synchronize_device(device, cq_id=None, sub_device_ids=[]):
    check_open(device)


def ShardTensorToMesh(mesh_device, dim):
    return Mapper(mesh_device, dim)


def ReplicateTensorToMesh(mesh_device):
    return Mapper(mesh_device, None)


def ConcatMeshToTensor(mesh_device, dim):
    return Composer(mesh_device, dim)


class Tensor:
    """One array per chip of its device (one for a host tensor made without a mapper); `data` is a one-chip tensor's."""

    def __init__(self, data, dtype, layout, device, memory_config, shards=None):
        if dtype in _BLOCK_FLOATS and layout is not Layout.TILE:
            raise RuntimeError(f"{dtype} exists only in TILE layout")
        self.shards = list(shards) if shards is not None else [data]
        self.dtype, self.layout, self.device, self.memory_config = dtype, layout, device, memory_config
        self.freed = False

    @property
    def data(self):
        if len(self.shards) != 1:
            raise RuntimeError(f"a tensor on {len(self.shards)} chips has no single array (ops run chip by chip)")
        return self.shards[0]

    @data.setter
    def data(self, value):
        if len(self.shards) != 1:
            raise RuntimeError(f"a tensor on {len(self.shards)} chips has no single array (ops run chip by chip)")
        self.shards[0] = value

    @property
    def shape(self):
        """One chip's shard shape, as a mesh tensor's shape is."""
        return self.shards[0].shape

    def cpu(self):
        _live(self)
        refuse_in_capture(self.device, "Tensor.cpu")
        return Tensor(None, self.dtype, self.layout, None, None, shards=[s.copy() for s in self.shards])

    def chip(self, index):
        """Chip `index`'s shard as a one-chip tensor (the same array: an op's view of its chip)."""
        view = Tensor(None, self.dtype, self.layout, self.device, self.memory_config, shards=[self.shards[index]])
        view.freed = self.freed
        return view


def _bf16(a):
    bits = np.ascontiguousarray(a, dtype=np.float32).view(np.uint32)
    rounded = (bits + np.uint32(0x7FFF) + ((bits >> np.uint32(16)) & np.uint32(1))) & np.uint32(0xFFFF0000)
    return np.where(np.isfinite(a), rounded.view(np.float32), a.astype(np.float32))


def _store(values, dtype):
    values = np.asarray(values, dtype=np.float64)
    if dtype in _INTEGERS:
        return np.trunc(np.nan_to_num(values)).astype(np.float32)
    values = values.astype(np.float32)
    return _bf16(values) if dtype in (bfloat16,) + _BLOCK_FLOATS else values


def _live(t, what="operand"):
    if not isinstance(t, Tensor):
        raise TypeError(f"{what} must be a ttnn.Tensor, got {type(t).__name__}")
    if t.freed:
        raise RuntimeError(f"{what} was used after ttnn.deallocate")
    return t


def _on_device(t, what="operand"):
    _live(t, what)
    if t.device is None:
        raise RuntimeError(f"{what} is a host tensor; this op runs on the device")
    if not t.device.open:
        raise RuntimeError(f"{what} lives on a closed device")
    return t


def _result(values, like, dtype=None, layout=None, memory_config=None):
    dtype = dtype or like.dtype
    return Tensor(_store(values, dtype), dtype, layout or like.layout, like.device, memory_config or like.memory_config)


def _value(x):
    return _on_device(x).data.astype(np.float64) if isinstance(x, Tensor) else float(x)


def from_torch(tensor, dtype=None, *, tile=None, pad_value=None, layout=Layout.ROW_MAJOR, device=None, memory_config=None, mesh_mapper=None, cq_id=None):
    if memory_config is not None and device is None:
        raise RuntimeError("from_torch: memory_config needs a device")
    if device is not None:
        check_open(device)
        refuse_in_capture(device, "ttnn.from_torch onto the device")
    dtype = dtype or float32
    values = tensor.numpy()
    if mesh_mapper is not None:
        if device is not None and mesh_mapper.mesh is not device:
            raise RuntimeError("from_torch: mesh_mapper was made for another mesh")
        pieces = mesh_mapper.split(values)
    elif device is not None and device.chips > 1:
        raise RuntimeError(f"from_torch onto a {device.chips}-chip mesh needs a mesh_mapper (the stand-in does not guess a placement)")
    else:
        pieces = [values]
    return Tensor(None, dtype, layout, device, (memory_config or DRAM_MEMORY_CONFIG) if device is not None else None,
                  shards=[_store(p, dtype) for p in pieces])


def to_torch(tensor, dtype=None, *, torch_rank=None, mesh_composer=None, device=None, cq_id=None):
    t = _live(tensor)
    if t.device is not None:
        check_open(t.device, "the tensor's device")
        refuse_in_capture(t.device, "ttnn.to_torch")
    if mesh_composer is not None:
        return torch.from_numpy(mesh_composer.compose(t.shards))
    if len(t.shards) > 1:
        raise RuntimeError(f"to_torch of a tensor on {len(t.shards)} chips needs a mesh_composer (ttnn.ConcatMeshToTensor)")
    return torch.from_numpy(t.shards[0].copy())


def get_device_tensors(tensor):
    t = _live(tensor)
    return [t.chip(i) for i in range(len(t.shards))]


def copy_host_to_device_tensor(host_tensor, device_tensor, cq_id=None):
    h, d = _live(host_tensor, "host_tensor"), _on_device(device_tensor, "device_tensor")
    if h.device is not None:
        raise RuntimeError("copy_host_to_device_tensor: host_tensor is on a device")
    refuse_in_capture(d.device, "ttnn.copy_host_to_device_tensor")
    if len(h.shards) != len(d.shards) or h.dtype is not d.dtype or h.layout is not d.layout or builtins.any(
            a.shape != b.shape for a, b in zip(h.shards, d.shards)):
        raise RuntimeError(f"copy_host_to_device_tensor: host and device tensors differ (shape {list(h.shape)} on {len(h.shards)} chips, "
                           f"{h.dtype}, {h.layout} vs {list(d.shape)} on {len(d.shards)} chips, {d.dtype}, {d.layout})")
    d.shards[:] = [a.copy() for a in h.shards]


def deallocate(tensor, force=True):
    t = _live(tensor)
    t.freed = True
    if t.device is not None and t.device.capture is not None:
        t.device.capture.record_free(t)


# ---- traces ---------------------------------------------------------------------------------------------------

class MeshTraceId:
    def __init__(self, trace):
        self.trace = trace


def begin_trace_capture(mesh_device, *, cq_id=None):
    check_open(mesh_device, "mesh_device")
    if mesh_device.capture is not None:
        raise RuntimeError("begin_trace_capture: a capture is already under way")
    mesh_device.capture = Trace(mesh_device)
    return MeshTraceId(mesh_device.capture)


def end_trace_capture(mesh_device, trace_id, *, cq_id=None):
    check_open(mesh_device, "mesh_device")
    trace = trace_id.trace
    if mesh_device.capture is not trace:
        raise RuntimeError("end_trace_capture: no capture of that trace is under way on this device")
    mesh_device.capture = None
    if mesh_device.trace_region_size <= 0:
        raise RuntimeError(f"end_trace_capture: the trace of {trace.ops()} ops does not fit a trace region of {mesh_device.trace_region_size} B "
                           "(open the device with trace_region_size)")
    trace.finish()


def execute_trace(mesh_device, trace_id, *, cq_id=None, blocking=True):
    check_open(mesh_device, "mesh_device")
    trace = trace_id.trace
    if trace.released:
        raise RuntimeError("execute_trace: the trace was released")
    if trace.device is not mesh_device or mesh_device.capture is not None:
        raise RuntimeError("execute_trace: the trace was captured on another device, or a capture is under way")
    trace.replay()


def release_trace(mesh_device, trace_id):
    check_open(mesh_device, "mesh_device")
    if trace_id.trace.released:
        raise RuntimeError("release_trace: the trace was already released")
    trace_id.trace.released = True


def to_memory_config(tensor, memory_config, dtype=None, output_tensor=None):
    t = _on_device(tensor)
    return _result(t.data, t, dtype=dtype, memory_config=memory_config)


def to_layout(tensor, layout, dtype=None, memory_config=None, sub_core_grids=None, pad_value=0.0):
    t = _live(tensor)
    return Tensor(t.data.copy(), dtype or t.dtype, layout, t.device, memory_config or t.memory_config)


def typecast(input_tensor, dtype, *, memory_config=None, output_tensor=None, sub_core_grids=None):
    t = _on_device(input_tensor)
    return _result(t.data, t, dtype=dtype, memory_config=memory_config)


def _unary(function):
    def op(input_tensor, *, memory_config=None, output_tensor=None, **options):
        t = _on_device(input_tensor)
        with np.errstate(all="ignore"):
            return _result(function(t.data.astype(np.float64), **options), t, memory_config=memory_config)
    return op


def _erf(x):
    return np.vectorize(math.erf)(x)


abs = _unary(lambda x: np.abs(x))
ceil = _unary(lambda x: np.ceil(x))
relu = _unary(lambda x: np.maximum(x, 0))
exp = _unary(lambda x, fast_and_approximate_mode=False, sub_core_grids=None: np.exp(x))
log = _unary(lambda x, fast_and_approximate_mode=False, sub_core_grids=None: np.log(x))
sqrt = _unary(lambda x, fast_and_approximate_mode=False, sub_core_grids=None: np.sqrt(x))
rsqrt = _unary(lambda x, fast_and_approximate_mode=False, sub_core_grids=None: 1 / np.sqrt(x))
gelu = _unary(lambda x, fast_and_approximate_mode=False, sub_core_grids=None: 0.5 * x * (1 + _erf(x / math.sqrt(2))))
tanh = _unary(lambda x, fast_and_approximate_mode=False: np.tanh(x))
sigmoid = _unary(lambda x, vector_mode=4, fast_and_approximate_mode=False: 1 / (1 + np.exp(-x)))
softplus = _unary(lambda x, beta=1.0, threshold=20.0: np.where(beta * x > threshold, x, np.log1p(np.exp(np.minimum(beta * x, threshold))) / beta))


def leaky_relu(input_tensor, negative_slope, *, memory_config=None, output_tensor=None):
    t = _on_device(input_tensor)
    x = t.data.astype(np.float64)
    return _result(np.where(x >= 0, x, negative_slope * x), t, memory_config=memory_config)


def _binary(function):
    def op(input_tensor_a, input_tensor_b, *, dtype=None, memory_config=None, output_tensor=None, activations=None,
           input_tensor_a_activations=None, input_tensor_b_activations=None, use_legacy=None, sub_core_grids=None, **options):
        a = _on_device(input_tensor_a, "input_tensor_a")
        with np.errstate(all="ignore"):
            return _result(function(a.data.astype(np.float64), _value(input_tensor_b), **options), a, dtype=dtype, memory_config=memory_config)
    return op


add = _binary(lambda a, b: a + b)
subtract = _binary(lambda a, b: a - b)
multiply = _binary(lambda a, b, fast_and_approximate_mode=False: a * b)
divide = _binary(lambda a, b, fast_and_approximate_mode=False, rounding_mode=None: a / b)
eq = _binary(lambda a, b: (a == b).astype(np.float64))
gt = _binary(lambda a, b: (a > b).astype(np.float64))
lt = _binary(lambda a, b: (a < b).astype(np.float64))
ge = _binary(lambda a, b: (a >= b).astype(np.float64))


def where(predicate, true_value, false_value, *, memory_config=None, output_tensor=None, sub_core_grids=None):
    p, a = _on_device(predicate, "predicate"), _on_device(true_value, "true_value")
    return _result(np.where(p.data != 0, a.data, _value(false_value)), a, memory_config=memory_config)


def _swap(x, swap):
    return np.swapaxes(x, -1, -2) if swap else x


def matmul(input_tensor_a, input_tensor_b, *, transpose_a=False, transpose_b=False, memory_config=None, dtype=None, program_config=None,
           activation=None, compute_kernel_config=None, core_grid=None, output_tile=None, optional_output_tensor=None, global_cb=None, sub_device_id=None):
    a, b = _on_device(input_tensor_a, "input_tensor_a"), _on_device(input_tensor_b, "input_tensor_b")
    if a.layout is not Layout.TILE or b.layout is not Layout.TILE:
        raise RuntimeError("matmul operands must be TILE")
    y = np.matmul(_swap(a.data.astype(np.float64), transpose_a), _swap(b.data.astype(np.float64), transpose_b))
    return _result(y, a, dtype=dtype, memory_config=memory_config or DRAM_MEMORY_CONFIG)


def linear(input_tensor_a, input_tensor_b, *, bias=None, transpose_a=False, transpose_b=False, memory_config=None, dtype=None, program_config=None,
           activation=None, compute_kernel_config=None, core_grid=None, output_tile=None, optional_output_tensor=None, global_cb=None, sub_device_id=None):
    y = matmul(input_tensor_a, input_tensor_b, transpose_a=transpose_a, transpose_b=transpose_b, memory_config=memory_config, dtype=dtype)
    if bias is not None:
        y.data = _store(y.data.astype(np.float64) + _on_device(bias, "bias").data.reshape(-1), y.dtype)
    return y


def layer_norm(input_tensor, *, epsilon=1e-12, weight=None, bias=None, residual_input_tensor=None, memory_config=None, program_config=None, compute_kernel_config=None):
    t = _on_device(input_tensor)
    x = t.data.astype(np.float64)
    y = (x - x.mean(-1, keepdims=True)) / np.sqrt(x.var(-1, keepdims=True) + epsilon)
    if weight is not None:
        y = y * _on_device(weight, "weight").data.reshape(-1)
    if bias is not None:
        y = y + _on_device(bias, "bias").data.reshape(-1)
    return _result(y, t, memory_config=memory_config)


def softmax(input_tensor, dim=-1, *, memory_config=None, compute_kernel_config=None, numeric_stable=True):
    t = _on_device(input_tensor)
    x = t.data.astype(np.float64)
    e = np.exp(x - x.max(axis=dim, keepdims=True))
    return _result(e / e.sum(axis=dim, keepdims=True), t, memory_config=memory_config)


def _reduce(function):
    def op(input_tensor, dim=None, keepdim=False, *, memory_config=None, compute_kernel_config=None, scalar=1.0, correction=True):
        t = _on_device(input_tensor)
        axis = None if dim is None else tuple(dim) if isinstance(dim, (list, tuple)) else dim
        return _result(function(t.data.astype(np.float64), axis=axis, keepdims=keepdim), t, memory_config=memory_config)
    return op


sum = _reduce(np.sum)
mean = _reduce(np.mean)
max = _reduce(np.max)


def cumsum(input, dim, *, dtype=None, reverse_order=False, out=None, memory_config=None):
    t = _on_device(input)
    x = t.data.astype(np.float64)
    y = np.flip(np.cumsum(np.flip(x, dim), axis=dim), dim) if reverse_order else np.cumsum(x, axis=dim)
    return _result(y, t, dtype=dtype, memory_config=memory_config)


def embedding(input_tensor, weight, *, padding_idx=None, layout=None, embeddings_type=None, dtype=None, output_tensor=None, memory_config=None):
    ids, table = _on_device(input_tensor, "input_tensor"), _on_device(weight, "weight")
    rows = table.data[ids.data.astype(np.int64)]
    return Tensor(_store(rows, dtype or table.dtype), dtype or table.dtype, layout or Layout.ROW_MAJOR, ids.device, memory_config or DRAM_MEMORY_CONFIG)


def reshape(input_tensor, shape, *, memory_config=None, pad_value=None, reshape_tile_mode=None, sub_core_grids=None, skip_padding_fill=False):
    # A host tensor reshapes on the host (tt-metal's own conv1d.py views a host conv weight as 4-D this way).
    t = _live(input_tensor) if input_tensor.device is None else _on_device(input_tensor)
    return _result(t.data.reshape(list(shape)), t, memory_config=memory_config)


def permute(input_tensor, dims, *, memory_config=None, pad_value=0.0):
    t = _on_device(input_tensor)
    return _result(np.transpose(t.data, list(dims)), t, memory_config=memory_config)


def transpose(input_tensor, dim1, dim2, *, memory_config=None, pad_value=0.0):
    t = _on_device(input_tensor)
    return _result(np.swapaxes(t.data, dim1, dim2), t, memory_config=memory_config)


def concat(tensors, dim=0, *, output_tensor=None, memory_config=None, groups=1):
    ts = [_on_device(t, "tensors") for t in tensors]
    return _result(np.concatenate([t.data for t in ts], axis=dim), ts[0], memory_config=memory_config)


def slice(input_tensor, slice_start, slice_end, slice_step=None, *, memory_config=None, output_tensor=None, pad_value=None):
    t = _on_device(input_tensor)
    steps = slice_step or [1] * len(slice_start)
    index = tuple(builtins.slice(s, e, st) for s, e, st in zip(slice_start, slice_end, steps))
    return _result(t.data[index], t, memory_config=memory_config)


def pad(input_tensor, padding, value, *, use_multicore=True, memory_config=None, sub_core_grids=None):
    t = _on_device(input_tensor)
    if any(before > 0 for before, _ in padding) and t.layout is Layout.TILE:
        raise RuntimeError("pad: front padding needs a ROW_MAJOR tensor")
    return _result(np.pad(t.data, [tuple(p) for p in padding], constant_values=value), t, memory_config=memory_config)


# ---- convolutions ---------------------------------------------------------------------------------------------

def _conv_input(t, n, h, w, c):
    # The halo step untilizes a TILE input in bf16 (ttnn-api-notes.md §3); an f32 input must come ROW_MAJOR.
    if _live(t, "input_tensor").layout is Layout.TILE and t.dtype is not bfloat16:
        raise RuntimeError(f"conv input in TILE must be bfloat16, got {t.dtype!r}: make it ROW_MAJOR first")
    x = t.data.astype(np.float64)
    if x.size != n * h * w * c:
        raise RuntimeError(f"conv input {list(x.shape)} is not N*H*W*C = {n}*{h}*{w}*{c}")
    return x.reshape(n, h, w, c)


def _conv_weight(t, device):
    w = _live(t, "weight_tensor")
    if device.l1_small_size <= 0:
        raise RuntimeError("convs need a device opened with l1_small_size > 0")
    return w


def _conv_output(y, like, dtype, conv_config, memory_config, weight, bias, return_output_dim, return_weights_and_bias, dims):
    n, ho, wo, o = y.shape
    if conv_config is not None and conv_config.activation is not None:
        a = conv_config.activation
        y = _CONV_ACTIVATIONS[a.op_type.name](y, a.param)
    layout = conv_config.output_layout if conv_config is not None else Layout.TILE
    out = Tensor(_store(y.reshape(1, 1, n * ho * wo, o), dtype or like.dtype), dtype or like.dtype, layout, like.device or weight.device,
                 memory_config or L1_MEMORY_CONFIG)
    result = [out]
    if return_output_dim:
        result.append(dims)
    if return_weights_and_bias:
        result.append((_prepared(weight, out.device), _prepared(bias, out.device)))
    return out if len(result) == 1 else tuple(result)


def _prepared(t, device):
    """What TTNN hands back for the next call: the weight or bias on the device (a host one is uploaded here)."""
    if t is None or t.device is not None:
        return t
    return Tensor(t.data.copy(), t.dtype, t.layout, device, DRAM_MEMORY_CONFIG)


def _correlate(x, w, stride, dilation, groups, out_h, out_w):
    """x [N, Hp, Wp, C] already padded, w [O, C/g, KH, KW] -> [N, out_h, out_w, O]."""
    n, _, _, c = x.shape
    o, cg, kh, kw = w.shape
    og = o // groups
    y = np.zeros((n, out_h, out_w, o))
    for g in range(groups):
        xs = x[..., g * cg:(g + 1) * cg]
        for i in range(kh):
            for j in range(kw):
                patch = xs[:, i * dilation[0]: i * dilation[0] + (out_h - 1) * stride[0] + 1: stride[0],
                           j * dilation[1]: j * dilation[1] + (out_w - 1) * stride[1] + 1: stride[1], :]
                y[..., g * og:(g + 1) * og] += patch @ w[g * og:(g + 1) * og, :, i, j].T
    return y


def _bias(y, bias):
    return y if bias is None else y + _live(bias, "bias_tensor").data.reshape(-1)


def conv1d(*, input_tensor, weight_tensor, device, in_channels, out_channels, batch_size, input_length, kernel_size, stride=1, padding=0,
           dilation=1, groups=1, dtype=None, bias_tensor=None, conv_config=None, compute_config=None, memory_config=None,
           return_output_dim=False, return_weights_and_bias=False):
    w = _conv_weight(weight_tensor, device)
    left, right = (padding, padding) if isinstance(padding, int) else tuple(padding)
    x = _conv_input(input_tensor, batch_size, input_length, 1, in_channels)
    x = np.pad(x, [(0, 0), (left, right), (0, 0), (0, 0)])
    out_length = (input_length + left + right - dilation * (kernel_size - 1) - 1) // stride + 1
    weights = w.data.astype(np.float64).reshape(out_channels, in_channels // groups, kernel_size, 1)
    y = _bias(_correlate(x, weights, (stride, 1), (dilation, 1), groups, out_length, 1), bias_tensor)
    return _conv_output(y, input_tensor, dtype, conv_config, memory_config, w, bias_tensor, return_output_dim, return_weights_and_bias, out_length)


def _pads(padding):
    return tuple(padding) if len(padding) == 4 else (padding[0], padding[0], padding[1], padding[1])


def _sliced(x, w, stride, dilation, groups, out_h, out_w, slice_config, input_tensor):
    """The conv as TTNN's DRAM slicing runs it: the output cut along height or width into num_slices ranges, each
    computed from the input window it reads (its halo included) and written back; the input is read from DRAM."""
    if input_tensor.memory_config is not None and input_tensor.memory_config.buffer_type is not BufferType.DRAM:
        raise RuntimeError("conv2d with a slice_config reads its input from DRAM, a slice at a time; the input is in L1")
    axis = 1 if slice_config.slice_type.name == "SliceHeight" else 2
    extent = out_h if axis == 1 else out_w
    count = slice_config.num_slices or 1
    if count > extent:
        raise RuntimeError(f"conv2d: num_slices {count} is more than the {extent} output rows it slices")
    size = -(-extent // count)
    y = np.zeros((x.shape[0], out_h, out_w, w.shape[0]))
    for start in range(0, extent, size):
        end = builtins.min(extent, start + size)
        s, d, k = stride[axis - 1], dilation[axis - 1], w.shape[1 + axis]
        window = [builtins.slice(None)] * 4
        window[axis] = builtins.slice(start * s, (end - 1) * s + d * (k - 1) + 1)
        part = _correlate(x[tuple(window)], w, stride, dilation, groups, end - start if axis == 1 else out_h, end - start if axis == 2 else out_w)
        target = [builtins.slice(None)] * 4
        target[axis] = builtins.slice(start, end)
        y[tuple(target)] = part
    return y


def conv2d(*, input_tensor, weight_tensor, device, in_channels, out_channels, batch_size, input_height, input_width, kernel_size, stride=(1, 1),
           padding=(0, 0), dilation=(1, 1), groups=1, dtype=None, bias_tensor=None, conv_config=None, compute_config=None, memory_config=None,
           slice_config=None, return_output_dim=False, return_weights_and_bias=False):
    w = _conv_weight(weight_tensor, device)
    if slice_config is not None and not isinstance(slice_config, Conv2dSliceConfig):
        raise TypeError(f"conv2d: slice_config must be a ttnn.Conv2dSliceConfig, got {type(slice_config).__name__}")
    if w.data.ndim != 4:
        raise RuntimeError(f"conv2d: weight_tensor must be OIHW (4-D), got {list(w.data.shape)}")
    top, bottom, left, right = _pads(padding)
    x = np.pad(_conv_input(input_tensor, batch_size, input_height, input_width, in_channels), [(0, 0), (top, bottom), (left, right), (0, 0)])
    out_h = (input_height + top + bottom - dilation[0] * (kernel_size[0] - 1) - 1) // stride[0] + 1
    out_w = (input_width + left + right - dilation[1] * (kernel_size[1] - 1) - 1) // stride[1] + 1
    weights = w.data.astype(np.float64)
    y = _sliced(x, weights, stride, dilation, groups, out_h, out_w, slice_config, input_tensor) if slice_config is not None \
        else _correlate(x, weights, stride, dilation, groups, out_h, out_w)
    y = _bias(y, bias_tensor)
    return _conv_output(y, input_tensor, dtype, conv_config, memory_config, w, bias_tensor, return_output_dim, return_weights_and_bias, (out_h, out_w))


def conv_transpose2d(*, input_tensor, weight_tensor, device, in_channels, out_channels, batch_size, input_height, input_width, kernel_size,
                     stride=(1, 1), padding=(0, 0), output_padding=(0, 0), dilation=(1, 1), groups=1, dtype=None, bias_tensor=None, conv_config=None,
                     compute_config=None, memory_config=None, dram_slice_config=None, mirror_kernel=True, return_output_dim=False,
                     return_weights_and_bias=False):
    w = _conv_weight(weight_tensor, device)
    weights = w.data.astype(np.float64)  # [C_in, C_out/g, KH, KW], PyTorch's ConvTranspose2d
    if not mirror_kernel:
        weights = weights[:, :, ::-1, ::-1]  # taken as already flipped
    x = _conv_input(input_tensor, batch_size, input_height, input_width, in_channels)
    kh, kw = kernel_size
    full_h = (input_height - 1) * stride[0] + dilation[0] * (kh - 1) + 1 + output_padding[0]
    full_w = (input_width - 1) * stride[1] + dilation[1] * (kw - 1) + 1 + output_padding[1]
    full = np.zeros((batch_size, full_h, full_w, out_channels))
    cg, og = in_channels // groups, out_channels // groups
    for g in range(groups):
        xs = x[..., g * cg:(g + 1) * cg]
        for i in range(kh):
            for j in range(kw):
                full[:, i * dilation[0]: i * dilation[0] + (input_height - 1) * stride[0] + 1: stride[0],
                     j * dilation[1]: j * dilation[1] + (input_width - 1) * stride[1] + 1: stride[1], g * og:(g + 1) * og] += xs @ weights[g * cg:(g + 1) * cg, :, i, j]
    out_h = (input_height - 1) * stride[0] - 2 * padding[0] + dilation[0] * (kh - 1) + output_padding[0] + 1
    out_w = (input_width - 1) * stride[1] - 2 * padding[1] + dilation[1] * (kw - 1) + output_padding[1] + 1
    y = _bias(full[:, padding[0]: padding[0] + out_h, padding[1]: padding[1] + out_w, :], bias_tensor)
    return _conv_output(y, input_tensor, dtype, conv_config, memory_config, w, bias_tensor, return_output_dim, return_weights_and_bias, (out_h, out_w))


# ---- ops run chip by chip, recorded while a trace is captured -------------------------------------------------

_DEVICE_OPS = ["to_memory_config", "to_layout", "typecast", "abs", "ceil", "relu", "exp", "log", "sqrt", "rsqrt", "gelu", "tanh", "sigmoid",
               "softplus", "leaky_relu", "add", "subtract", "multiply", "divide", "eq", "gt", "lt", "ge", "where", "matmul", "linear",
               "layer_norm", "softmax", "sum", "mean", "max", "cumsum", "embedding", "reshape", "permute", "transpose", "concat", "slice",
               "pad", "conv1d", "conv2d", "conv_transpose2d"]

_depth = [0]  # > 0 while an op runs (one op calling another, as linear calls matmul, is one op)


def _all_tensors(x):
    if isinstance(x, Tensor):
        yield x
    elif isinstance(x, (list, tuple)):
        for v in x:
            yield from _all_tensors(v)
    elif isinstance(x, dict):
        for v in x.values():
            yield from _all_tensors(v)


def _mesh_of(args, kwargs):
    for t in _all_tensors((args, kwargs)):
        if t.device is not None:
            return t.device
    device = kwargs.get("device")
    return device if isinstance(device, MeshDevice) else None


def _signature(x):
    """What tt-metal's program cache keys a program on, roughly: the tensors' shard shapes, dtypes and layouts, the plain arguments."""
    if isinstance(x, Tensor):
        return ("tensor", tuple(x.shape), x.dtype.name, x.layout.name)
    if isinstance(x, (list, tuple)):
        return tuple(_signature(v) for v in x)
    if isinstance(x, dict):
        return tuple(sorted((k, _signature(v)) for k, v in x.items()))
    if isinstance(x, (int, float, str, bool, type(None))):
        return x
    return repr(x) if isinstance(x, _Enum) else type(x).__name__


def _on_chip(x, chip, chips):
    if isinstance(x, Tensor):
        if len(x.shards) == chips:
            return x.chip(chip)
        raise RuntimeError(f"a tensor on {len(x.shards)} chips meets a {chips}-chip mesh"
                           + (": from_torch host tensors with mesh_mapper=ttnn.ReplicateTensorToMesh(device) (the stand-in does not guess a placement)"
                              if x.device is None else ""))
    if isinstance(x, (list, tuple)):
        return type(x)(_on_chip(v, chip, chips) for v in x)
    if isinstance(x, dict):
        return {k: _on_chip(v, chip, chips) for k, v in x.items()}
    return x


def _join(results, parents):
    """The chips' results as one mesh result; a chip's view of an operand (a conv's prepared weight) is that operand."""
    first = results[0]
    if isinstance(first, Tensor):
        for p in parents:
            if builtins.all(r.shards[0] is s for r, s in zip(results, p.shards)) and len(p.shards) == len(results):
                return p
        return Tensor(None, first.dtype, first.layout, first.device, first.memory_config, shards=[r.shards[0] for r in results])
    if isinstance(first, (list, tuple)):
        return type(first)(_join([r[i] for r in results], parents) for i in range(len(first)))
    return first


def _chip_by_chip(function, mesh, args, kwargs):
    chips = mesh.chips if mesh is not None else 1
    if chips == 1:
        return function(*args, **kwargs)
    parents = list(_all_tensors((args, kwargs)))
    return _join([function(*_on_chip(args, c, chips), **_on_chip(kwargs, c, chips)) for c in range(chips)], parents)


def _device_op(name, function):
    @functools.wraps(function)
    def op(*args, **kwargs):
        if _depth[0] > 0:
            return function(*args, **kwargs)
        mesh = _mesh_of(args, kwargs)
        key = (name, _signature(args), _signature(kwargs))
        if mesh is not None and mesh.capture is not None:
            for t in _all_tensors((args, kwargs)):
                if t.device is None:
                    refuse_in_capture(mesh, f"ttnn.{name} given a host tensor (its upload is a host write)")
            if key not in mesh.compiled:
                raise RuntimeError(f"ttnn.{name} inside trace capture was never run before it with these shapes: its program is not compiled "
                                   "(run the forward once before begin_trace_capture)")
        _depth[0] += 1
        try:
            result = _chip_by_chip(function, mesh, args, kwargs)
        finally:
            _depth[0] -= 1
        if mesh is not None and mesh.capture is not None:
            mesh.capture.record(functools.partial(_replay, function, mesh), args, kwargs, result)
        elif mesh is not None:
            mesh.compiled.add(key)
        return result
    return op


def _replay(function, mesh, args, kwargs):
    _depth[0] += 1
    try:
        return _chip_by_chip(function, mesh, args, kwargs)
    finally:
        _depth[0] -= 1


for _name in _DEVICE_OPS:
    globals()[_name] = _device_op(_name, globals()[_name])
