namespace VoxTile.IR.Ops.Ttnn;

/// <summary>
/// <c>ttnn.cumsum(input, dim)</c>: inclusive prefix sum along <c>dim</c> (nn.cumsum's reference, accumulated in
/// double). TTNN's kernel is TILE-only, bf16/f32 (integers on ranks 3-5 only) and interleaved only.
/// </summary>
[Op("ttnn.cumsum", "input")]
[Kernel("vt_cumsum")]
public sealed partial class Cumsum : Op, ITtnnOp
{
    [Attr] public required int Dim { get; init; }

    private Sequence.Cumsum Reference => new() { Axis = Dim };

    public override TypeResult InferType(IReadOnlyList<TensorType> t) =>
        t[0].Rank is < 1 or > 5 ? TypeResult.Fail($"input must have rank 1 to 5, got {t[0]}") : Reference.InferType(t);

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs) => Reference.Evaluate(inputs);

    public IReadOnlyList<OperandRequirement> OperandRequirements =>
        [OperandRequirement.Device("input", LayoutRequirement.Tile, false, DType.BF16, DType.F32)];

    /// <summary>Streams tile by tile along the axis with one running-sum tile.</summary>
    public long WorkingSetBytes(IReadOnlyList<TensorType> inputs, TensorType output) =>
        TtnnWorkingSet.Streaming(inputs, output) + TtnnWorkingSet.TileBytes(DType.F32);
}
