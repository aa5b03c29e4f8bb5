namespace VoxTile.IR.Numerics;

/// <summary>bfloat16 as TTNN stores it: the top 16 bits of an fp32, rounded to nearest even; NaN stays NaN.</summary>
public static class BFloat16
{
    public static ushort FromFloat(float f)
    {
        uint bits = BitConverter.SingleToUInt32Bits(f);
        if ((bits & 0x7FFF_FFFF) > 0x7F80_0000) return (ushort)((bits >> 16) | 0x40); // quiet NaN
        uint lsb = (bits >> 16) & 1;
        return (ushort)((bits + 0x7FFF + lsb) >> 16);
    }

    public static float ToFloat(ushort b) => BitConverter.UInt32BitsToSingle((uint)b << 16);

    /// <summary>The value an fp32 takes after a round trip through bf16.</summary>
    public static float Round(float f) => ToFloat(FromFloat(f));
}
