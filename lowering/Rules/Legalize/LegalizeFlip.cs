using VoxTile.IR;
using VoxTile.IR.Ops.Movement;

namespace VoxTile.Lowering.Rules.Legalize;

/// <summary>
/// <c>nn.flip</c> → a matmul with the anti-identity along the axis (<see cref="Flips"/>). The flow's channel flip
/// of a channels-last value reverses the tile width: x·J. An axis deeper than the last two is first permuted last.
/// </summary>
public sealed class LegalizeFlip : ILegalizeRule
{
    public string Name => "legalize-flip";

    public DeviceValue? Lower(Node node, Legalizer l)
    {
        if (node.Op is not Flip f) return null;
        var x = l.Value(node.Inputs[0]);
        if (x.IsConstant) return null;
        int rank = x.Rank, axis = f.Axis < 0 ? f.Axis + rank : f.Axis;
        if (x.Shape[axis] == 1) return x;
        var perm = l.ChoosePerm(node, [x]);
        if (Array.IndexOf(perm, axis) < rank - 2) perm = Perms.MoveLast(perm, axis);
        var n = l.Read(x, perm, Form.Congruent);
        int at = Array.IndexOf(perm, axis) + Legalizer.Sizes(n).Length - rank;
        return DeviceValue.Of(Flips.Reverse(l, n, at), perm, node.Shape.ToArray());
    }
}
