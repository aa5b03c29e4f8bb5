using VoxTile.IR;
using VoxTile.IR.Ops.Elementwise;
using Tt = VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Lowering.Rules.Legalize;

/// <summary>The nn unary ops with a ttnn twin of the same semantics: <c>nn.relu</c> → <c>ttnn.relu</c>, and so on.</summary>
public sealed class LegalizeUnaryEltwise : ILegalizeRule
{
    public string Name => "legalize-unary-eltwise";

    public DeviceValue? Lower(Node node, Legalizer l)
    {
        Op? op = node.Op switch
        {
            Relu => new Tt.Relu(),
            Sigmoid => new Tt.Sigmoid(),
            Tanh => new Tt.Tanh(),
            Exp => new Tt.Exp(),
            Log => new Tt.Log(),
            Sqrt => new Tt.Sqrt(),
            Ceil => new Tt.Ceil(),
            Gelu => new Tt.Gelu(),
            // nn.softplus is PyTorch's (beta 1, threshold 20), as are ttnn.softplus's defaults.
            Softplus => new Tt.Softplus { Beta = 1f, Threshold = 20f },
            LeakyRelu lr => new Tt.LeakyRelu { NegativeSlope = lr.NegativeSlope },
            _ => null,
        };
        return op is null ? null : Eltwise.Apply(l, node, x => l.Emit(op, x[0]), l.Value(node.Inputs[0]));
    }
}
