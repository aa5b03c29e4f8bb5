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
    /// <summary>The cost model's device time of one chip's program, and the roofline bound no schedule can beat.</summary>
    public double ModeledSeconds { get; init; }
    public double RooflineSeconds { get; init; }

    /// <summary>
    /// One run on the plan's whole target with the host in it (<see cref="Costs.HostCost"/>): inputs written, the program
    /// replayed from a trace or dispatched op by op from Python, outputs read. 0 in plans written before these figures
    /// (the reader ignores what a plan lacks); <see cref="Costs.HostCost.Of"/> computes them from any plan.
    /// </summary>
    public double ModeledLatencyTracedSeconds { get; init; }
    public double ModeledLatencyUntracedSeconds { get; init; }

    /// <summary>The most DRAM one chip holds during a run: weights plus the peak of DRAM-placed activations (<see cref="Costs.PlanDram"/>).</summary>
    public long PeakDramBytesPerChip { get; init; }
    public long WeightBytes { get; init; }

    /// <summary>Floating-point work of one run (logical sizes; 1 MAC = 2 FLOPs).</summary>
    public double Flops { get; init; }
}
