namespace VoxTile.IR.Ops.Ttnn;

/// <summary>Type inference and reference of the generic reductions (<c>ttnn.sum</c>, <c>ttnn.mean</c>) over a set of dims.</summary>
internal static class TtnnReduction
{
    public static TypeResult InferType(TensorType x, int[] dims, bool keepdim)
    {
        if (!x.DType.IsFloat()) return TypeResult.Fail($"input_tensor must be a float tensor, got {x}");
        if (dims.Length == 0) return TypeResult.Fail("dim must name at least one axis");
        var axes = new HashSet<int>();
        foreach (var d in dims)
            if (!Movement.AxisView.TryNormalize(d, x.Rank, out int a) || !axes.Add(a)) return TypeResult.Fail($"dim [{string.Join(",", dims)}] is not a set of distinct axes of {x}");
        var shape = new List<Dim>();
        for (int i = 0; i < x.Rank; i++)
            if (!axes.Contains(i)) shape.Add(x.Shape[i]);
            else if (keepdim) shape.Add(1);
        return new TensorType(x.DType, new Shape(shape));
    }

    /// <summary>Σ over the axes in double, times <paramref name="mean"/> ? 1/count : 1.</summary>
    public static Tensor Evaluate(Tensor x, int[] dims, bool keepdim, bool mean)
    {
        var reduced = new bool[x.Rank];
        foreach (var d in dims) reduced[d < 0 ? d + x.Rank : d] = true;
        var kept = Enumerable.Range(0, x.Rank).Select(i => reduced[i] ? 1 : x.Shape[i]).ToArray();
        var acc = new double[Tensor.Count(kept)];
        var keptStrides = Tensor.Strides(kept);
        var idx = new int[x.Rank];
        for (long i = 0; i < x.Length; i++)
        {
            long o = 0;
            for (int d = 0; d < x.Rank; d++) if (!reduced[d]) o += idx[d] * keptStrides[d];
            acc[o] += x.Data[i];
            for (int d = x.Rank - 1; d >= 0 && ++idx[d] == x.Shape[d]; d--) idx[d] = 0;
        }
        long count = x.Rank == 0 ? 1 : x.Length / Math.Max(1, acc.Length);
        var outShape = keepdim ? kept : [.. Enumerable.Range(0, x.Rank).Where(i => !reduced[i]).Select(i => x.Shape[i])];
        var y = new Tensor(outShape);
        for (int i = 0; i < acc.Length; i++) y.Data[i] = (float)(mean ? acc[i] / count : acc[i]);
        return y;
    }

    public static IReadOnlyList<OperandRequirement> Requirements { get; } =
        [OperandRequirement.Device("input_tensor", LayoutRequirement.Any, false, DType.BF16, DType.BFP8_B, DType.F32)];
}
