namespace VoxTile.IR.Ops.Ttnn;

/// <summary>
/// <c>ttnn.layer_norm(input_tensor, *, epsilon, weight, bias)</c>: normalises the LAST dim (biased variance), then
/// the optional affine weight and bias, each W values laid along the last dim ([W], [1, W] or [1, 1, 1, W]).
/// <c>epsilon</c> is always explicit: TTNN's default is 1e-12, not PyTorch's 1e-5. A norm over channels of
/// [B, C, T] is a permute around this op (or sum/mean reductions).
/// </summary>
[Op("ttnn.layer_norm", "input_tensor", "weight?", "bias?")]
[Kernel("vt_layer_norm")]
public sealed partial class LayerNorm : Op, ITtnnOp
{
    [Attr] public required float Epsilon { get; init; }

    public override TypeResult InferType(IReadOnlyList<TensorType> t)
    {
        if (t[0].Rank < 1 || !t[0].DType.IsFloat()) return TypeResult.Fail($"input_tensor must be a float tensor of rank ≥ 1, got {t[0]}");
        if (!(Epsilon >= 0) || float.IsInfinity(Epsilon)) return TypeResult.Fail($"epsilon must be finite and ≥ 0, got {Epsilon}");
        var w = t[0].Shape[-1];
        for (int i = 1; i < t.Count; i++)
        {
            var p = t[i];
            if (p.Rank < 1 || !p.Shape[-1].Compatible(w) || p.Shape.Take(p.Rank - 1).Any(d => d != IR.Dim.Of(1)))
                return TypeResult.Fail($"{(i == 1 ? "weight" : "bias")} must hold the {w} values of the last dim ([{w}] or [1, …, 1, {w}]), got {p}");
        }
        return new TensorType(t[0].DType, t[0].Shape);
    }

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs) =>
        new Norm.LayerNorm { Axis = -1, Eps = Epsilon }.Evaluate(inputs); // gamma/beta are read as flat [W]

    public IReadOnlyList<OperandRequirement> OperandRequirements =>
    [
        OperandRequirement.Device("input_tensor", LayoutRequirement.Tile, false, DType.BF16, DType.BFP8_B, DType.F32),
        OperandRequirement.Device("weight", LayoutRequirement.Any, false, DType.BF16, DType.F32),
        OperandRequirement.Device("bias", LayoutRequirement.Any, false, DType.BF16, DType.F32),
    ];

    public long WorkingSetBytes(IReadOnlyList<TensorType> inputs, TensorType output) => TtnnWorkingSet.RowWise(inputs, output);
}
