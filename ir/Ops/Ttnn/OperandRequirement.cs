namespace VoxTile.IR.Ops.Ttnn;

/// <summary>
/// What one operand of a ttnn op must look like: its layout, its dtype, whether a sharded placement is accepted,
/// and whether it must stay on the host (conv weights and biases, which TTNN prepares itself on the first call).
/// Facts from ../shared/spec/ttnn-api-notes.md and tt-mlir's operand workarounds.
/// </summary>
public sealed record OperandRequirement(string Operand, LayoutRequirement Layout, IReadOnlyList<DType> DTypes, bool AcceptsSharded, bool OnHost = false)
{
    /// <summary>
    /// Dtypes in which the operand must be ROW_MAJOR although <see cref="Layout"/> allows either (a conv takes TILE bf16
    /// input but not TILE f32).
    /// </summary>
    public IReadOnlyList<DType> RowMajorDTypes { get; init; } = [];

    /// <summary>The float dtypes the compute kernels take (bf16, bfp8_b, bfp4_b, f32).</summary>
    public static IReadOnlyList<DType> Floats { get; } = [DType.BF16, DType.BFP8_B, DType.BFP4_B, DType.F32];

    /// <summary>Every dtype of the IR.</summary>
    public static IReadOnlyList<DType> AnyDType { get; } = Enum.GetValues<DType>();

    /// <summary>An operand on the device.</summary>
    public static OperandRequirement Device(string operand, LayoutRequirement layout, bool sharded, params DType[] dtypes) =>
        new(operand, layout, dtypes.Length == 0 ? AnyDType : dtypes, sharded);

    /// <summary>An operand that stays on the host in ROW_MAJOR (TTNN moves and re-lays it out itself).</summary>
    public static OperandRequirement Host(string operand, params DType[] dtypes) =>
        new(operand, LayoutRequirement.RowMajor, dtypes.Length == 0 ? AnyDType : dtypes, AcceptsSharded: false, OnHost: true);

    /// <summary>
    /// Why <paramref name="type"/> does not meet the requirement, or null when it does. A layout or placement the
    /// planner has not chosen yet (null) is no violation; a host operand is one without a memory config.
    /// </summary>
    public string? Violation(TensorType type)
    {
        if (!DTypes.Contains(type.DType)) return $"{Operand} must be {string.Join(" or ", DTypes.Select(d => d.Name()))}, got {type.DType.Name()}";
        if (OnHost && type.Memory is not null) return $"{Operand} must stay on the host, got {type.Memory}";
        if (Layout == LayoutRequirement.Tile && type.Layout == IR.Layout.RowMajor) return $"{Operand} must be TILE, got ROW_MAJOR";
        if (Layout == LayoutRequirement.RowMajor && type.Layout == IR.Layout.Tile) return $"{Operand} must be ROW_MAJOR, got TILE";
        if (type.Layout == IR.Layout.Tile && RowMajorDTypes.Contains(type.DType)) return $"{Operand} must be ROW_MAJOR in {type.DType.Name()}, got TILE";
        if (!AcceptsSharded && type.Memory is { Layout: not TensorMemoryLayout.Interleaved }) return $"{Operand} must be interleaved, got {type.Memory}";
        return null;
    }
}
