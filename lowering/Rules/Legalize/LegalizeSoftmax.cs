using VoxTile.IR;
using VoxTile.IR.Ops.Reduce;
using Tt = VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Lowering.Rules.Legalize;

/// <summary><c>nn.softmax</c> → <c>ttnn.softmax(dim=-1)</c> with the axis last on the device (permuted there when it is not).</summary>
public sealed class LegalizeSoftmax : ILegalizeRule
{
    public string Name => "legalize-softmax";

    public DeviceValue? Lower(Node node, Legalizer l)
    {
        if (node.Op is not Softmax op) return null;
        var x = l.Value(node.Inputs[0]);
        int axis = op.Axis < 0 ? op.Axis + x.Rank : op.Axis;
        var perm = l.PermWithLast(node, x, axis);
        var y = l.Emit(new Tt.Softmax { Dim = -1 }, l.Read(x, perm, Form.Congruent, l.ComputeDType(node)));
        return DeviceValue.Of(y, perm, node.Shape.ToArray());
    }
}
