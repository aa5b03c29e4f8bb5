using VoxTile.IR;
using VoxTile.IR.Ops.Reduce;
using Tt = VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Lowering.Rules.Legalize;

/// <summary>
/// <c>nn.reduce_sum</c> → <c>ttnn.sum</c> over the device axis that holds the nn axis, keepdim (the bytes of the
/// kept size-1 axis are those of the dropped one, so keep_dims = false is a free relabel).
/// </summary>
public sealed class LegalizeReduceSum : ILegalizeRule
{
    public string Name => "legalize-reduce-sum";

    public DeviceValue? Lower(Node node, Legalizer l)
    {
        if (node.Op is not ReduceSum op) return null;
        var x = l.Value(node.Inputs[0]);
        int axis = op.Axis < 0 ? op.Axis + x.Rank : op.Axis;
        var perm = op.KeepDims ? l.ChoosePerm(node, [x]) : x.Perm;
        var n = l.ReadAxis(x, perm, axis, out int at, l.ComputeDType(node));
        var y = l.Emit(new Tt.Sum { Dim = [at], Keepdim = true }, n);
        var kept = (int[])x.Shape.Clone();
        kept[axis] = 1;
        if (op.KeepDims) return DeviceValue.Of(y, perm, kept);
        var shape = node.Shape.ToArray();
        return DeviceValue.Of(y, Perms.ThroughReshape(kept, shape, perm)!, shape);
    }
}
