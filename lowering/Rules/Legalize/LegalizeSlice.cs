using VoxTile.IR;
using VoxTile.IR.Ops.Movement;

namespace VoxTile.Lowering.Rules.Legalize;

/// <summary>
/// <c>nn.slice</c> → <c>ttnn.slice</c> of the device axis that holds the nn axis: a channel slice of a
/// channels-last value cuts the tile width, a time slice the rows. Python's negative and clamped bounds are resolved
/// now (TTNN takes 0 ≤ start ≤ end ≤ size).
/// </summary>
public sealed class LegalizeSlice : ILegalizeRule
{
    public string Name => "legalize-slice";

    public DeviceValue? Lower(Node node, Legalizer l)
    {
        if (node.Op is not Slice s) return null;
        var x = l.Value(node.Inputs[0]);
        if (x.IsConstant) return null;
        int rank = x.Rank, axis = s.Axis < 0 ? s.Axis + rank : s.Axis;
        int size = x.Shape[axis];
        int start = s.Start < 0 ? Math.Max(0, s.Start + size) : Math.Min(s.Start, size);
        int end = s.End < 0 ? Math.Max(0, s.End + size) : Math.Min(s.End, size);
        int count = node.Shape[axis].Value;
        if (count == size) return x;
        if (count == 0)
        {
            l.Reject("an empty slice has no device tensor");
            return null;
        }
        var perm = l.ChoosePerm(node, [x]);
        // A channel slice of a batch's flattened conv output [1, 1, B·L, C] cuts its width as it lies.
        if (perm[^1] == axis && x.HasDataIn(perm) && x.Node is { } flat && Legalizer.Sizes(flat) is [.., var rows, var width]
            && width == size && rows == Tensor.Count(Perms.Apply(x.Shape, perm)[..^1]))
            return DeviceValue.Of(l.Slice(flat, Legalizer.Sizes(flat).Length - 1, start, start + (count - 1) * s.Step + 1, s.Step), perm, node.Shape.ToArray());
        var n = l.ReadAxis(x, perm, axis, out int at);
        return DeviceValue.Of(l.Slice(n, at, start, start + (count - 1) * s.Step + 1, s.Step), perm, node.Shape.ToArray());
    }
}
