using VoxTile.IR;
using VoxTile.IR.Ops.Elementwise;
using Tt = VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Lowering.Rules.Legalize;

/// <summary>
/// <c>nn.scale</c> (a·x + b) → <c>ttnn.multiply</c> by a scalar constant, then <c>ttnn.add</c> of one; a factor of 1
/// or an offset of 0 costs nothing. (TTNN's scalar forms take the constant as an argument; here it is a [1, …, 1]
/// tile constant, which the plan may turn into that argument.)
/// </summary>
public sealed class LegalizeScale : ILegalizeRule
{
    public string Name => "legalize-scale";

    public DeviceValue? Lower(Node node, Legalizer l)
    {
        if (node.Op is not Scale s) return null;
        var x = l.Value(node.Inputs[0]);
        if (s.Factor != 1f) x = Eltwise.Apply(l, node, v => l.Emit(new Tt.Multiply(), v[0], v[1]), x, Eltwise.Scalar(s.Factor));
        if (s.Offset != 0f) x = Eltwise.Apply(l, node, v => l.Emit(new Tt.Add(), v[0], v[1]), x, Eltwise.Scalar(s.Offset));
        return x;
    }
}
