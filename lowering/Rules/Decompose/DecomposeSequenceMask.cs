using VoxTile.IR;
using VoxTile.IR.Ops.Sequence;
using VoxTile.Lowering.Passes;

namespace VoxTile.Lowering.Rules.Decompose;

/// <summary>
/// <c>nn.sequence_mask</c> → <c>lt(iota[1, 1, T], lengths[B, 1, 1])</c>: a constant frame index compared with the
/// lengths, broadcast to [B, 1, T]. The comparison is in fp32 (frame indices are exact to 2²⁴). With constant
/// lengths (a graph built for one clip), fold-constants turns the whole mask into a constant.
/// </summary>
public sealed class DecomposeSequenceMask : IRewriteRule
{
    public string Name => "decompose-sequence-mask";

    public Node? Rewrite(Node node, PassContext context)
    {
        if (node.Op is not SequenceMask) return null;
        var lengths = node.Inputs[0];
        var time = node.Inputs[1].Shape[-1];
        if (!time.IsFixed || lengths.Type.DType != DType.F32)
        {
            context.Note($"{Name}: {Shapes.Describe(node)} left as is: needs a fixed time axis and f32 lengths");
            return null;
        }
        var b = lengths.Shape[0];
        var mask = Nn.Less(Consts.Iota(1, 1, time.Value), Nn.Reshape(lengths, [b.IsFixed ? b.Value : -1, 1, 1]));
        return Shapes.Checked(this, node, mask, context);
    }
}
