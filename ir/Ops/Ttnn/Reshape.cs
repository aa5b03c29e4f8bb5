namespace VoxTile.IR.Ops.Ttnn;

/// <summary>
/// <c>ttnn.reshape(input_tensor, shape)</c>: a new shape for the same row-major data, one entry may be −1
/// (nn.reshape's inference and reference). TTNN runs it as a view (no program, the operand's buffer shared) where
/// <see cref="KeepsBytes"/> and the result is placed where the operand is (<see cref="IsView"/>); a copy otherwise.
/// TTNN's copy wants an interleaved operand.
/// </summary>
[Op("ttnn.reshape", "input_tensor")]
[Kernel("vt_reshape")]
public sealed partial class Reshape : Op, ITtnnOp
{
    [Attr] public required int[] Shape { get; init; }

    private Movement.Reshape Reference => new() { Shape = Shape };

    public override TypeResult InferType(IReadOnlyList<TensorType> t) => Reference.InferType(t);

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs) => Reference.Evaluate(inputs);

    public IReadOnlyList<OperandRequirement> OperandRequirements => [OperandRequirement.Device("input_tensor", LayoutRequirement.Any, false)];

    public long WorkingSetBytes(IReadOnlyList<TensorType> inputs, TensorType output) =>
        inputs.Count == 1 && IsView(inputs[0], output) ? 0 : TtnnWorkingSet.Streaming(inputs, output);

    /// <summary>
    /// Whether reshaping <paramref name="from"/> to <paramref name="to"/> leaves every byte where it is: the last dim kept,
    /// and ROW_MAJOR, or TILE with the second-last dim kept or both second-last dims whole tiles (no tile row gains or
    /// loses padding). tt-metal's <c>ReshapeViewOperation::invoke</c> (<c>reshape_view/reshape.cpp</c>, <c>this_is_view</c>)
    /// views exactly these when the memory config asked is as sharded and as much in L1 as the operand's.
    /// </summary>
    public static bool KeepsBytes(TensorType from, TensorType to)
    {
        if (from.DType != to.DType || from.Layout != to.Layout || from.Layout is null) return false;
        if (!from.Shape.IsFixed || !to.Shape.IsFixed) return false;
        int[] a = from.Shape.ToArray(), b = to.Shape.ToArray();
        static int Last(int[] s, int k) => s.Length >= k ? s[^k] : 1;
        if (Last(a, 1) != Last(b, 1)) return false;
        if (from.Layout == Layout.RowMajor) return true;
        int ha = Last(a, 2), hb = Last(b, 2);
        return ha == hb || (ha % TtnnWorkingSet.Tile == 0 && hb % TtnnWorkingSet.Tile == 0);
    }

    /// <summary>A placed reshape TTNN runs as a view: it keeps the bytes and sits where its operand is.</summary>
    public static bool IsView(TensorType from, TensorType to) =>
        to.Memory is not null && to.Memory == from.Memory && KeepsBytes(from, to);
}
