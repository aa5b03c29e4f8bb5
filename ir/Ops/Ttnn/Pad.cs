namespace VoxTile.IR.Ops.Ttnn;

/// <summary>
/// <c>ttnn.pad(input_tensor, padding, value)</c>: constant padding with TTNN's <c>[(before, after)]</c> form, one
/// pair per dim. TTNN cannot pad the front of a TILE tensor (the operand must be ROW_MAJOR then), and pads only the
/// lower 3 dims of a rank &gt; 4 tensor.
/// </summary>
[Op("ttnn.pad", "input_tensor")]
[Kernel("vt_pad")]
public sealed partial class Pad : Op, ITtnnOp
{
    [Attr] public required int[][] Padding { get; init; }
    [Attr] public required float Value { get; init; }

    private bool PadsFront => Padding.Any(p => p.Length == 2 && p[0] > 0);

    public override TypeResult InferType(IReadOnlyList<TensorType> t)
    {
        var x = t[0];
        if (Padding.Length != x.Rank || Padding.Any(p => p is null || p.Length != 2 || p[0] < 0 || p[1] < 0))
            return TypeResult.Fail($"padding needs one non-negative (before, after) pair per dim of {x}, got {Show(Padding)}");
        if (x.Rank > 4 && Padding.Take(x.Rank - 3).Any(p => p[0] + p[1] > 0))
            return TypeResult.Fail($"TTNN pads only the lower 3 dims of a rank-{x.Rank} tensor, got {Show(Padding)}");
        var dims = x.Shape.Select((d, i) => d.Map(v => v + Padding[i][0] + Padding[i][1], preserves: Padding[i][0] + Padding[i][1] == 0));
        return new TensorType(x.DType, new Shape(dims));
    }

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs)
    {
        var x = inputs[0];
        int r = x.Rank;
        var shape = x.Shape.Select((d, i) => d + Padding[i][0] + Padding[i][1]).ToArray();
        var y = Tensor.Full(shape, Value);
        if (x.Length == 0) return y;
        int inner = r == 0 ? 1 : x.Shape[r - 1];
        var yStrides = Tensor.Strides(shape);
        long rows = x.Length / inner;
        var idx = new int[Math.Max(0, r - 1)];
        for (long row = 0; row < rows; row++)
        {
            long dst = r == 0 ? 0 : Padding[r - 1][0];
            for (int d = 0; d < r - 1; d++) dst += (idx[d] + Padding[d][0]) * yStrides[d];
            Array.Copy(x.Data, row * inner, y.Data, dst, inner);
            for (int d = r - 2; d >= 0 && ++idx[d] == x.Shape[d]; d--) idx[d] = 0;
        }
        return y;
    }

    private static string Show(int[][] p) => "[" + string.Join(", ", p.Select(q => q is null ? "null" : "(" + string.Join(", ", q) + ")")) + "]";

    public IReadOnlyList<OperandRequirement> OperandRequirements =>
        [OperandRequirement.Device("input_tensor", PadsFront ? LayoutRequirement.RowMajor : LayoutRequirement.Any, false)];

    public long WorkingSetBytes(IReadOnlyList<TensorType> inputs, TensorType output) => TtnnWorkingSet.Streaming(inputs, output);
}
