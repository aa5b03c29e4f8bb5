using VoxTile.IR;
using VoxTile.IR.Interp;
using VoxTile.IR.Ops.Constant;
using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Ops.Random;

namespace VoxTile.Lowering.Rules.Fold;

/// <summary>
/// Evaluates, at compile time, a value that depends on no graph input: every leaf under it is a weight with data or
/// an <c>nn.full</c>. The reference interpreter computes it, so a folded constant is exactly what the unfolded graph
/// would have computed.
/// </summary>
public static class ConstantEvaluator
{
    /// <summary>Whether <paramref name="n"/> is a compile-time constant by itself (a weight with data, or a fill).</summary>
    public static bool IsConstantLeaf(Node n) => n.Op is Weight { Value: not null } || (n.Op is Full && n.Inputs.Length == 0);

    /// <summary>The value of <paramref name="root"/>, or null when it depends on an input, a weight without data or a random draw.</summary>
    public static Tensor? TryEvaluate(Node root)
    {
        if (root.Op is Weight { Value: { } v }) return v;
        var seen = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Node>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (!seen.Add(n)) continue;
            if (n.Op is Input or RandnLike || n.Op is Weight { Value: null }) return null;
            foreach (var i in n.Inputs) stack.Push(i);
        }
        try
        {
            return Interpreter.Run(Graph.Create("const", [], [root]), [])[0];
        }
        catch (VoxTileException)
        {
            return null;
        }
    }
}
