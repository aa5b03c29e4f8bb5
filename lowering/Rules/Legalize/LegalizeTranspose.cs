using VoxTile.IR;
using VoxTile.IR.Ops.Movement;

namespace VoxTile.Lowering.Rules.Legalize;

/// <summary>
/// <c>nn.transpose</c> renames axes: its result is the operand's bytes under the composed permutation
/// (<see cref="Perms.ThroughTranspose"/>), no device op. A <c>ttnn.permute</c> appears only where a consumer reads
/// the value in an order the bytes are not in, so a transpose pair around a norm (channel LayerNorm) costs nothing
/// when the value is already channels-last.
/// </summary>
public sealed class LegalizeTranspose : ILegalizeRule
{
    public string Name => "legalize-transpose";

    public DeviceValue? Lower(Node node, Legalizer l)
    {
        if (node.Op is not Transpose t) return null;
        var x = l.Value(node.Inputs[0]);
        return x.IsConstant ? null : x.Relabel(Perms.ThroughTranspose(t.Perm, x.Perm), node.Shape.ToArray());
    }
}
