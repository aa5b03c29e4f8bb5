using VoxTile.IR;
using VoxTile.Lowering.Targets;

namespace VoxTile.Lowering.Costs;

/// <summary>
/// The math fidelity an op runs at, from the dtype of its lowest-precision operand: the usual pairing
/// bf16↔HiFi4, bfp8_b↔HiFi2, bfp4_b↔LoFi (spec §5; measured, bfp8/HiFi2 is 1.5–1.8× faster than bf16/HiFi4).
/// fp32 runs at HiFi4.
/// </summary>
public static class FidelityPolicy
{
    public static MathFidelity For(DType t) => t switch
    {
        DType.BFP4_B => MathFidelity.LoFi,
        DType.BFP8_B => MathFidelity.HiFi2,
        _ => MathFidelity.HiFi4,
    };

    public static MathFidelity For(IEnumerable<DType> operands) =>
        operands.Select(For).DefaultIfEmpty(MathFidelity.HiFi4).Min();

    /// <summary>Passes over the mantissa bits a multiply takes (LoFi 1 … HiFi4 4).</summary>
    public static int Passes(MathFidelity f) => f switch
    {
        MathFidelity.LoFi => 1,
        MathFidelity.HiFi2 => 2,
        MathFidelity.HiFi3 => 3,
        _ => 4,
    };
}
