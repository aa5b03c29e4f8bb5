using VoxTile.IR;
using VoxTile.IR.Ops.Sequence;
using Tt = VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Lowering.Rules.Legalize;

/// <summary>
/// <c>nn.cumsum</c> that decompose left (a scan it could not block: a symbolic length) → <c>ttnn.cumsum</c> along
/// the device axis that holds it, in f32 (<see cref="ExactValues"/>).
/// </summary>
public sealed class LegalizeCumsum : ILegalizeRule
{
    public string Name => "legalize-cumsum";

    public DeviceValue? Lower(Node node, Legalizer l)
    {
        if (node.Op is not Cumsum op) return null;
        var x = l.Value(node.Inputs[0]);
        int axis = op.Axis < 0 ? op.Axis + x.Rank : op.Axis;
        var perm = l.ChoosePerm(node, [x]);
        var n = l.ReadAxis(x, perm, axis, out int at, DType.F32);
        return DeviceValue.Of(l.Emit(new Tt.Cumsum { Dim = at }, n), perm, node.Shape.ToArray());
    }
}
