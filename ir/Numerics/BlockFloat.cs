namespace VoxTile.IR.Numerics;

/// <summary>
/// TTNN's block-float formats bfp8_b and bfp4_b, byte for byte as tt-metal's <c>pack_as_bfp_tiles</c> writes them
/// (<c>is_exp_a = false</c>) and as kernels/src/pack/pack.c does; a test in VoxTile.Kernels.Tests compares the two.
/// In tiled order every 16 consecutive values (one face row) share the largest of their 8-bit fp32 exponents
/// (inf and NaN included: their 255 wins). A value whose exponent field is 0 (zero or denormal) packs to 0; any
/// other has its 24-bit significand shifted right by its distance from the shared exponent, the shifted-out bits
/// dropped, then rounded to nearest even to 7 (bfp8_b) or 3 (bfp4_b) bits and saturated there (a carry never moves
/// the shared exponent). The code is sign-magnitude, the sign set only on a non-zero magnitude (no −0). A tile is
/// 64 exponent bytes then the codes, two per byte in bfp4_b (the first in the low nibble): 1088 and 576 bytes.
/// Unpacking normalizes the magnitude and flushes to 0 where the exponent would go below 0, as tt-metal does.
/// </summary>
public static class BlockFloat
{
    public const int Block = 16;

    /// <summary>Magnitude bits of a code, the leading one included: 7 for bfp8_b, 3 for bfp4_b.</summary>
    public static int MantissaBits(DType t) => t switch
    {
        DType.BFP8_B => 7,
        DType.BFP4_B => 3,
        _ => throw new ArgumentException($"{t.Name()} is not a block-float dtype"),
    };

    /// <summary>Packs tiled values (a multiple of 1024) into tiles of the format.</summary>
    public static byte[] Pack(ReadOnlySpan<float> tiled, DType t)
    {
        int bits = MantissaBits(t) + 1;
        int tiles = tiled.Length / 1024;
        int tileBytes = TileLayout.TileBytes(t);
        var dst = new byte[tiles * tileBytes];
        for (int ti = 0; ti < tiles; ti++)
        {
            var tile = dst.AsSpan(ti * tileBytes, tileBytes);
            for (int b = 0; b < 64; b++)
            {
                var vals = tiled.Slice(ti * 1024 + b * Block, Block);
                uint shared = SharedExponent(vals);
                tile[b] = (byte)shared;
                for (int i = 0; i < Block; i++)
                {
                    uint code = Code(BitConverter.SingleToUInt32Bits(vals[i]), shared, bits);
                    if (bits == 8) tile[64 + b * Block + i] = (byte)code;
                    else tile[64 + (b * Block + i) / 2] |= (byte)(code << (i % 2 * 4));
                }
            }
        }
        return dst;
    }

    public static float[] Unpack(ReadOnlySpan<byte> packed, DType t, int tiles)
    {
        int bits = MantissaBits(t) + 1;
        int tileBytes = TileLayout.TileBytes(t);
        var dst = new float[tiles * 1024];
        for (int ti = 0; ti < tiles; ti++)
        {
            var tile = packed.Slice(ti * tileBytes, tileBytes);
            for (int idx = 0; idx < 1024; idx++)
            {
                uint code = bits == 8 ? tile[64 + idx] : (uint)(tile[64 + idx / 2] >> (idx % 2 * 4)) & 0xF;
                dst[ti * 1024 + idx] = Value(code, tile[idx / Block], bits);
            }
        }
        return dst;
    }

    /// <summary>The value an fp32 takes in its block of 16 (the face row it is packed with).</summary>
    public static float RoundTrip(ReadOnlySpan<float> block16, int index, DType t)
    {
        int bits = MantissaBits(t) + 1;
        uint shared = SharedExponent(block16);
        return Value(Code(BitConverter.SingleToUInt32Bits(block16[index]), shared, bits), shared, bits);
    }

    private static uint SharedExponent(ReadOnlySpan<float> vals)
    {
        uint max = 0;
        foreach (var v in vals) max = Math.Max(max, (BitConverter.SingleToUInt32Bits(v) >> 23) & 0xFF);
        return max;
    }

    /// <summary>
    /// tt-metal's <c>convert_u32_to_bfp</c>: truncate to the shared exponent first, then round to nearest even on what
    /// is left (so the bits already shifted out never break a tie), saturating at the largest magnitude.
    /// </summary>
    private static uint Code(uint input, uint shared, int bits)
    {
        int shift = 25 - bits;
        uint maximum = (1u << (bits - 1)) - 1;
        uint exponent = (input >> 23) & 0xFF;
        if (exponent == 0) return 0;
        uint magnitude = (input & 0x7FFFFF) | 0x800000;
        uint distance = shared - exponent;
        magnitude = distance >= 32 ? 0 : magnitude >> (int)distance;
        magnitude = Math.Min((magnitude + (1u << (shift - 1)) - 1 + ((magnitude >> shift) & 1)) >> shift, maximum);
        return magnitude == 0 ? 0 : magnitude | ((input >> 31) << (bits - 1));
    }

    /// <summary>tt-metal's unpack: a magnitude normalized to a leading one; −0 for a sign on a zero magnitude; 0 where the exponent would go below 0.</summary>
    private static float Value(uint code, uint shared, int bits)
    {
        int mbits = bits - 1;
        uint mask = (1u << mbits) - 1, sign = code >> mbits, m = code & mask;
        if (m == 0) return BitConverter.UInt32BitsToSingle(sign << 31);
        uint shift = (uint)(mbits - 1 - (31 - System.Numerics.BitOperations.LeadingZeroCount(m)));
        if (shift > shared) return 0f;
        uint fraction = (m << (int)(shift + 1)) & mask;
        return BitConverter.UInt32BitsToSingle((sign << 31) | ((shared - shift) << 23) | (fraction << (23 - mbits)));
    }
}
