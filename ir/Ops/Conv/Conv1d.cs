namespace VoxTile.IR.Ops.Conv;

/// <summary>
/// 1-D convolution (PyTorch Conv1d): input [B, Cin, L], weight [Cout, Cin/groups, K], optional bias [Cout];
/// zero padding of <c>padding</c> on both sides (or <c>padding</c> left and <c>padding_right</c> right when that is set).
/// </summary>
[Op("nn.conv1d", "input", "weight", "bias?")]
public sealed partial class Conv1d : Op
{
    [Attr] public int Stride { get; init; } = 1;
    [Attr] public int Padding { get; init; }
    /// <summary>Right padding when it differs from the left (MeloTTS's "same" padding of even kernels); −1 means equal.</summary>
    [Attr] public int PaddingRight { get; init; } = -1;
    [Attr] public int Dilation { get; init; } = 1;
    [Attr] public int Groups { get; init; } = 1;

    internal int RightPad => PaddingRight < 0 ? Padding : PaddingRight;

    public override TypeResult InferType(IReadOnlyList<TensorType> t)
    {
        if (t[0].Rank != 3) return TypeResult.Fail($"input must be [B, Cin, L], got {t[0]}");
        if (t[1].Rank != 3 || !t[1].Shape.IsFixed) return TypeResult.Fail($"weight must be a fixed [Cout, Cin/groups, K], got {t[1]}");
        if (Stride < 1 || Dilation < 1 || Groups < 1 || Padding < 0) return TypeResult.Fail("stride, dilation and groups must be ≥ 1 and padding ≥ 0");
        int cout = t[1].Shape[0].Value, cing = t[1].Shape[1].Value, k = t[1].Shape[2].Value;
        var cin = t[0].Shape[1];
        if (cin.IsFixed && cin.Value != cing * Groups) return TypeResult.Fail($"input has {cin} channels but the weight expects {cing}×{Groups} groups");
        if (cout % Groups != 0) return TypeResult.Fail($"{cout} output channels do not split into {Groups} groups");
        if (t.Count > 2 && (t[2].Rank != 1 || !t[2].Shape[0].Equals(Dim.Of(cout)))) return TypeResult.Fail($"bias must be [{cout}], got {t[2]}");
        var len = ConvLength.Forward(t[0].Shape[2], k, Stride, Padding, RightPad, Dilation);
        if (len.IsFixed && len.Value <= 0) return TypeResult.Fail($"input length {t[0].Shape[2]} is shorter than the receptive field {Dilation * (k - 1) + 1}");
        return new TensorType(t[0].DType, new Shape([t[0].Shape[0], Dim.Of(cout), len]));
    }

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs) =>
        ConvReference.Conv1d(inputs[0], inputs[1], inputs.Count > 2 ? inputs[2] : null, Stride, Padding, RightPad, Dilation, Groups);
}
