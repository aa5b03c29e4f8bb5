using VoxTile.IR;
using VoxTile.IR.Ops.Movement;
using VoxTile.Lowering.Passes;

namespace VoxTile.Lowering.Rules.Decompose;

/// <summary>
/// <c>slice(concat(…, axis), axis, start, end)</c> whose range lies inside one operand → that operand (or a slice
/// of it). Decompositions that build a value from pieces (the unrolled GRU's steps) then cost only what consumers
/// read: ref_enc's last-step slice reads the last hidden state, and the concatenation goes dead.
/// </summary>
public sealed class ForwardSliceThroughConcat : IRewriteRule
{
    public string Name => "forward-slice-through-concat";

    public Node? Rewrite(Node node, PassContext context)
    {
        if (node.Op is not Slice slice || slice.Step != 1 || node.Inputs[0] is not { Op: Concat concat } src) return null;
        int rank = src.Shape.Rank;
        int axis = slice.Axis < 0 ? slice.Axis + rank : slice.Axis;
        int concatAxis = concat.Axis < 0 ? concat.Axis + rank : concat.Axis;
        if (axis != concatAxis || src.Inputs.Any(i => !i.Shape[axis].IsFixed)) return null;
        int total = src.Inputs.Sum(i => i.Shape[axis].Value);
        int start = slice.Start < 0 ? Math.Max(0, slice.Start + total) : Math.Min(slice.Start, total);
        int end = slice.End < 0 ? Math.Max(0, slice.End + total) : Math.Min(slice.End, total);
        if (end <= start) return null;
        int offset = 0;
        foreach (var part in src.Inputs)
        {
            int size = part.Shape[axis].Value;
            if (start >= offset && end <= offset + size)
            {
                var y = start == offset && end == offset + size ? part : Nn.Slice(part, axis, start - offset, end: end - offset);
                return Shapes.Checked(this, node, y, context);
            }
            offset += size;
        }
        return null;
    }
}
