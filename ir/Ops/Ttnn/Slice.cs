namespace VoxTile.IR.Ops.Ttnn;

/// <summary>
/// <c>ttnn.slice(input_tensor, slice_start, slice_end, slice_step)</c>: x[start:end:step] on every dim, one entry
/// per dim, 0 ≤ start ≤ end ≤ size and step ≥ 1 (no negative or clamped indices: the emitter passes these lists as
/// they are). The sliced sizes must be fixed.
/// </summary>
[Op("ttnn.slice", "input_tensor")]
[Kernel("vt_slice")]
public sealed partial class Slice : Op, ITtnnOp
{
    [Attr] public required int[] SliceStart { get; init; }
    [Attr] public required int[] SliceEnd { get; init; }
    [Attr] public required int[] SliceStep { get; init; }

    /// <summary>
    /// A <c>ttnn.slice</c> node in TTNN's argument order. (The generated builder takes required attributes sorted by
    /// name, which puts <c>slice_end</c> first: name them there.)
    /// </summary>
    public static Node Create(Node input, int[] start, int[] end, int[] step, string? name = null) =>
        IR.Ttnn.Slice(input, sliceEnd: end, sliceStart: start, sliceStep: step, name: name);

    public override TypeResult InferType(IReadOnlyList<TensorType> t)
    {
        var x = t[0];
        if (SliceStart.Length != x.Rank || SliceEnd.Length != x.Rank || SliceStep.Length != x.Rank)
            return TypeResult.Fail($"slice_start, slice_end and slice_step need one entry per dim of {x}");
        var dims = new Dim[x.Rank];
        for (int i = 0; i < x.Rank; i++)
        {
            int s = SliceStart[i], e = SliceEnd[i], st = SliceStep[i];
            if (st < 1 || s < 0 || e < s) return TypeResult.Fail($"dim {i}: need 0 ≤ start ≤ end and step ≥ 1, got {s}:{e}:{st}");
            if (!x.Shape[i].IsFixed) return TypeResult.Fail($"dim {i} of {x} is not fixed: ttnn.slice needs fixed sizes");
            if (e > x.Shape[i].Value) return TypeResult.Fail($"dim {i}: end {e} is past the size {x.Shape[i]}");
            dims[i] = (e - s + st - 1) / st;
        }
        return new TensorType(x.DType, new Shape(dims));
    }

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs)
    {
        var y = inputs[0];
        for (int i = 0; i < y.Rank; i++)
            if (SliceStart[i] != 0 || SliceEnd[i] != y.Shape[i] || SliceStep[i] != 1)
                y = new Movement.Slice { Axis = i, Start = SliceStart[i], End = SliceEnd[i], Step = SliceStep[i] }.Evaluate([y]);
        return y;
    }

    public IReadOnlyList<OperandRequirement> OperandRequirements => [OperandRequirement.Device("input_tensor", LayoutRequirement.Any, false)];

    public long WorkingSetBytes(IReadOnlyList<TensorType> inputs, TensorType output) => TtnnWorkingSet.Streaming(inputs, output);
}
