using VoxTile.IR;
using VoxTile.IR.Ops.Elementwise;
using VoxTile.Lowering.Passes;

namespace VoxTile.Lowering.Rules.Decompose;

/// <summary>
/// <c>nn.softplus</c> when activations are f32 → relu(x) + log(1 + exp(x − 2·relu(x))), i.e. max(x, 0) +
/// log(1 + e^−|x|), from ops TTNN runs in f32 (relu, scale, add, exp, log). ttnn.softplus takes bf16 only, so without
/// this an f32 plan would round the stochastic duration predictor's spline derivatives to bf16 and carry ~2e-3 of error
/// into logw, enough to move a duration near a whole frame. Exact to fp32 rounding: the threshold of 20 (above which
/// PyTorch returns x) changes the result by e^−20 ≈ 2e-9, below an ulp of x there. In bf16 plans ttnn.softplus stays.
/// </summary>
public sealed class DecomposeSoftplusF32 : IRewriteRule
{
    public string Name => "decompose-softplus-f32";

    public Node? Rewrite(Node node, PassContext context)
    {
        if (node.Op is not Softplus || context.Options.ActivationDType != DType.F32) return null;
        var x = node.Inputs[0];
        var relu = Nn.Relu(x);
        var minusAbs = Nn.Add(x, Nn.Scale(relu, factor: -2f));
        var y = Nn.Add(relu, Nn.Log(Nn.Scale(Nn.Exp(minusAbs), offset: 1f)));
        return Shapes.Checked(this, node, y, context);
    }
}
