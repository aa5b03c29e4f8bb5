namespace VoxTile.IR.Ops.Conv;

/// <summary>
/// Transposed 1-D convolution (PyTorch ConvTranspose1d): input [B, Cin, L], weight [Cin, Cout/groups, K] (note the
/// order), optional bias [Cout]; output length (L−1)·stride − 2·padding + dilation·(K−1) + output_padding + 1.
/// </summary>
[Op("nn.conv_transpose1d", "input", "weight", "bias?")]
public sealed partial class ConvTranspose1d : Op
{
    [Attr] public int Stride { get; init; } = 1;
    [Attr] public int Padding { get; init; }
    [Attr] public int OutputPadding { get; init; }
    [Attr] public int Dilation { get; init; } = 1;
    [Attr] public int Groups { get; init; } = 1;

    public override TypeResult InferType(IReadOnlyList<TensorType> t)
    {
        if (t[0].Rank != 3) return TypeResult.Fail($"input must be [B, Cin, L], got {t[0]}");
        if (t[1].Rank != 3 || !t[1].Shape.IsFixed) return TypeResult.Fail($"weight must be a fixed [Cin, Cout/groups, K], got {t[1]}");
        if (Stride < 1 || Dilation < 1 || Groups < 1 || Padding < 0 || OutputPadding < 0)
            return TypeResult.Fail("stride, dilation and groups must be ≥ 1; padding and output_padding ≥ 0");
        if (OutputPadding >= Math.Max(Stride, Dilation)) return TypeResult.Fail("output_padding must be smaller than stride or dilation");
        int cin = t[1].Shape[0].Value, coutg = t[1].Shape[1].Value, k = t[1].Shape[2].Value;
        if (t[0].Shape[1].IsFixed && t[0].Shape[1].Value != cin) return TypeResult.Fail($"input has {t[0].Shape[1]} channels, the weight expects {cin}");
        if (cin % Groups != 0) return TypeResult.Fail($"{cin} input channels do not split into {Groups} groups");
        int cout = coutg * Groups;
        if (t.Count > 2 && (t[2].Rank != 1 || !t[2].Shape[0].Equals(Dim.Of(cout)))) return TypeResult.Fail($"bias must be [{cout}], got {t[2]}");
        var len = ConvLength.Transposed(t[0].Shape[2], k, Stride, Padding, OutputPadding, Dilation);
        if (len.IsFixed && len.Value <= 0) return TypeResult.Fail("output length would be empty");
        return new TensorType(t[0].DType, new Shape([t[0].Shape[0], Dim.Of(cout), len]));
    }

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs) =>
        ConvReference.ConvTranspose1d(inputs[0], inputs[1], inputs.Count > 2 ? inputs[2] : null, Stride, Padding, OutputPadding, Dilation, Groups);
}
