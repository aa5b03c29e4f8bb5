using VoxTile.IR;
using VoxTile.Lowering.Passes;
using VoxTile.Lowering.Targets;

namespace VoxTile.Lowering;

/// <summary>What <see cref="Compiler.Compile"/> needs beside the graph.</summary>
public sealed record CompileOptions
{
    public required TargetSpec Target { get; init; }

    /// <summary>A description of the model, recorded in the plan.</summary>
    public required string Model { get; init; }

    /// <summary>A hash of the model's config and weights; when null the plan derives one from the description and the packed weights.</summary>
    public string? ModelHash { get; init; }

    public string Pipeline { get; init; } = Compiler.DefaultPipeline;
    public LoweringOptions Lowering { get; init; } = new();

    /// <summary>The static sizes the graph was built for (frames, samples), recorded in the plan.</summary>
    public IReadOnlyDictionary<string, int> Bucket { get; init; } = new Dictionary<string, int>();

    public bool PackWeights { get; init; } = true;

    /// <summary>Facts about how the graph was built (e.g. the sampling temperature baked into it), recorded among the plan's options.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>Called with (pass, graph) after each pass that <see cref="LoweringOptions.PrintIrAfter"/> selects.</summary>
    public Action<string, Graph>? PrintIrAfter { get; init; }

    /// <summary>
    /// Called as each stage starts, with its number from 1, the number of stages and its name: every pass of
    /// <see cref="Pipeline"/>, then "plan building" (for a progress display: a converter's compile takes tens of seconds).
    /// </summary>
    public Action<int, int, string>? StageStarting { get; init; }
}
