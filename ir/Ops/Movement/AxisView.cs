namespace VoxTile.IR.Ops.Movement;

/// <summary>A tensor seen as [outer, axis, inner] around one axis: the shape ops copy contiguous inner blocks.</summary>
internal readonly record struct AxisView(long Outer, int Size, long Inner)
{
    public static AxisView Of(int[] shape, int axis)
    {
        long outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= shape[i];
        for (int i = axis + 1; i < shape.Length; i++) inner *= shape[i];
        return new AxisView(outer, shape[axis], inner);
    }

    public static bool TryNormalize(int axis, int rank, out int normalized)
    {
        normalized = axis < 0 ? axis + rank : axis;
        return normalized >= 0 && normalized < rank;
    }
}
