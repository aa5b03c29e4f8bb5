using VoxTile.IR;
using VoxTile.IR.Ops.Elementwise;
using Tt = VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Lowering.Rules.Legalize;

/// <summary>
/// <c>nn.clamp</c> → selects against the bounds: <c>where(lt(x, min), min, x)</c>, then <c>where(gt(y, max), max, y)</c>
/// (the ttnn dialect has no clamp, maximum or minimum yet). An infinite bound is skipped. NaN fails both compares
/// and stays NaN, as in torch.clamp; a min above the max gives the max everywhere, as torch.clamp does.
/// </summary>
public sealed class LegalizeClamp : ILegalizeRule
{
    public string Name => "legalize-clamp";

    public DeviceValue? Lower(Node node, Legalizer l)
    {
        if (node.Op is not Clamp c) return null;
        var x = l.Value(node.Inputs[0]);
        if (!float.IsNegativeInfinity(c.Min))
            x = Eltwise.Apply(l, node, v => l.Emit(new Tt.Where(), l.Emit(new Tt.Lt(), v[0], v[1]), v[1], v[0]), x, Eltwise.Scalar(c.Min));
        if (!float.IsPositiveInfinity(c.Max))
            x = Eltwise.Apply(l, node, v => l.Emit(new Tt.Where(), l.Emit(new Tt.Gt(), v[0], v[1]), v[1], v[0]), x, Eltwise.Scalar(c.Max));
        return x;
    }
}
