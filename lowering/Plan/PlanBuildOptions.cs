namespace VoxTile.Lowering.Plan;

/// <summary>What <see cref="PlanBuilder"/> records beside the program.</summary>
public sealed record PlanBuildOptions
{
    /// <summary>What the plan was compiled from (a description of the model), recorded in the plan.</summary>
    public required string Model { get; init; }

    /// <summary>A hash of the model's config and weights; derived from <see cref="Model"/> and the packed weights when null.</summary>
    public string? ModelHash { get; init; }

    public IReadOnlyDictionary<string, int> Bucket { get; init; } = new Dictionary<string, int>();
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The names of the model's outputs, in the graph's output order (<c>audio</c>, <c>z</c>…): the plan's outputs take
    /// them whatever lowering made of the nodes that compute them, so programs and readers find them by the model's
    /// names. Null or a null entry keeps the lowered node's name.
    /// </summary>
    public IReadOnlyList<string?>? OutputNames { get; init; }

    /// <summary>Pack the weights into the blob (off for a dump, which needs only the program).</summary>
    public bool PackWeights { get; init; } = true;
}
