using VoxTile.IR;
using VoxTile.IR.Ops.Elementwise;
using Tt = VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Lowering.Rules.Legalize;

/// <summary>
/// <c>nn.lt</c> / <c>nn.ge</c> → <c>ttnn.lt</c> / <c>ttnn.ge</c>: 1.0/0.0 in the compute dtype. A comparison that
/// reads a frame index or a prefix sum compares in f32 (<see cref="ExactValues"/>); its 0/1 result is exact anyway.
/// </summary>
public sealed class LegalizeCompare : ILegalizeRule
{
    public string Name => "legalize-compare";

    public DeviceValue? Lower(Node node, Legalizer l)
    {
        Op? op = node.Op switch { Less => new Tt.Lt(), GreaterEqual => new Tt.Ge(), _ => null };
        return op is null ? null : Eltwise.Apply(l, node, x => l.Emit(op, x[0], x[1]), l.Value(node.Inputs[0]), l.Value(node.Inputs[1]));
    }
}
