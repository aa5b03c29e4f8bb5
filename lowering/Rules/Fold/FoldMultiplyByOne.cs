using VoxTile.IR;
using VoxTile.IR.Ops.Constant;
using VoxTile.IR.Ops.Elementwise;
using VoxTile.IR.Ops.Graph;
using VoxTile.Lowering.Passes;

namespace VoxTile.Lowering.Rules.Fold;

/// <summary>
/// <c>x · 1 → x</c>, where the other factor is a constant of ones (a fill, or a weight whose data is all 1) that does
/// not broadcast x to a larger shape. A graph built for a clip of known length has all-ones masks (the converter's
/// sequence mask over its own length, and the decoder's stage masks repeated from it): without this the device would
/// multiply every masked activation by one, and fold-constants would store the first stages' masks as weights.
/// </summary>
public sealed class FoldMultiplyByOne : IRewriteRule
{
    public string Name => "fold-multiply-by-one";

    public Node? Rewrite(Node node, PassContext context)
    {
        if (node.Op is not Mul || node.Inputs.Length != 2) return null;
        for (int k = 0; k < 2; k++)
        {
            Node x = node.Inputs[k], one = node.Inputs[1 - k];
            if (IsOnes(one) && x.Type.Shape.Equals(node.Type.Shape) && x.Type.DType == node.Type.DType) return x;
        }
        return null;
    }

    private static bool IsOnes(Node n) => n.Op switch
    {
        Full f => f.Value == 1f,
        Weight { Value: { } v } => v.Data.AsSpan().IndexOfAnyExcept(1f) < 0,
        _ => false,
    };
}
