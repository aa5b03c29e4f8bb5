namespace VoxTile.IR;

/// <summary>Element types of the IR. The reference interpreter computes everything in fp32; the others describe device storage.</summary>
public enum DType
{
    F32,
    BF16,
    /// <summary>TTNN block float: 8-bit mantissas sharing one exponent per 16 values.</summary>
    BFP8_B,
    /// <summary>TTNN block float: 4-bit mantissas sharing one exponent per 16 values.</summary>
    BFP4_B,
    U32,
    I32,
}

public static class DTypeNames
{
    public static string Name(this DType t) => t switch
    {
        DType.F32 => "f32",
        DType.BF16 => "bf16",
        DType.BFP8_B => "bfp8_b",
        DType.BFP4_B => "bfp4_b",
        DType.U32 => "u32",
        DType.I32 => "i32",
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };

    public static bool TryParse(string s, out DType t)
    {
        foreach (var v in Enum.GetValues<DType>())
            if (v.Name() == s) { t = v; return true; }
        t = default;
        return false;
    }
}
