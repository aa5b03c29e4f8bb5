using VoxTile.Lowering.Planning;
using VoxTile.Lowering.Targets;

namespace VoxTile.Lowering.Costs;

/// <summary>
/// What the host costs a run, per op and per transfer, from tt-metal's own measurements:
/// <list type="bullet">
/// <item><b>Untraced dispatch</b>: the Python time of one TTNN call, host side only, from tt-metal's host-overhead CI
/// reference (<c>tests/ttnn/profiling/reference.txt@034ebc0d</c>, column "python mean dispatch time (ms)", which
/// <c>test_host_overhead_ci.py</c> holds every build to within 1.13×). Simple eltwise, slice, concat and matmul calls
/// take 0.023–0.039 ms there; an op the reference does not list takes <see cref="UnlistedDispatchSeconds"/>, the middle
/// of that range (approximate).</item>
/// <item><b>Traced op-to-op gap</b>: what remains between two device programs replayed from a trace, tt-metal's
/// op-to-op latency CI golden (<c>tests/tt_metal/tt_metal/perf_microbenchmark/op_to_op_latency/op_to_op_golden.json@04f11d29</c>:
/// official_op2op_us 2.05 on Wormhole n300, <c>op_to_op_blackhole_golden.json@4c8bda3b</c>: 2.069 on Blackhole p150,
/// both with <c>--use-trace</c>). tt-metal's LLM tech report (<c>tech_reports/LLMs/llms.md</c>, PR #15104) puts the
/// floor of device dispatch at "single-digit microseconds"; its perf report (<c>models/perf/perf_report.py@5537283c</c>)
/// flags gaps above 6.5 µs as host-bound. Without a trace the same gap still separates programs, under the host's.</item>
/// </list>
/// A conv is one TTNN call but more than one device program (the sliding-window halo, then the conv itself): it is
/// counted as <see cref="ConvPrograms"/> programs for the gap, and at <see cref="ConvDispatchSeconds"/> of host time,
/// an inference (the reference lists no conv): about three simple calls for the halo, the conv and their Python setup.
/// A conv that TTNN slices through DRAM runs <see cref="DramSlicePrograms"/> programs per slice: tt-metal's
/// <c>run_sliced_op</c> (<c>ttnn/cpp/ttnn/operations/sliding_window/op_slicing/op_slicing.cpp</c>) reads each slice's
/// input window with <c>padded_slice</c>, runs the L1 conv on it (halo and conv) and writes the slice's output into the
/// DRAM result with <c>slice_write</c>. Its host time stays one call's (the per-slice calls are C++, not Python).
/// </summary>
public static class HostRates
{
    /// <summary>Host time of an op the reference does not list: the middle of its simple calls' 0.023–0.039 ms (approximate).</summary>
    public const double UnlistedDispatchSeconds = 30e-6;

    /// <summary>Host time of one conv call (inference, see the class summary).</summary>
    public const double ConvDispatchSeconds = 100e-6;

    /// <summary>Device programs per conv call: the halo and the conv (inference from TTNN's conv structure).</summary>
    public const int ConvPrograms = 2;

    /// <summary>Device programs per slice of a conv TTNN slices through DRAM: padded_slice, halo, conv, slice_write.</summary>
    public const int DramSlicePrograms = ConvPrograms + 2;

    /// <summary>The reference's python mean dispatch time per TTNN op, seconds (VoxTile op name → the reference row it reads).</summary>
    private static readonly Dictionary<string, double> Reference = new(StringComparer.Ordinal)
    {
        ["ttnn.add"] = 0.039e-3,
        ["ttnn.subtract"] = 0.036e-3, // ttnn.sub
        ["ttnn.multiply"] = 0.036e-3, // ttnn.mul
        ["ttnn.divide"] = 0.039e-3,
        ["ttnn.eq"] = 0.036e-3,
        ["ttnn.ge"] = 0.035e-3,
        ["ttnn.gt"] = 0.033e-3,
        ["ttnn.lt"] = 0.035e-3,
        ["ttnn.exp"] = 0.023e-3,
        ["ttnn.log"] = 0.024e-3,
        ["ttnn.sqrt"] = 0.026e-3,
        ["ttnn.rsqrt"] = 0.026e-3, // rsqrt_fast_and_approx_False
        ["ttnn.tanh"] = 0.023e-3,
        ["ttnn.sigmoid"] = 0.024e-3,
        ["ttnn.relu"] = 0.024e-3,
        ["ttnn.leaky_relu"] = 0.024e-3,
        ["ttnn.gelu"] = 0.023e-3,
        ["ttnn.softplus"] = 0.025e-3,
        ["ttnn.abs"] = 0.025e-3,
        ["ttnn.typecast"] = 0.024e-3, // tt_lib.tensor.typecast
        ["ttnn.slice"] = 0.033e-3,
        ["ttnn.concat"] = 0.037e-3, // concat_dim_0..3: 0.034–0.039
        ["ttnn.pad"] = 0.031e-3,
        ["ttnn.permute"] = 0.145e-3,
        ["ttnn.reshape"] = 0.010e-3,
        ["ttnn.to_layout"] = 0.021e-3, // ttnn.tilize
        ["ttnn.matmul"] = 0.029e-3,
        ["ttnn.linear"] = 0.120e-3,
        ["ttnn.embedding"] = 0.033e-3,
        ["ttnn.sum"] = 0.036e-3, // sum_dim_3
        ["ttnn.softmax"] = 0.075e-3, // softmax_in_place
    };

    /// <summary>Host time to dispatch one call of <paramref name="op"/> without a trace.</summary>
    public static double UntracedDispatchSeconds(string op) =>
        IsConv(op) ? ConvDispatchSeconds : Reference.GetValueOrDefault(op, UnlistedDispatchSeconds);

    /// <summary>Device programs one call of <paramref name="op"/> runs (each pays the op-to-op gap).</summary>
    public static int Programs(string op) => IsConv(op) ? ConvPrograms : 1;

    /// <summary>Device programs of one call of <paramref name="op"/> that TTNN runs in <paramref name="dramSlices"/> slices through DRAM (0: unsliced).</summary>
    public static int Programs(string op, int dramSlices) => IsConv(op) && dramSlices > 0 ? dramSlices * DramSlicePrograms : Programs(op);

    /// <summary>The op-to-op gap between two device programs replayed from a trace (tt-metal's CI goldens).</summary>
    public static double OpToOpGapSeconds(TargetSpec target) => TargetArch.Of(target) == Arch.Blackhole ? 2.069e-6 : 2.05e-6;

    /// <summary>
    /// Host time of one transfer call (<c>from_torch</c>/<c>copy_host_to_device_tensor</c> in, <c>to_torch</c> out), besides
    /// its bytes: the reference does not list them, so one unlisted call's time (approximate).
    /// </summary>
    public const double TransferCallSeconds = UnlistedDispatchSeconds;

    /// <summary>Host time of <c>ttnn.execute_trace</c>: one call (approximate, as an unlisted op).</summary>
    public const double ExecuteTraceSeconds = UnlistedDispatchSeconds;

    private static bool IsConv(string op) => op is "ttnn.conv1d" or "ttnn.conv2d" or "ttnn.conv_transpose2d";
}
