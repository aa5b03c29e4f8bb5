using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR;
using VoxTile.IR.Numerics;
using VoxTile.Kernels.Tests.Support;
using VoxTile.Runtime.Native;

namespace VoxTile.Kernels.Tests;

/// <summary>
/// The C# block-float packer (<see cref="BlockFloat"/>, which packs the .vtp weights) against the kernels' pack.c
/// (tt-metal's pack_as_bfp_tiles): the same bytes for any tile, and the same values unpacking any bytes, either way.
/// </summary>
public sealed unsafe class BlockFloatParityTests
{
    public BlockFloatParityTests() => KernelSetup.Ensure();

    private static readonly uint[] Specials =
    [
        0x00000000, 0x80000000,             // ±0
        0x00000001, 0x807FFFFF, 0x00400000, // denormals
        0x00800000, 0x80800001,             // the smallest normals
        0x7F800000, 0xFF800000,             // ±inf
        0x7FC00000, 0xFFC00001, 0x7F800001, // NaNs, quiet and signalling
        0x7F7FFFFF, 0xFF7FFFFF,             // the largest finite
        0x3F800000, 0x3F810000, 0x3F818000, // 1, and ties at bfp8's last bit (even: down; odd: up)
        0x3FC00000, 0x3FE00000, 0x3FF00000, // ties at bfp4's last bit
        0x3FFFFFFF, 0xBFFFFFFF,             // rounds up past the top: saturates
        0x3C000000, 0x3C400000, 0xBC400000, // ties one exponent below the row's 1.0 (shifted-out bits kept or lost)
        0x3B800001, 0x3B7FFFFF,             // just around half of the last step at a distance
    ];

    /// <summary>A 16-value face row: random bits, specials, or a spread of exponents around a random centre.</summary>
    private static float[] Row(Random r)
    {
        var v = new float[BlockFloat.Block];
        int kind = r.Next(4), centre = r.Next(1, 255), spread = r.Next(0, 40);
        for (int i = 0; i < v.Length; i++)
        {
            uint bits = kind switch
            {
                0 => (uint)r.NextInt64(0, 1L << 32),
                1 => Specials[r.Next(Specials.Length)],
                _ => (uint)(r.Next(2) << 31) | ((uint)Math.Clamp(centre - r.Next(0, spread + 1), 0, kind == 2 ? 254 : 255) << 23) | (uint)r.Next(0, 1 << 23),
            };
            if (kind == 3 && r.Next(8) == 0) bits = Specials[r.Next(Specials.Length)];
            v[i] = BitConverter.UInt32BitsToSingle(bits);
        }
        return v;
    }

    private static byte[] NativePack(float[] tiledAsMatrix, int tiles, DType t)
    {
        var dst = new byte[tiles * TileLayout.TileBytes(t)];
        fixed (float* src = tiledAsMatrix)
        fixed (byte* d = dst)
            VtNative.PackTiles(src, tiles, 32, 32, Vt(t), d).ThrowIfFailed();
        return dst;
    }

    private static float[] NativeUnpack(byte[] packed, int tiles, DType t)
    {
        var dst = new float[tiles * 1024];
        fixed (byte* src = packed)
        fixed (float* d = dst)
            VtNative.UnpackTiles(src, Vt(t), tiles, 32, 32, d).ThrowIfFailed();
        return dst;
    }

    private static VtDtype Vt(DType t) => t == DType.BFP8_B ? VtDtype.Bfp8B : VtDtype.Bfp4B;

    private static uint[] Bits(float[] v) => [.. v.Select(BitConverter.SingleToUInt32Bits)];

    private static readonly Gen<(int Seed, int Tiles, DType DType)> Cases =
        from seed in Gen.Choose(0, int.MaxValue - 1)
        from tiles in Gen.Choose(1, 3)
        from dt in Gen.Elements(DType.BFP8_B, DType.BFP4_B)
        select (seed, tiles, dt);

    [Property(MaxTest = 60)]
    public Property PackedBytesEqualPackC() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var r = new Random(c.Seed);
        var matrices = new float[c.Tiles * 1024];
        for (int b = 0; b < c.Tiles * 64; b++) Row(r).CopyTo(matrices, b * BlockFloat.Block);
        // The C side takes row-major [tiles, 32, 32] matrices; the C# side their tiled order.
        var tiled = Enumerable.Range(0, c.Tiles).SelectMany(i => TileLayout.Tilize(matrices.AsSpan(i * 1024, 1024).ToArray(), [32, 32])).ToArray();
        var native = NativePack(matrices, c.Tiles, c.DType);
        var managed = BlockFloat.Pack(tiled, c.DType);
        Assert.Equal(native, managed);
    });

    [Property(MaxTest = 60)]
    public Property UnpackAgreesOnAnyBytes() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var r = new Random(c.Seed);
        var packed = new byte[c.Tiles * TileLayout.TileBytes(c.DType)];
        r.NextBytes(packed);
        var native = NativeUnpack(packed, c.Tiles, c.DType);
        var managed = BlockFloat.Unpack(packed, c.DType, c.Tiles);
        var untiled = Enumerable.Range(0, c.Tiles).SelectMany(i => TileLayout.Untilize(managed.AsSpan(i * 1024, 1024).ToArray(), [32, 32])).ToArray();
        Assert.Equal(Bits(native), Bits(untiled));
    });

    [Theory]
    [InlineData(DType.BFP8_B)]
    [InlineData(DType.BFP4_B)]
    public void EverySpecialPacksAsPackCDoesAndComesBackTheSameEitherWay(DType t)
    {
        // Each special beside 1.0, and each at the head of an otherwise zero row (shared exponent its own).
        var m = new float[2 * 1024];
        for (int i = 0; i < Specials.Length; i++)
        {
            m[i * 32] = 1f;
            m[i * 32 + 1] = BitConverter.UInt32BitsToSingle(Specials[i]);
            m[1024 + i * 32] = BitConverter.UInt32BitsToSingle(Specials[i]);
            m[1024 + i * 32 + 2] = BitConverter.UInt32BitsToSingle(Specials[(i + 1) % Specials.Length]);
        }
        var tiled = TileLayout.Tilize(m.AsSpan(0, 1024).ToArray(), [32, 32]).Concat(TileLayout.Tilize(m.AsSpan(1024).ToArray(), [32, 32])).ToArray();
        var managed = BlockFloat.Pack(tiled, t);
        var native = NativePack(m, 2, t);
        Assert.Equal(native, managed);
        // C# bytes unpacked by C, C bytes unpacked by C#: the same values.
        var byC = NativeUnpack(managed, 2, t);
        var byManaged = BlockFloat.Unpack(native, t, 2);
        var untiled = TileLayout.Untilize(byManaged.AsSpan(0, 1024).ToArray(), [32, 32]).Concat(TileLayout.Untilize(byManaged.AsSpan(1024).ToArray(), [32, 32])).ToArray();
        Assert.Equal(Bits(byC), Bits(untiled));
    }

    [Fact]
    public void NoSignOnZeroInfAndNanTakeTheSharedExponent()
    {
        var tiled = new float[1024];
        tiled[0] = -0f;
        tiled[1] = 1f;
        tiled[16] = float.PositiveInfinity;
        tiled[17] = 1f;
        var p = BlockFloat.Pack(tiled, DType.BFP8_B);
        Assert.Equal(0, p[64]);     // −0 packs without its sign
        Assert.Equal(255, p[1]);    // inf's exponent is the row's
        Assert.Equal(0x40, p[64 + 16]); // inf is 1.0 × 2^128: the leading one
        Assert.Equal(0, p[64 + 17]);    // 1.0 is 2^-128 of it: gone
    }
}
