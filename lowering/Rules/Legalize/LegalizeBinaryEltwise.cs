using VoxTile.IR;
using VoxTile.IR.Ops.Elementwise;
using Tt = VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Lowering.Rules.Legalize;

/// <summary>
/// <c>nn.add</c>, <c>nn.sub</c>, <c>nn.mul</c>, <c>nn.div</c> → <c>ttnn.add</c>, <c>subtract</c>, <c>multiply</c>,
/// <c>divide</c>. A division by a constant multiplies by its reciprocal, computed now (TTNN's divide is a reciprocal
/// and a multiply on the device; x·(1/c) differs from x/c by at most an ulp in fp32).
/// </summary>
public sealed class LegalizeBinaryEltwise : ILegalizeRule
{
    public string Name => "legalize-binary-eltwise";

    public DeviceValue? Lower(Node node, Legalizer l)
    {
        if (node.Op is not (Add or Sub or Mul or Div)) return null;
        var a = l.Value(node.Inputs[0]);
        switch (node.Op)
        {
            case Add: return Binary(l, node, new Tt.Add(), a, l.Value(node.Inputs[1]));
            case Sub: return Binary(l, node, new Tt.Subtract(), a, l.Value(node.Inputs[1]));
            case Mul: return Binary(l, node, new Tt.Multiply(), a, l.Value(node.Inputs[1]));
            case Div:
                var b = l.Value(node.Inputs[1]);
                if (b.Constant is not { } c) return Binary(l, node, new Tt.Divide(), a, b);
                var reciprocal = new Constant(Legalizer.DerivedKey(c.Key, "reciprocal"), c.Value is { } v ? Reciprocal(v) : null);
                return Binary(l, node, new Tt.Multiply(), a, DeviceValue.Of(reciprocal, b.Shape));
            default: return null;
        }
    }

    private static DeviceValue Binary(Legalizer l, Node node, Op op, DeviceValue a, DeviceValue b) =>
        Eltwise.Apply(l, node, x => l.Emit(op, x[0], x[1]), a, b);

    private static Tensor Reciprocal(Tensor t)
    {
        var r = new Tensor((int[])t.Shape.Clone());
        for (int i = 0; i < t.Data.Length; i++) r.Data[i] = 1f / t.Data[i];
        return r;
    }
}
