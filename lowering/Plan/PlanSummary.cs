namespace VoxTile.Lowering.Plan;

/// <summary>What the compile summary prints and the plan records: counts, memory and the cost model's times.</summary>
public sealed record PlanSummary
{
    public IReadOnlyDictionary<string, int> OpsByKind { get; init; } = new Dictionary<string, int>();
    public int HostOps { get; init; }
    public long PeakL1BytesPerCore { get; init; }
    public long L1BudgetPerCore { get; init; }
    public long DramBytesMoved { get; init; }
    public int Reshards { get; init; }
    public int Spills { get; init; }
    public int Slices { get; init; }
    public double ModeledSeconds { get; init; }
    public double RooflineSeconds { get; init; }
    public long WeightBytes { get; init; }

    /// <summary>Floating-point work of one run (logical sizes; 1 MAC = 2 FLOPs).</summary>
    public double Flops { get; init; }
}
