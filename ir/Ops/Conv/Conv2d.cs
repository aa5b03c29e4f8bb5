namespace VoxTile.IR.Ops.Conv;

/// <summary>2-D convolution (PyTorch Conv2d): input [B, C, H, W], weight [Cout, Cin/groups, KH, KW], optional bias [Cout].</summary>
[Op("nn.conv2d", "input", "weight", "bias?")]
public sealed partial class Conv2d : Op
{
    [Attr] public int[] Stride { get; init; } = [1, 1];
    [Attr] public int[] Padding { get; init; } = [0, 0];
    [Attr] public int[] Dilation { get; init; } = [1, 1];
    [Attr] public int Groups { get; init; } = 1;

    public override TypeResult InferType(IReadOnlyList<TensorType> t)
    {
        if (t[0].Rank != 4) return TypeResult.Fail($"input must be [B, C, H, W], got {t[0]}");
        if (t[1].Rank != 4 || !t[1].Shape.IsFixed) return TypeResult.Fail($"weight must be a fixed [Cout, Cin/groups, KH, KW], got {t[1]}");
        if (Stride.Length != 2 || Padding.Length != 2 || Dilation.Length != 2) return TypeResult.Fail("stride, padding and dilation need two values");
        if (Stride.Any(s => s < 1) || Dilation.Any(d => d < 1) || Padding.Any(p => p < 0) || Groups < 1) return TypeResult.Fail("bad stride, padding, dilation or groups");
        var w = t[1].Shape.ToArray();
        if (t[0].Shape[1].IsFixed && t[0].Shape[1].Value != w[1] * Groups) return TypeResult.Fail($"input has {t[0].Shape[1]} channels, the weight expects {w[1]}×{Groups}");
        if (w[0] % Groups != 0) return TypeResult.Fail($"{w[0]} output channels do not split into {Groups} groups");
        if (t.Count > 2 && (t[2].Rank != 1 || !t[2].Shape[0].Equals(Dim.Of(w[0])))) return TypeResult.Fail($"bias must be [{w[0]}], got {t[2]}");
        var h = ConvLength.Forward(t[0].Shape[2], w[2], Stride[0], Padding[0], Padding[0], Dilation[0]);
        var wd = ConvLength.Forward(t[0].Shape[3], w[3], Stride[1], Padding[1], Padding[1], Dilation[1]);
        if ((h.IsFixed && h.Value <= 0) || (wd.IsFixed && wd.Value <= 0)) return TypeResult.Fail("input is smaller than the kernel");
        return new TensorType(t[0].DType, new Shape([t[0].Shape[0], Dim.Of(w[0]), h, wd]));
    }

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs) =>
        ConvReference.Conv2d(inputs[0], inputs[1], inputs.Count > 2 ? inputs[2] : null, Stride, Padding, Dilation, Groups);
}
