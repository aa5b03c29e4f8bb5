using VoxTile.IR;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.Lowering.Planning;
using VoxTile.Lowering.Targets;

namespace VoxTile.Lowering.Costs;

/// <summary>
/// A roofline cost per op, after tt-mlir's perf model (spec §5) extended to every op:
/// <c>max(DRAM bytes / DRAM bandwidth, FLOPs / (cores × per-core rate at the op's fidelity)) + NoC bytes / NoC bandwidth</c>.
/// <list type="bullet">
/// <item>Bytes: every operand read and the result written, as laid out (tile-padded). DRAM operands cost DRAM
/// bandwidth; L1-interleaved operands cross the NoC; sharded ones are local. Conv weights held on the host are
/// prepared into DRAM by TTNN on the first call and read from there.</item>
/// <item>A reshape that TTNN runs as a view (<see cref="ReshapeViews"/>) costs nothing.</item>
/// <item>Compute: matmul, linear and convs on the matrix engine at the fidelity of their lowest-precision operand,
/// on the padded (tile) sizes, over the cores their output spreads over (grouped convs run dense, as TTNN expands
/// them); eltwise on the FPU or SFPU (<see cref="EngineRates"/>); data movement costs bytes only.</item>
/// </list>
/// The roofline bound of a whole program is max(compulsory DRAM bytes / bandwidth, Σ FLOPs / peak at each op's
/// fidelity), where the compulsory bytes are the inputs, outputs and weights read once: no schedule can beat it.
/// </summary>
public static class CostModel
{
    /// <summary>The cost of computing <paramref name="n"/> from its operands with the placements their types carry.</summary>
    public static OpCost Of(Node n, TargetSpec target)
    {
        if (ReshapeViews.IsView(n)) return OpCost.Zero; // TTNN relabels the operand's buffer: nothing moves
        long dram = 0, noc = 0;
        // A slice reads only its window: as many bytes as it writes, from wherever its input lives.
        var read = n.Op is Slice ? n.Inputs.Select(i => n.Type with { Memory = i.Type.Memory, Layout = i.Type.Layout }) : n.Inputs.Select(i => i.Type);
        foreach (var t in read.Append(n.Type)) CountBytes(t, ref dram, ref noc);
        dram += SlicedConvTraffic.RepeatedBytes(n);
        int cores = Math.Max(1, TensorFootprint.CoresHolding(n.Type, n.Type.Memory is { Buffer: BufferType.L1 } ? n.Type.Memory : null, target));
        double clock = target.ClockHz;
        var (flops, paddedFlops, perCycle, fidelity, parallel) = Compute(n);
        if (parallel > 0) cores = (int)Math.Clamp(parallel, 1, target.Cores);
        double compute = perCycle > 0 ? paddedFlops / (cores * perCycle * clock) : 0;
        return new OpCost
        {
            Flops = flops,
            DramBytes = dram,
            NocBytes = noc,
            Cores = cores,
            Fidelity = fidelity,
            ComputeSeconds = compute,
            DramSeconds = dram / target.DramBandwidthBytesPerSecond,
            MoveSeconds = noc / (target.Cores * EngineRates.NocBytesPerCycle(target) * clock),
        };
    }

    /// <summary>The least time any schedule of these FLOPs can take on the whole grid at the op's fidelity.</summary>
    public static double PeakComputeSeconds(double flops, MathFidelity fidelity, TargetSpec target) =>
        flops / (target.Cores * EngineRates.MatmulFlopsPerCycle(fidelity) * target.ClockHz);

    private static void CountBytes(TensorType t, ref long dram, ref long noc)
    {
        var bytes = TensorFootprint.TotalBytes(t);
        switch (t.Memory)
        {
            case null: dram += TensorFootprint.PackedBytes(t); break; // host conv weights: prepared into DRAM by TTNN, read from there
            case { Buffer: BufferType.Dram }: dram += bytes; break;
            case { Layout: TensorMemoryLayout.Interleaved }: noc += bytes; break;
        }
    }

    private static long Pad(long n) => TensorFootprint.PadTile(n);

    /// <summary>(logical FLOPs, FLOPs the engine does on padded sizes, engine FLOPs or values per cycle per core, fidelity, cores the work spreads over or 0 for the output's).</summary>
    private static (double Flops, double Padded, double PerCycle, MathFidelity? Fidelity, long Parallel) Compute(Node n)
    {
        var types = n.Inputs.Select(i => i.Type).ToList();
        long elements = Elements(n.Type);
        long padded = TensorFootprint.Pages(n.Type with { Layout = Layout.Tile }) * 1024;
        switch (n.Op)
        {
            case Matmul or IR.Ops.Ttnn.Linear:
                {
                    bool ta = n.Op is Matmul m ? m.TransposeA : ((IR.Ops.Ttnn.Linear)n.Op).TransposeA;
                    var a = TensorFootprint.Dims(types[0]);
                    long k = ta ? a[^2] : a[^1];
                    var o = TensorFootprint.Dims(n.Type);
                    long rows = elements / Math.Max(1, o[^1]), cols = o[^1];
                    long batch = rows / Math.Max(1, o.Length >= 2 ? o[^2] : 1);
                    var f = FidelityPolicy.For(types.Take(2).Select(t => t.DType));
                    long mt = Pad(o.Length >= 2 ? o[^2] : 1) / 32 * batch, nt = Pad(cols) / 32;
                    return (2.0 * rows * cols * k, 2.0 * Pad(o.Length >= 2 ? o[^2] : 1) * batch * Pad(cols) * Pad(k), EngineRates.MatmulFlopsPerCycle(f), f, mt * nt);
                }
            case Conv1d c:
                {
                    long m = (long)c.BatchSize * c.OutputLength, inner = (long)c.InChannels / c.Groups * c.KernelSize;
                    return Conv(types, m, c.OutChannels, inner, (long)c.InChannels * c.KernelSize);
                }
            case IR.Ops.Cpu.Conv1d c:
                {
                    // The GEMM dominates; the fused epilogue rides in its store.
                    long m = (long)c.BatchSize * c.OutputLength, inner = (long)c.InChannels / c.Groups * c.KernelSize;
                    return Conv(types, m, c.OutChannels, inner, (long)c.InChannels * c.KernelSize);
                }
            case Conv2d c:
                {
                    long m = (long)c.BatchSize * c.OutputHeight * c.OutputWidth, k = (long)c.KernelSize[0] * c.KernelSize[1];
                    return Conv(types, m, c.OutChannels, c.InChannels / c.Groups * k, c.InChannels * k);
                }
            case ConvTranspose2d c:
                {
                    long m = (long)c.BatchSize * c.OutputHeight * c.OutputWidth, k = (long)c.KernelSize[0] * c.KernelSize[1];
                    // As a conv over the stride-dilated input: every output reads K taps of C_in channels, of which 1/stride² are real.
                    double real = (double)c.BatchSize * c.InputHeight * c.InputWidth * c.InChannels * (c.OutChannels / c.Groups) * k * 2;
                    var (_, padded2, rate, f, par) = Conv(types, m, c.OutChannels, c.InChannels * k, c.InChannels * k);
                    return (real, padded2, rate, f, par);
                }
            case Multiply:
                {
                    var f = FidelityPolicy.For(types.Select(t => t.DType));
                    return (elements, padded, EngineRates.FpuEltwisePerCycle / FidelityPolicy.Passes(f), f, 0);
                }
            case Add or Subtract or Eq or Gt or Lt or Ge:
                return (elements, padded, EngineRates.FpuEltwisePerCycle, null, 0);
            case Divide or Exp or Tanh or Sigmoid or Log or Sqrt or Rsqrt or Gelu or Softplus:
                return (elements, padded, EngineRates.SfpuTranscendentalPerCycle, null, 0);
            case Relu or LeakyRelu or Abs or Ceil or Where or Typecast:
                return (elements, padded, EngineRates.SfpuSimplePerCycle, null, 0);
            case Sum or Mean:
                {
                    long inPadded = TensorFootprint.Pages(types[0] with { Layout = Layout.Tile }) * 1024;
                    return (Elements(types[0]), inPadded, EngineRates.FpuReducePerCycle, null, 0);
                }
            case Cumsum:
                return (elements, padded, EngineRates.FpuEltwisePerCycle, null, 0);
            case Softmax or LayerNorm:
                // max/sum or mean/var reductions plus exp or rsqrt and the scaling: about five passes over the row.
                return (5.0 * elements, 5.0 * padded, EngineRates.SfpuSimplePerCycle, null, 0);
            default:
                return (0, 0, 0, null, 0);
        }
    }

    /// <param name="m">Output rows (pixels).</param>
    /// <param name="inner">Reduction length per output (C/groups · taps), for the logical FLOPs.</param>
    /// <param name="denseInner">Reduction length as TTNN runs it (grouped weights expanded to dense).</param>
    private static (double, double, double, MathFidelity?, long) Conv(List<TensorType> types, long m, long outChannels, long inner, long denseInner)
    {
        var f = FidelityPolicy.For(types.Take(2).Select(t => t.DType));
        return (2.0 * m * outChannels * inner, 2.0 * Pad(m) * Pad(outChannels) * Pad(denseInner), EngineRates.MatmulFlopsPerCycle(f), f,
            Pad(m) / 32 * (Pad(outChannels) / 32));
    }

    private static long Elements(TensorType t)
    {
        long e = 1;
        foreach (var d in TensorFootprint.Dims(t)) e *= d;
        return e;
    }
}
