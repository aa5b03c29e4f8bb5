namespace VoxTile.IR.Ops.Ttnn;

/// <summary>Conversions between the IR's <see cref="DType"/> and TTNN's dtype names.</summary>
public static class TtnnDataTypes
{
    public static DType ToDType(this TtnnDataType t) => t switch
    {
        TtnnDataType.Bfloat16 => DType.BF16,
        TtnnDataType.Float32 => DType.F32,
        TtnnDataType.Bfloat8B => DType.BFP8_B,
        TtnnDataType.Bfloat4B => DType.BFP4_B,
        TtnnDataType.Uint32 => DType.U32,
        _ => DType.I32,
    };

    public static TtnnDataType ToTtnn(this DType t) => t switch
    {
        DType.BF16 => TtnnDataType.Bfloat16,
        DType.F32 => TtnnDataType.Float32,
        DType.BFP8_B => TtnnDataType.Bfloat8B,
        DType.BFP4_B => TtnnDataType.Bfloat4B,
        DType.U32 => TtnnDataType.Uint32,
        _ => TtnnDataType.Int32,
    };

    /// <summary>Block floats share an exponent per 16 values of a tile face: they exist only in TILE layout.</summary>
    public static bool IsBlockFloat(this DType t) => t is DType.BFP8_B or DType.BFP4_B;

    public static bool IsFloat(this DType t) => t is DType.F32 or DType.BF16 or DType.BFP8_B or DType.BFP4_B;
}
