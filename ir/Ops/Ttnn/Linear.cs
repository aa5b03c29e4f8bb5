namespace VoxTile.IR.Ops.Ttnn;

/// <summary>
/// <c>ttnn.linear(input_tensor_a, input_tensor_b, *, bias, transpose_a, transpose_b)</c>: a × b + bias, with b
/// [K, N] as TTNN expects (PyTorch's Linear weight [N, K] needs <c>transpose_b</c>). The bias holds N values laid
/// along the last dim ([N], [1, N] or [1, 1, 1, N]).
/// </summary>
[Op("ttnn.linear", "input_tensor_a", "input_tensor_b", "bias?")]
[Kernel("vt_matmul")]
public sealed partial class Linear : Op, ITtnnOp
{
    [Attr] public bool TransposeA { get; init; }
    [Attr] public bool TransposeB { get; init; }

    public override TypeResult InferType(IReadOnlyList<TensorType> t)
    {
        var r = Matmul.Infer(t[0], t[1], TransposeA, TransposeB);
        if (!r.Ok || t.Count < 3) return r;
        var bias = t[2];
        var n = r.Type!.Shape[-1];
        if (bias.Rank < 1 || !bias.Shape[-1].Compatible(n) || bias.Shape.Take(bias.Rank - 1).Any(d => d != IR.Dim.Of(1)))
            return TypeResult.Fail($"bias must hold the {n} output features ([{n}] or [1, …, 1, {n}]), got {bias}");
        if (!bias.DType.IsFloat()) return TypeResult.Fail($"bias must be a float tensor, got {bias}");
        return r;
    }

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs)
    {
        var y = Matmul.Product(inputs[0], inputs[1], TransposeA, TransposeB);
        if (inputs.Count < 3) return y;
        var bias = inputs[2].Data;
        int n = y.Shape[^1];
        for (long i = 0; i < y.Length; i++) y.Data[i] += bias[i % n];
        return y;
    }

    public IReadOnlyList<OperandRequirement> OperandRequirements =>
    [
        OperandRequirement.Device("input_tensor_a", LayoutRequirement.Tile, true, DType.BF16, DType.BFP8_B, DType.BFP4_B, DType.F32),
        OperandRequirement.Device("input_tensor_b", LayoutRequirement.Tile, true, DType.BF16, DType.BFP8_B, DType.BFP4_B, DType.F32),
        OperandRequirement.Device("bias", LayoutRequirement.Tile, false, DType.BF16, DType.BFP8_B, DType.F32),
    ];

    public long WorkingSetBytes(IReadOnlyList<TensorType> inputs, TensorType output) =>
        TtnnWorkingSet.Matmul(inputs[0], inputs[1], inputs.Count > 2 ? inputs[2] : null, output, Matmul.InnerTiles(inputs[0], TransposeA));
}
