using VoxTile.IR.Ops.Graph;

namespace VoxTile.IR.Interp;

/// <summary>
/// The fp32 reference interpreter: evaluates each value in order with its op's reference semantics and frees
/// intermediates after their last use, so full-size models run in bounded memory. Ops parallelise internally.
/// </summary>
public static class Interpreter
{
    /// <param name="observe">Called with every computed value (for parity checks of named intermediates).</param>
    /// <param name="profile">When given, collects wall time per op name.</param>
    public static Tensor[] Run(Graph g, IReadOnlyList<Tensor> inputs, Action<Node, Tensor>? observe = null, OpProfile? profile = null)
    {
        if (inputs.Count != g.Inputs.Length)
            throw new VoxTileException($"@{g.Name} takes {g.Inputs.Length} inputs, {inputs.Count} given");
        var values = new Dictionary<Node, Tensor>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < inputs.Count; i++)
        {
            var decl = g.Inputs[i];
            if (!decl.Shape.Matches(inputs[i].Shape))
                throw new VoxTileException($"@{g.Name}: input %{decl.Name} has shape {inputs[i].ShapeString}, expected {decl.Shape}");
            values[decl] = inputs[i];
        }

        var lastUse = new Dictionary<Node, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < g.Nodes.Length; i++)
            foreach (var x in g.Nodes[i].Inputs) lastUse[x] = i;
        var keep = new HashSet<Node>(g.Outputs, ReferenceEqualityComparer.Instance);

        for (int i = 0; i < g.Nodes.Length; i++)
        {
            var n = g.Nodes[i];
            var args = new Tensor[n.Inputs.Length];
            for (int k = 0; k < args.Length; k++) args[k] = values[n.Inputs[k]];
            Tensor result;
            long start = profile is null ? 0 : System.Diagnostics.Stopwatch.GetTimestamp();
            try { result = n.Op.Evaluate(args); }
            catch (VoxTileException e) { throw new VoxTileException($"{Describe(n)}: {e.Message}", e); }
            if (!n.Shape.Matches(result.Shape))
                throw new InvalidOperationException($"{Describe(n)} produced shape {result.ShapeString}, its type says {n.Type}");
            profile?.Add(n.Op.Name, System.Diagnostics.Stopwatch.GetElapsedTime(start));
            values[n] = result;
            observe?.Invoke(n, result);
            foreach (var x in n.Inputs)
                if (lastUse[x] == i && !keep.Contains(x) && x.Op is not Weight) values.Remove(x);
        }
        return [.. g.Outputs.Select(o => values[o])];
    }

    private static string Describe(Node n) => n.Name is null ? n.Op.Name : $"%{n.Name} ({n.Op.Name})";
}
