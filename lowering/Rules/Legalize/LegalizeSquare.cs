using VoxTile.IR;
using VoxTile.IR.Ops.Elementwise;
using Tt = VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Lowering.Rules.Legalize;

/// <summary><c>nn.square</c> → <c>ttnn.multiply(x, x)</c>.</summary>
public sealed class LegalizeSquare : ILegalizeRule
{
    public string Name => "legalize-square";

    public DeviceValue? Lower(Node node, Legalizer l) =>
        node.Op is Square ? Eltwise.Apply(l, node, x => l.Emit(new Tt.Multiply(), x[0], x[0]), l.Value(node.Inputs[0])) : null;
}
