using VoxTile.IR;
using VoxTile.IR.Ops.Elementwise;
using Tt = VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Lowering.Rules.Legalize;

/// <summary>
/// <c>nn.maximum</c> → <c>ttnn.where(ttnn.ge(a, b), a, b)</c>: the ttnn dialect has no maximum yet. Equal to
/// max(a, b) for every pair of numbers; with a NaN it gives b where torch.maximum gives NaN.
/// </summary>
public sealed class LegalizeMaximum : ILegalizeRule
{
    public string Name => "legalize-maximum";

    public DeviceValue? Lower(Node node, Legalizer l) =>
        node.Op is Maximum
            ? Eltwise.Apply(l, node, x => l.Emit(new Tt.Where(), l.Emit(new Tt.Ge(), x[0], x[1]), x[0], x[1]), l.Value(node.Inputs[0]), l.Value(node.Inputs[1]))
            : null;
}
