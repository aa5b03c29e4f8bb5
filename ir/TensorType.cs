namespace VoxTile.IR;

/// <summary>
/// The type of a value: element type and shape, plus the device layout and memory placement that the lowering
/// fills in (null on model-level values). Printed as <c>f32[1,513,T]</c> or <c>bf16[1,192,864]{tile,l1}</c>.
/// </summary>
public sealed record TensorType(DType DType, Shape Shape, Layout? Layout = null, MemoryConfig? Memory = null)
{
    public int Rank => Shape.Rank;

    public static TensorType F32(params int[] shape) => new(DType.F32, new Shape(shape));
    public static TensorType F32(Shape shape) => new(DType.F32, shape);

    public TensorType WithShape(Shape s) => this with { Shape = s };

    public override string ToString()
    {
        var s = DType.Name() + Shape;
        if (Layout is null && Memory is null) return s;
        var parts = new List<string>();
        if (Layout is not null) parts.Add(Layout == IR.Layout.Tile ? "tile" : "row_major");
        if (Memory is not null) parts.Add(Memory.ToString());
        return s + "{" + string.Join(",", parts) + "}";
    }
}
