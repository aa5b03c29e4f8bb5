using VoxTile.IR;
using VoxTile.IR.Ops.Elementwise;
using Tt = VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Lowering.Rules.Legalize;

/// <summary><c>nn.neg</c> → <c>ttnn.multiply</c> by −1 (the ttnn dialect has no neg; the product is exact).</summary>
public sealed class LegalizeNeg : ILegalizeRule
{
    public string Name => "legalize-neg";

    public DeviceValue? Lower(Node node, Legalizer l) =>
        node.Op is Neg ? Eltwise.Apply(l, node, x => l.Emit(new Tt.Multiply(), x[0], x[1]), l.Value(node.Inputs[0]), Eltwise.Scalar(-1f)) : null;
}
