using VoxTile.Lowering.Planning;
using VoxTile.Lowering.Targets;

namespace VoxTile.Lowering.Costs;

/// <summary>
/// Per-core throughput of a Tensix core's engines and its NoC, per cycle. Sources (spec §5): the matrix engine does
/// a 32×32×32 tile in 16/32/48/64 cycles at LoFi/HiFi2/HiFi3/HiFi4 (<see cref="TargetSpec.MatmulCyclesPerTile"/>);
/// FPU eltwise add/sub/mul is 8×16 values per cycle (mul divided by the fidelity's passes), FPU reductions 16×16;
/// the NoC moves 32 B/cycle per core on Wormhole and 64 on Blackhole. The SFPU rates are <i>inference</i>: a
/// 32-lane vector unit, one simple op (relu, abs, compare, select) per lane per cycle, and about 8 cycles for a
/// transcendental (exp, tanh, sigmoid, log, sqrt, reciprocal and their compositions).
/// </summary>
public static class EngineRates
{
    public const double FpuEltwisePerCycle = 8 * 16;
    public const double FpuReducePerCycle = 16 * 16;
    public const double SfpuSimplePerCycle = 32;
    public const double SfpuTranscendentalPerCycle = 4;

    /// <summary>Matrix-engine FLOPs per cycle per core (2 FLOPs per multiply-accumulate).</summary>
    public static double MatmulFlopsPerCycle(MathFidelity f) => 2.0 * 32 * 32 * 32 / TargetSpec.MatmulCyclesPerTile(f);

    public static double NocBytesPerCycle(TargetSpec target) => TargetArch.Of(target) == Arch.Blackhole ? 64 : 32;
}
