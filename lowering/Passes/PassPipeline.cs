using VoxTile.IR;
using VoxTile.IR.Verify;

namespace VoxTile.Lowering.Passes;

/// <summary>
/// A pipeline written as text, <c>fold-constants,decompose,legalize-ttnn,plan-memory</c>, parsed against the known
/// passes; runs them in order, verifying after each and printing the graph after those selected.
/// </summary>
public sealed class PassPipeline
{
    private PassPipeline(IReadOnlyList<Pass> passes) => Passes = passes;

    public IReadOnlyList<Pass> Passes { get; }

    public static PassPipeline Parse(string text, IReadOnlyDictionary<string, Func<Pass>> known)
    {
        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0) throw new VoxTileException("empty pass pipeline");
        var passes = new List<Pass>();
        foreach (var n in names)
        {
            if (!known.TryGetValue(n, out var make))
                throw new VoxTileException($"unknown pass '{n}' (known: {string.Join(", ", known.Keys.Order(StringComparer.Ordinal))})");
            passes.Add(make());
        }
        return new PassPipeline(passes);
    }

    public static PassPipeline Of(params Pass[] passes) => new(passes);

    public override string ToString() => string.Join(",", Passes.Select(p => p.Name));

    public Graph Run(Graph graph, PassContext context)
    {
        foreach (var pass in Passes)
        {
            graph = pass.Run(graph, context);
            if (context.Options.VerifyEachPass)
            {
                var errors = Verifier.Check(graph);
                if (errors.Count > 0) throw new InvalidOperationException($"after pass {pass.Name}: {errors[0]}");
            }
            if (context.Options.PrintIrAfter.Contains("all") || context.Options.PrintIrAfter.Contains(pass.Name))
                context.PrintIrAfter?.Invoke(pass.Name, graph);
        }
        return graph;
    }
}
