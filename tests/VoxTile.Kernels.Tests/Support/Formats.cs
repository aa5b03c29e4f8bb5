using VoxTile.Runtime.Native;

namespace VoxTile.Kernels.Tests.Support;

/// <summary>
/// C# references for the storage formats, written from tt-metal's definitions (not from the C code): bf16 round to
/// nearest even, and the TTNN tile layout with bfp8_b/bfp4_b block floats (detail::bfp::convert, pack_tiles,
/// unpack_bfp*_tiles_into_float_vec).
/// </summary>
public static class Formats
{
    public static ushort Bf16Bits(float f)
    {
        var u = BitConverter.SingleToUInt32Bits(f);
        if ((u & 0x7fffffffu) > 0x7f800000u) return 0x7fc0;
        return (ushort)((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);
    }

    public static float FromBf16(ushort h) => BitConverter.UInt32BitsToSingle((uint)h << 16);

    public static float Bf16(float f) => FromBf16(Bf16Bits(f));

    public static int TileBytes(VtDtype d) => d switch
    {
        VtDtype.F32 or VtDtype.U32 => 4096,
        VtDtype.Bf16 => 2048,
        VtDtype.Bfp8B => 1088,
        VtDtype.Bfp4B => 576,
        _ => throw new ArgumentOutOfRangeException(nameof(d)),
    };

    /// <summary>tt-metal's convert&lt;Bits&gt;(input, shared_exp, exp_a = false).</summary>
    public static uint BfpCode(uint input, uint shared, int bits)
    {
        int shift = 25 - bits;
        uint maximum = (1u << (bits - 1)) - 1;
        uint exponent = (input >> 23) & 255;
        if (exponent == 0) return 0;
        uint magnitude = (input & 0x7fffff) | 0x800000;
        uint distance = shared > exponent ? shared - exponent : 0;
        magnitude = distance >= 32 ? 0 : magnitude >> (int)distance;
        magnitude = Math.Min((magnitude + (1u << (shift - 1)) - 1 + ((magnitude >> shift) & 1)) >> shift, maximum);
        return magnitude == 0 ? 0 : magnitude | ((input >> 31) << (bits - 1));
    }

    /// <summary>tt-metal's unpack: normalize the magnitude, flush when the exponent would go below zero.</summary>
    public static float BfpValue(uint code, uint shared, int bits)
    {
        int mbits = bits - 1;
        uint sign = code >> mbits, m = code & ((1u << mbits) - 1);
        if (m == 0) return BitConverter.UInt32BitsToSingle(sign << 31);
        int shift = 0;
        while ((m & (1u << (mbits - 1))) == 0) { m <<= 1; shift++; }
        if (shift > shared) return 0f;
        m = (m << 1) & ((1u << mbits) - 1);
        return BitConverter.UInt32BitsToSingle((sign << 31) | ((shared - (uint)shift) << 23) | (m << (23 - mbits)));
    }

    /// <summary>(matrix row, column) of face-row <paramref name="r"/> (0..63) of tile (tr, tc): the first of its 16 values.</summary>
    private static (int Row, int Col) FaceRow(int tr, int tc, int r) => (tr * 32 + (r >> 4 >> 1) * 16 + (r & 15), tc * 32 + ((r >> 4) & 1) * 16);

    public static byte[] PackTiles(float[] m, int batch, int rows, int cols, VtDtype dt)
    {
        int tr = (rows + 31) / 32, tcn = (cols + 31) / 32, tb = TileBytes(dt);
        var output = new byte[batch * tr * tcn * tb];
        var v = new float[16];
        for (int b = 0, tile = 0; b < batch; b++)
            for (int ty = 0; ty < tr; ty++)
                for (int tx = 0; tx < tcn; tx++, tile++)
                {
                    var t = output.AsSpan(tile * tb, tb);
                    for (int r = 0; r < 64; r++)
                    {
                        var (row, col0) = FaceRow(ty, tx, r);
                        for (int c = 0; c < 16; c++)
                            v[c] = row < rows && col0 + c < cols ? m[(b * rows + row) * cols + col0 + c] : 0f;
                        switch (dt)
                        {
                            case VtDtype.F32:
                                for (int c = 0; c < 16; c++) BitConverter.TryWriteBytes(t[((r * 16 + c) * 4)..], v[c]);
                                break;
                            case VtDtype.Bf16:
                                for (int c = 0; c < 16; c++) BitConverter.TryWriteBytes(t[((r * 16 + c) * 2)..], Bf16Bits(v[c]));
                                break;
                            case VtDtype.U32:
                                for (int c = 0; c < 16; c++) BitConverter.TryWriteBytes(t[((r * 16 + c) * 4)..], (uint)Math.Max(0f, v[c]));
                                break;
                            default:
                                int bits = dt == VtDtype.Bfp8B ? 8 : 4;
                                uint shared = 0;
                                for (int c = 0; c < 16; c++) shared = Math.Max(shared, (BitConverter.SingleToUInt32Bits(v[c]) >> 23) & 255);
                                t[r] = (byte)shared;
                                for (int c = 0; c < 16; c++)
                                {
                                    var code = BfpCode(BitConverter.SingleToUInt32Bits(v[c]), shared, bits);
                                    if (bits == 8) t[64 + r * 16 + c] = (byte)code;
                                    else t[64 + r * 8 + c / 2] |= (byte)(code << (c % 2 * 4));
                                }
                                break;
                        }
                    }
                }
        return output;
    }

    public static float[] UnpackTiles(ReadOnlySpan<byte> tiles, int batch, int rows, int cols, VtDtype dt)
    {
        int tr = (rows + 31) / 32, tcn = (cols + 31) / 32, tb = TileBytes(dt);
        var m = new float[batch * rows * cols];
        for (int b = 0, tile = 0; b < batch; b++)
            for (int ty = 0; ty < tr; ty++)
                for (int tx = 0; tx < tcn; tx++, tile++)
                {
                    var t = tiles.Slice(tile * tb, tb);
                    for (int r = 0; r < 64; r++)
                    {
                        var (row, col0) = FaceRow(ty, tx, r);
                        for (int c = 0; c < 16; c++)
                        {
                            if (row >= rows || col0 + c >= cols) continue;
                            m[(b * rows + row) * cols + col0 + c] = dt switch
                            {
                                VtDtype.F32 => BitConverter.ToSingle(t[((r * 16 + c) * 4)..]),
                                VtDtype.Bf16 => FromBf16(BitConverter.ToUInt16(t[((r * 16 + c) * 2)..])),
                                VtDtype.U32 => BitConverter.ToUInt32(t[((r * 16 + c) * 4)..]),
                                VtDtype.Bfp8B => BfpValue(t[64 + r * 16 + c], t[r], 8),
                                _ => BfpValue((uint)(t[64 + r * 8 + c / 2] >> (c % 2 * 4)) & 15u, t[r], 4),
                            };
                        }
                    }
                }
        return m;
    }

    /// <summary>The value a float takes once stored in a row-major dtype.</summary>
    public static float Stored(float f, VtDtype dt) => dt switch
    {
        VtDtype.Bf16 => Bf16(f),
        VtDtype.U32 => f <= 0 || float.IsNaN(f) ? 0 : f >= 4294967295f ? 4294967295f : (uint)f,
        _ => f,
    };
}
