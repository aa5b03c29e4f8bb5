namespace VoxTile.Lowering.Plan;

public enum PlanTensorKind
{
    Input,
    Weight,
    Activation,

    /// <summary>A plan input the runtime fills itself before each run: a standard-normal draw from <see cref="PlanTensor.Seed"/> (<c>RandnLike.Fill</c>).</summary>
    Noise,
}

/// <summary>
/// One tensor of a device plan: its id (the runtime's tensor-pool key), its value name from the graph, its printed
/// type (dtype, shape, layout and memory config, as <c>bf16[1,864,192]{tile,l1}</c>) and, for weights, where its
/// packed bytes sit in the plan's blob. <see cref="Why"/> is the planner's reason for its placement (for
/// <c>dump --explain</c>); <see cref="Seed"/> is set on noise inputs.
/// </summary>
public sealed record PlanTensor(int Id, string Name, string Type, PlanTensorKind Kind, long BlobOffset = -1, long BlobLength = 0, string? Key = null,
    string? Why = null, long? Seed = null);
