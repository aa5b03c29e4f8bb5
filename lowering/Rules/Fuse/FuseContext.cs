using VoxTile.IR;
using VoxTile.Lowering.Passes;

namespace VoxTile.Lowering.Rules.Fuse;

/// <summary>
/// What a fusion rule may ask of the graph being fused: how many readers a value has (counted on the graph the pass
/// started from and carried over to each value's rewritten copy), and whether one value depends on another (a fused
/// op may only read values that exist before it runs).
/// </summary>
public sealed class FuseContext
{
    private readonly Dictionary<Node, int> _uses;
    private readonly Dictionary<Node, Node> _origin;

    internal FuseContext(PassContext pass, Dictionary<Node, int> uses, Dictionary<Node, Node> origin)
    {
        Pass = pass;
        _uses = uses;
        _origin = origin;
    }

    public PassContext Pass { get; }

    /// <summary>
    /// Readers of <paramref name="n"/> (a graph output counts as one). A node a rule made itself, inside its
    /// replacement, has the one reader the rule gave it.
    /// </summary>
    public int Uses(Node n)
    {
        if (n.Name is { } name && Pass.Options.Keep.Contains(name)) return int.MaxValue; // observed: never absorbed
        var o = _origin.TryGetValue(n, out var orig) ? orig : n;
        return _uses.TryGetValue(o, out var c) ? c : 1;
    }

    /// <summary>Whether <paramref name="n"/> has <paramref name="reader"/> as its only reader.</summary>
    public bool OnlyReadBy(Node n, Node reader) => Uses(n) == 1 && reader.Inputs.Count(i => ReferenceEquals(i, n)) == 1;

    /// <summary>Whether <paramref name="value"/> is computed from <paramref name="ancestor"/> (so an op producing <paramref name="ancestor"/> cannot read it).</summary>
    public static bool DependsOn(Node value, Node ancestor)
    {
        var seen = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Node>();
        stack.Push(value);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (ReferenceEquals(n, ancestor)) return true;
            if (!seen.Add(n)) continue;
            foreach (var i in n.Inputs) stack.Push(i);
        }
        return false;
    }
}
