using VoxTile.IR;
using VoxTile.IR.Ops.Norm;
using VoxTile.Lowering.Passes;

namespace VoxTile.Lowering.Rules.Decompose;

/// <summary>
/// <c>nn.layer_norm</c> over an axis other than the last (VITS's channel LayerNorm, axis 1 of [B, C, T]) →
/// transpose that axis last, layer_norm over the last axis (what ttnn.layer_norm computes), transpose back.
/// </summary>
public sealed class DecomposeChannelLayerNorm : IRewriteRule
{
    public string Name => "decompose-channel-layer-norm";

    public Node? Rewrite(Node node, PassContext context)
    {
        if (node.Op is not LayerNorm op) return null;
        var x = node.Inputs[0];
        int rank = x.Shape.Rank, axis = op.Axis < 0 ? op.Axis + rank : op.Axis;
        if (axis < 0 || axis >= rank - 1) return null;
        var perm = Shapes.Swap(rank, axis, rank - 1);
        var norm = Nn.LayerNorm(Nn.Transpose(x, perm),
            node.Inputs.Length > 1 ? node.Inputs[1] : null,
            node.Inputs.Length > 2 ? node.Inputs[2] : null,
            axis: -1, eps: op.Eps);
        return Shapes.Checked(this, node, Nn.Transpose(norm, perm), context);
    }
}
