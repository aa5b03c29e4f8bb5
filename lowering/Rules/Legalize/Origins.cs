using VoxTile.IR;

namespace VoxTile.Lowering.Rules.Legalize;

/// <summary>Where a value came from, for messages: its printed name and the nearest named value it was computed from.</summary>
internal static class Origins
{
    public static string NoLowering(Graph g, Node n) =>
        $"{n.Op.Name} (value %{PrintedName(g, n)}, from {NearestNamedAncestor(g, n)}) has no TTNN lowering";

    public static string Describe(Graph g, Node n) => $"{n.Op.Name} (value %{PrintedName(g, n)})";

    /// <summary>The name the printer gives the value: its own, or its number among the unnamed values.</summary>
    public static string PrintedName(Graph g, Node target)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        int counter = 0;
        foreach (var n in g.Inputs.Concat(g.Nodes))
        {
            string s;
            if (n.Name is { } wanted)
            {
                s = wanted;
                for (int k = 1; used.Contains(s); k++) s = $"{wanted}_{k}";
            }
            else
            {
                do s = (counter++).ToString(System.Globalization.CultureInfo.InvariantCulture); while (used.Contains(s));
            }
            used.Add(s);
            if (ReferenceEquals(n, target)) return s;
        }
        return target.Name ?? "?";
    }

    /// <summary>The closest named value among the operands (breadth first), or the graph when none is named.</summary>
    public static string NearestNamedAncestor(Graph g, Node n)
    {
        var seen = new HashSet<Node>(ReferenceEqualityComparer.Instance) { n };
        var queue = new Queue<Node>(n.Inputs);
        while (queue.Count > 0)
        {
            var x = queue.Dequeue();
            if (!seen.Add(x)) continue;
            if (x.Name is { } name && x.Op is not IR.Ops.Graph.Weight) return "%" + name;
            foreach (var i in x.Inputs) queue.Enqueue(i);
        }
        return "@" + g.Name;
    }
}
