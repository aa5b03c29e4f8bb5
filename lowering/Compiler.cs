using System.Diagnostics;
using VoxTile.IR;
using VoxTile.Lowering.Passes;
using VoxTile.Lowering.Plan;
using VoxTile.Lowering.Planning;
using VoxTile.Lowering.Targets;

namespace VoxTile.Lowering;

/// <summary>
/// The driver: an nn graph through a text pipeline (by default <see cref="DefaultPipeline"/>) to the planned ttnn
/// graph, then to a <see cref="DevicePlan"/>. The pipeline must end with <c>plan-memory</c>.
/// </summary>
public static class Compiler
{
    public const string DefaultPipeline = "decompose,fold-constants,legalize-ttnn,fuse,plan-memory";

    /// <summary>The stages <c>voxtile dump --stage</c> shows, each a prefix of the default pipeline.</summary>
    public static IReadOnlyList<string> Stages { get; } = ["nn", "decomposed", "ttnn", "fused", "planned"];

    /// <summary>The passes that produce a stage (empty for <c>nn</c>).</summary>
    public static string StagePipeline(string stage) => stage switch
    {
        "nn" => "",
        "decomposed" => "decompose,fold-constants",
        "ttnn" => "decompose,fold-constants,legalize-ttnn",
        "fused" => "decompose,fold-constants,legalize-ttnn,fuse",
        "planned" => DefaultPipeline,
        _ => throw new VoxTileException($"unknown stage '{stage}' (known: {string.Join(", ", Stages)})"),
    };

    /// <summary>Runs <paramref name="pipeline"/> (text; empty runs nothing) over <paramref name="graph"/>.</summary>
    public static Graph Lower(Graph graph, string pipeline, PassContext context) => Lower(graph, pipeline, context, []);

    /// <summary>As <see cref="Lower(Graph, string, PassContext)"/>, adding how long each pass took (verification included) to <paramref name="times"/>.</summary>
    public static Graph Lower(Graph graph, string pipeline, PassContext context, List<(string Pass, TimeSpan Time)> times) =>
        Lower(graph, pipeline, context, times, null, planAfter: false);

    /// <summary>As <see cref="Lower(Graph, string, PassContext)"/>, calling <paramref name="starting"/> (number, count, pass) as each pass starts, for progress.</summary>
    public static Graph Lower(Graph graph, string pipeline, PassContext context, Action<int, int, string> starting) =>
        Lower(graph, pipeline, context, [], starting, planAfter: false);

    private static Graph Lower(Graph graph, string pipeline, PassContext context, List<(string Pass, TimeSpan Time)> times, Action<int, int, string>? starting,
        bool planAfter)
    {
        if (string.IsNullOrWhiteSpace(pipeline)) return graph;
        var passes = PassRegistry.Parse(pipeline).Passes;
        // In a compile the plan building after the passes counts as one more stage.
        int stages = passes.Count + (planAfter ? 1 : 0);
        for (int k = 0; k < passes.Count; k++)
        {
            var pass = passes[k];
            starting?.Invoke(k + 1, stages, pass.Name);
            var sw = Stopwatch.StartNew();
            graph = PassPipeline.Of(pass).Run(graph, context);
            times.Add((pass.Name, sw.Elapsed));
        }
        return graph;
    }

    public static CompileResult Compile(Graph graph, CompileOptions options)
    {
        var sw = Stopwatch.StartNew();
        var context = new PassContext(options.Target, options.Lowering) { PrintIrAfter = options.PrintIrAfter };
        var times = new List<(string Pass, TimeSpan Time)>();
        var lowered = Lower(graph, options.Pipeline, context, times, options.StageStarting, planAfter: true);
        var memory = context.Result<MemoryPlan>() is { } m && ReferenceEquals(m.Graph, lowered) ? m
            : throw new VoxTileException($"pipeline '{options.Pipeline}' does not end with {PlanMemoryPass.PassName}: there is no device plan to write");
        var settings = new Dictionary<string, string>(options.Settings, StringComparer.Ordinal)
        {
            ["pipeline"] = options.Pipeline,
            ["weights"] = options.Lowering.WeightDType.Name(),
            ["activations"] = options.Lowering.ActivationDType.Name(),
        };
        if (options.StageStarting is { } starting) starting(times.Count + 1, times.Count + 1, "plan building");
        var plan = PlanBuilder.Build(memory, new PlanBuildOptions
        {
            Model = options.Model,
            ModelHash = options.ModelHash,
            Bucket = options.Bucket,
            Settings = settings,
            PackWeights = options.PackWeights,
            OutputNames = [.. graph.Outputs.Select(o => o.Name)],
        });
        return new CompileResult(plan, memory, sw.Elapsed, times, context.Diagnostics);
    }
}
