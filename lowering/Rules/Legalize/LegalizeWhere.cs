using VoxTile.IR;
using VoxTile.IR.Ops.Elementwise;
using Tt = VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Lowering.Rules.Legalize;

/// <summary><c>nn.where</c> → <c>ttnn.where(predicate, true_value, false_value)</c>, all three broadcast in one permutation.</summary>
public sealed class LegalizeWhere : ILegalizeRule
{
    public string Name => "legalize-where";

    public DeviceValue? Lower(Node node, Legalizer l) =>
        node.Op is Where
            ? Eltwise.Apply(l, node, x => l.Emit(new Tt.Where(), x[0], x[1], x[2]),
                l.Value(node.Inputs[0]), l.Value(node.Inputs[1]), l.Value(node.Inputs[2]))
            : null;
}
