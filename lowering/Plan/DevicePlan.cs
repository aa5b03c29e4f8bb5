namespace VoxTile.Lowering.Plan;

/// <summary>
/// A compiled program for one target and one length bucket: tensors, steps in order, the summary, and the weights
/// packed in their device dtype and layout. Self-contained: the runtime needs nothing else to run it.
/// </summary>
public sealed record DevicePlan
{
    /// <summary>The on-disk format version; the reader refuses any other.</summary>
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;
    public required string Target { get; init; }
    public required string Model { get; init; }

    /// <summary>A hash of the model's config and weights, so a cache can tell plans of different models apart.</summary>
    public required string ModelHash { get; init; }

    public required string Graph { get; init; }

    /// <summary>The static sizes the plan was compiled for (e.g. samples, frames).</summary>
    public IReadOnlyDictionary<string, int> Bucket { get; init; } = new Dictionary<string, int>();

    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();
    public required IReadOnlyList<PlanTensor> Tensors { get; init; }
    public required IReadOnlyList<int> Inputs { get; init; }
    public required IReadOnlyList<int> Outputs { get; init; }
    public required IReadOnlyList<PlanStep> Steps { get; init; }
    public PlanSummary Summary { get; init; } = new();

    /// <summary>Packed weights; tensors point into it.</summary>
    public byte[] Blob { get; init; } = [];

    public PlanTensor Tensor(int id) => Tensors[id];
}
