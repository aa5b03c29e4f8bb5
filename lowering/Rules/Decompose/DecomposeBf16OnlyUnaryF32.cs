using VoxTile.IR;
using VoxTile.IR.Ops.Elementwise;
using VoxTile.Lowering.Passes;

namespace VoxTile.Lowering.Rules.Decompose;

/// <summary>
/// The unary ops whose TTNN kernels take bf16 only (ttnn.softplus, ttnn.sigmoid, ttnn.tanh), when activations are
/// f32 → the same function from ops TTNN runs in f32 (relu, scale, add, exp, log, divide):
/// softplus(x) = relu(x) + log(1 + exp(x − 2·relu(x))), i.e. max(x, 0) + log(1 + e^−|x|);
/// sigmoid(x) = 1 / (1 + exp(−x)); tanh(x) = 1 − 2 / (exp(2x) + 1).
/// Without this an f32 plan would round each of them to bf16: the stochastic duration predictor's spline derivatives
/// (~2e-3 of error in logw, enough to move a duration near a whole frame), the WaveNet gates of the converter and the
/// flows, ref_enc's GRU gates and the decoder's last tanh. Every form saturates correctly where exp overflows or
/// underflows, and the error is an fp32 rounding of values of magnitude ≤ 1 (softplus's threshold of 20, above which
/// PyTorch returns x, changes its result by e^−20 ≈ 2e-9, below an ulp of x there). In bf16 plans the ttnn ops stay.
/// </summary>
public sealed class DecomposeBf16OnlyUnaryF32 : IRewriteRule
{
    public string Name => "decompose-bf16-only-unary-f32";

    public Node? Rewrite(Node node, PassContext context)
    {
        if (context.Options.ActivationDType != DType.F32) return null;
        var x = node.Inputs.Length == 1 ? node.Inputs[0] : null;
        Node? y = node.Op switch
        {
            IR.Ops.Elementwise.Softplus => SoftplusOf(x!),
            Sigmoid => Nn.Div(Nn.Full(1f, shape: []), Nn.Scale(Nn.Exp(Nn.Scale(x!, factor: -1f)), offset: 1f)),
            Tanh => Nn.Scale(Nn.Div(Nn.Full(2f, shape: []), Nn.Scale(Nn.Exp(Nn.Scale(x!, factor: 2f)), offset: 1f)), factor: -1f, offset: 1f),
            _ => null,
        };
        return y is null ? null : Shapes.Checked(this, node, y, context);
    }

    private static Node SoftplusOf(Node x)
    {
        var relu = Nn.Relu(x);
        var minusAbs = Nn.Add(x, Nn.Scale(relu, factor: -2f));
        return Nn.Add(relu, Nn.Log(Nn.Scale(Nn.Exp(minusAbs), offset: 1f)));
    }
}
