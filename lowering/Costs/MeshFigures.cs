namespace VoxTile.Lowering.Costs;

/// <summary>
/// A data-parallel run over a target's mesh (<see cref="MeshCost"/>): every chip runs the same one-chip program on its
/// own <see cref="BatchPerChip"/> items with its own copy of the weights, so one run serves <see cref="MeshBatch"/> items
/// in the time one chip takes (plus the host's share of the transfers).
/// </summary>
public sealed record MeshFigures
{
    public required string Target { get; init; }
    public required int Chips { get; init; }
    public required int BatchPerChip { get; init; }

    /// <summary>Items one run of the mesh serves: chips × the per-chip batch.</summary>
    public int MeshBatch => Chips * BatchPerChip;

    /// <summary>Weights on each chip (replicated: every chip holds them all).</summary>
    public required long WeightBytesPerChip { get; init; }
    public long WeightBytesOnMesh => WeightBytesPerChip * Chips;

    /// <summary>The most DRAM one chip holds during a run (<see cref="PlanDram"/>) and what one chip has.</summary>
    public required long PeakDramBytesPerChip { get; init; }
    public required long DramBytesPerChip { get; init; }
    public bool FitsDram => PeakDramBytesPerChip <= DramBytesPerChip;

    /// <summary>Replicating the weights to every chip, once when the program loads (not per run).</summary>
    public required double WeightUploadSeconds { get; init; }

    /// <summary>The device-only figures of one chip: the cost model's sum and the roofline bound.</summary>
    public required double DeviceSecondsPerChip { get; init; }
    public required double RooflineSecondsPerChip { get; init; }

    /// <summary>One run of the whole mesh, host included.</summary>
    public required RunCost Run { get; init; }

    /// <summary>Audio one item holds, seconds (what a real-time stream must produce per second).</summary>
    public required double AudioSecondsPerItem { get; init; }

    public double UtterancesPerSecond => MeshBatch / Run.TracedSeconds;
    public double UntracedUtterancesPerSecond => MeshBatch / Run.UntracedSeconds;

    /// <summary>Concurrent real-time streams: audio seconds the mesh produces per wall second, traced.</summary>
    public double RealTimeStreams => UtterancesPerSecond * AudioSecondsPerItem;
    public double UntracedRealTimeStreams => UntracedUtterancesPerSecond * AudioSecondsPerItem;
}
