using VoxTile.Lowering.Targets;

namespace VoxTile.Lowering.Costs;

/// <summary>
/// The modeled cost of one step: FLOPs (counted on the logical sizes), bytes read and written in DRAM, bytes moved
/// over the NoC between cores' L1 (interleaved L1 operands), the cores the op spreads over, and the resulting times.
/// <see cref="Seconds"/> = max(<see cref="DramSeconds"/>, <see cref="ComputeSeconds"/>) + <see cref="MoveSeconds"/>.
/// </summary>
public sealed record OpCost
{
    public double Flops { get; init; }
    public long DramBytes { get; init; }
    public long NocBytes { get; init; }
    public int Cores { get; init; }
    public MathFidelity? Fidelity { get; init; }
    public double ComputeSeconds { get; init; }
    public double DramSeconds { get; init; }
    public double MoveSeconds { get; init; }
    public double Seconds => Math.Max(DramSeconds, ComputeSeconds) + MoveSeconds;

    public static OpCost Zero { get; } = new();
}
