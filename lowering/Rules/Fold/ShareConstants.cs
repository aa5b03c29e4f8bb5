using VoxTile.IR;
using VoxTile.IR.Ops.Graph;

namespace VoxTile.Lowering.Rules.Fold;

/// <summary>
/// Makes every <c>const.</c> weight key one node: rules are stateless, so two rewrites that need the same constant
/// (the 32×32 prefix-sum matrix, a DFT basis) each create a node for it. A <c>const.</c> key names one content
/// (keys are derived from what the constant is), so the first node of a key stands for all of them.
/// </summary>
public static class ShareConstants
{
    public const string Prefix = "const.";

    public static Graph Run(Graph g)
    {
        var canonical = new Dictionary<string, Node>(StringComparer.Ordinal);
        var map = new Dictionary<Node, Node>(ReferenceEqualityComparer.Instance);
        bool changed = false;
        foreach (var i in g.Inputs) map[i] = i;
        foreach (var n in g.Nodes) // operands come first: one pass in order, no recursion
        {
            Node m;
            if (n.Op is Weight w && w.Key.StartsWith(Prefix, StringComparison.Ordinal))
            {
                if (canonical.TryGetValue(w.Key, out var c) && c.Type == n.Type) m = c;
                else { canonical.TryAdd(w.Key, n); m = n; }
            }
            else m = n.Inputs.Length == 0 ? n : n.WithInputs([.. n.Inputs.Select(i => map[i])]);
            changed |= !ReferenceEquals(m, n);
            map[n] = m;
        }
        return changed ? Graph.Create(g.Name, g.Inputs, g.Outputs.Select(o => map[o])) : g;
    }
}
