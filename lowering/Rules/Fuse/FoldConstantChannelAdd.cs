using VoxTile.IR;
using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.Lowering.Rules.Fold;
using VoxTile.Lowering.Targets;

namespace VoxTile.Lowering.Rules.Fuse;

/// <summary>
/// <c>conv(x) + v</c> with v a compile-time per-channel vector (a conditioning on a speaker embedding known when the
/// graph was built, folded by fold-constants) → the conv with bias + v as its bias, computed now: one constant
/// instead of an eltwise op over the whole result. Legal on a card (the bias is a host constant there anyway), so
/// every target.
/// </summary>
public sealed class FoldConstantChannelAdd : IFuseRule
{
    public string Name => "fold-constant-channel-add";

    public bool AppliesTo(TargetSpec target) => true;

    public Node? Rewrite(Node node, FuseContext cx)
    {
        if (node.Op is not Add) return null;
        foreach (var side in node.Inputs)
        {
            if (ConvPatterns.Behind(side, node, cx) is not { Conv: var f }) continue;
            if (ConvPatterns.Other(node, side) is not { Op: Weight { Value: { } v } } || f.BiasAdd is not null
                || f.Activation != ConvActivation.None || f.HasEpilogueAfterActivation) continue;
            int o = f.Geometry.OutChannels;
            if (v.Data.Length != o || !ConvPatterns.HoldsRows(node.Type, f.Rows, o)) continue;
            Tensor? bias = f.Bias is null ? new Tensor([1, 1, 1, o]) : f.Bias.Op is Weight { Value: { } b } ? b.Reshape(1, 1, 1, o).Clone() : null;
            if (bias is null) continue;
            for (int c = 0; c < o; c++) bias.Data[c] += v.Data[c];
            var key = FoldConstants.KeyFor(bias);
            // A new bias is what legalization gives a conv's bias.
            var dtype = f.Bias?.Type.DType ?? Legalize.ConvOperands.BiasDType(cx.Pass.Options.ActivationDType);
            var type = new TensorType(dtype, new Shape(1, 1, 1, o), Layout.RowMajor);
            var node2 = Weight.Create(key, type, bias, Node.IsValidName(key) ? key : null);
            return (f with { Bias = node2 }).Replacing(node);
        }
        return null;
    }
}
