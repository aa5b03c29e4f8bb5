namespace VoxTile.IR.Numerics;

/// <summary>
/// TTNN's block-float formats bfp8_b and bfp4_b: in tiled order, every 16 consecutive values (one face row) share an
/// 8-bit exponent (the largest of the 16 fp32 exponents); each value keeps a sign and a mantissa of 7 (bfp8_b) or 3
/// (bfp4_b) bits including the explicit leading one, shifted right by its exponent's distance from the shared one
/// and rounded to nearest even. A tile is 64 exponent bytes followed by the mantissa bytes (1024 for bfp8_b,
/// 512 for bfp4_b: two values per byte, the first in the low nibble): 1088 and 576 bytes.
/// </summary>
public static class BlockFloat
{
    public const int Block = 16;

    public static int MantissaBits(DType t) => t switch
    {
        DType.BFP8_B => 7,
        DType.BFP4_B => 3,
        _ => throw new ArgumentException($"{t.Name()} is not a block-float dtype"),
    };

    /// <summary>Packs tiled values (a multiple of 1024) into tiles of the format.</summary>
    public static byte[] Pack(ReadOnlySpan<float> tiled, DType t)
    {
        int mbits = MantissaBits(t);
        int tiles = tiled.Length / 1024;
        int tileBytes = TileLayout.TileBytes(t);
        var dst = new byte[tiles * tileBytes];
        Span<byte> signs = stackalloc byte[Block];
        Span<int> mants = stackalloc int[Block];
        for (int ti = 0; ti < tiles; ti++)
        {
            int baseOut = ti * tileBytes;
            for (int b = 0; b < 64; b++)
            {
                var vals = tiled.Slice(ti * 1024 + b * Block, Block);
                int shared = SharedExponent(vals);
                dst[baseOut + b] = (byte)shared;
                for (int i = 0; i < Block; i++)
                {
                    var (s, m) = Quantize(vals[i], shared, mbits);
                    int code = (s << mbits) | m;
                    int idx = b * Block + i;
                    if (t == DType.BFP8_B) dst[baseOut + 64 + idx] = (byte)code;
                    else
                    {
                        int at = baseOut + 64 + idx / 2;
                        dst[at] |= (byte)(idx % 2 == 0 ? code & 0xF : (code & 0xF) << 4);
                    }
                }
            }
        }
        return dst;
    }

    public static float[] Unpack(ReadOnlySpan<byte> packed, DType t, int tiles)
    {
        int mbits = MantissaBits(t);
        int tileBytes = TileLayout.TileBytes(t);
        var dst = new float[tiles * 1024];
        for (int ti = 0; ti < tiles; ti++)
        {
            int baseIn = ti * tileBytes;
            for (int idx = 0; idx < 1024; idx++)
            {
                int shared = packed[baseIn + idx / Block];
                int code = t == DType.BFP8_B ? packed[baseIn + 64 + idx] : (packed[baseIn + 64 + idx / 2] >> (idx % 2 * 4)) & 0xF;
                int sign = code >> mbits, m = code & ((1 << mbits) - 1);
                // value = m × 2^(shared − 127 − (mbits − 1)): the mantissa's top bit stands for 2^(shared − 127).
                float v = m == 0 ? 0f : (float)Math.ScaleB(m, shared - 127 - (mbits - 1));
                dst[ti * 1024 + idx] = sign == 1 ? -v : v;
            }
        }
        return dst;
    }

    /// <summary>The value an fp32 takes in a block with this shared exponent.</summary>
    public static float RoundTrip(ReadOnlySpan<float> block16, int index, DType t)
    {
        int shared = SharedExponent(block16);
        int mbits = MantissaBits(t);
        var (s, m) = Quantize(block16[index], shared, mbits);
        float v = m == 0 ? 0f : (float)Math.ScaleB(m, shared - 127 - (mbits - 1));
        return s == 1 ? -v : v;
    }

    private static int SharedExponent(ReadOnlySpan<float> vals)
    {
        int max = 0;
        foreach (var v in vals)
        {
            int e = (int)((BitConverter.SingleToUInt32Bits(v) >> 23) & 0xFF);
            if (e == 0xFF) e = 0xFE; // inf/NaN saturate to the largest finite block
            max = Math.Max(max, e);
        }
        return max;
    }

    /// <summary>Sign and mantissa of <paramref name="v"/> against the shared exponent, rounded to nearest even, saturating.</summary>
    private static (int Sign, int Mantissa) Quantize(float v, int shared, int mbits)
    {
        uint bits = BitConverter.SingleToUInt32Bits(v);
        int sign = (int)(bits >> 31);
        int e = (int)((bits >> 23) & 0xFF);
        if (e == 0 || shared == 0) return (sign, 0); // fp32 denormals flush to zero, as on device
        if (e == 0xFF) e = 0xFE;
        long full = (1L << 23) | (bits & 0x7FFFFF); // 24-bit significand with the leading one
        int shift = 23 - (mbits - 1) + (shared - e); // keep mbits bits aligned to the shared exponent
        if (shift >= 40) return (sign, 0);
        long q = full >> shift;
        long rem = full & ((1L << shift) - 1);
        long half = 1L << (shift - 1);
        if (rem > half || (rem == half && (q & 1) == 1)) q++;
        int max = (1 << mbits) - 1;
        if (q > max) q = max; // rounding up past the top bit saturates rather than changing the shared exponent
        return (q == 0 ? 0 : sign, (int)q);
    }
}
