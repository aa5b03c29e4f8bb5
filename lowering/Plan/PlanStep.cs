namespace VoxTile.Lowering.Plan;

/// <summary>
/// One step of a device plan, in execution order: a TTNN op (name, attributes in the IR's printed form, operand and
/// result tensor ids), or <c>ttnn.deallocate</c> of a tensor after its last use. <see cref="Why"/> carries the
/// planner's reason for a placement or a move, for <c>dump --explain</c>.
/// </summary>
public sealed record PlanStep
{
    public const string Deallocate = "ttnn.deallocate";

    public required string Op { get; init; }
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<int> Inputs { get; init; } = [];

    /// <summary>The result tensor, or −1 for deallocate.</summary>
    public int Output { get; init; } = -1;

    /// <summary>The nn op and value this step came from (for errors and traces).</summary>
    public string? Origin { get; init; }

    public string? Why { get; init; }

    /// <summary>The planner's model of L1 in use per core while the step runs (CBs and live tensors, holes included); 0 when unknown.</summary>
    public long L1BytesPerCore { get; init; }

    /// <summary>The cost model's time for the step (0 for deallocate).</summary>
    public double ModeledSeconds { get; init; }

    public bool IsDeallocate => Op == Deallocate;
}
