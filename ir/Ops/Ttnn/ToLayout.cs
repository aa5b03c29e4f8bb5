namespace VoxTile.IR.Ops.Ttnn;

/// <summary>
/// <c>ttnn.to_layout(tensor, layout)</c>: tilize or untilize. The value is unchanged; the result's type carries the
/// new layout and keeps the input's memory config. Block floats (bfp8_b, bfp4_b) exist only in TILE.
/// </summary>
[Op("ttnn.to_layout", "tensor")]
[Kernel("vt_typecast")]
public sealed partial class ToLayout : Op, ITtnnOp
{
    [Attr] public required Layout Layout { get; init; }

    public override TypeResult InferType(IReadOnlyList<TensorType> t) =>
        Layout == IR.Layout.RowMajor && t[0].DType.IsBlockFloat()
            ? TypeResult.Fail($"{t[0].DType.Name()} exists only in TILE layout: typecast {t[0]} first")
            : new TensorType(t[0].DType, t[0].Shape, Layout, t[0].Memory);

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs) => inputs[0];

    public IReadOnlyList<OperandRequirement> OperandRequirements => [OperandRequirement.Device("tensor", LayoutRequirement.Any, true)];

    /// <summary>(Un)tilize works on a row of tiles (32 rows × the width) at a time, in and out.</summary>
    public long WorkingSetBytes(IReadOnlyList<TensorType> inputs, TensorType output)
    {
        long wt = TtnnWorkingSet.Tiles(TtnnWorkingSet.Width(output));
        return (TtnnWorkingSet.IsSharded(inputs[0]) ? 0 : wt * TtnnWorkingSet.TileBytes(inputs[0].DType))
            + (TtnnWorkingSet.IsSharded(output) ? 0 : wt * TtnnWorkingSet.TileBytes(output.DType));
    }
}
