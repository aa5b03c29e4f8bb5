using VoxTile.IR;
using VoxTile.IR.Ops.Movement;

namespace VoxTile.Lowering.Rules.Legalize;

/// <summary>
/// <c>nn.reshape</c> costs nothing on the device when it commutes with the value's permutation
/// (<see cref="Perms.ThroughReshape"/>): the result is the same bytes under a new name, and a consumer that needs
/// another shape gets one <c>ttnn.reshape</c> at the point of use. Otherwise the operand is first read in a
/// permutation where it commutes: the consumers' demand translated back, else the nn order (one permute).
/// </summary>
public sealed class LegalizeReshape : ILegalizeRule
{
    public string Name => "legalize-reshape";

    public DeviceValue? Lower(Node node, Legalizer l)
    {
        if (node.Op is not Reshape) return null;
        var x = l.Value(node.Inputs[0]);
        if (x.IsConstant) return null;
        var y = node.Shape.ToArray();
        if (Perms.ThroughReshape(x.Shape, y, x.Perm) is { } q) return x.Relabel(q, y);
        var p = l.Demand(node) is { } d ? Perms.ThroughReshape(y, x.Shape, d) : null;
        p ??= Perms.Identity(x.Rank);
        var n = l.Read(x, p, Form.Raw);
        return DeviceValue.Of(n, Perms.ThroughReshape(x.Shape, y, p)!, y);
    }
}
