using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.Kernels.Tests.Support;
using VoxTile.Runtime.Native;

namespace VoxTile.Kernels.Tests;

/// <summary>bf16 / bfp8_b / bfp4_b storage: exact round-to-nearest-even cases, byte-for-byte TTNN tiles, round trips.</summary>
public sealed unsafe class PackingTests
{
    public PackingTests() => KernelSetup.Ensure();

    [Theory]
    [InlineData(0x3F800000u, (ushort)0x3F80)] // 1
    [InlineData(0x3F808000u, (ushort)0x3F80)] // tie, even lsb: down
    [InlineData(0x3F818000u, (ushort)0x3F82)] // tie, odd lsb: up
    [InlineData(0x3F808001u, (ushort)0x3F81)] // just above the tie
    [InlineData(0xBF818000u, (ushort)0xBF82)] // negative tie, odd: away from zero
    [InlineData(0x7F7FFFFFu, (ushort)0x7F80)] // the largest float rounds to infinity
    [InlineData(0xFF800000u, (ushort)0xFF80)] // -inf
    [InlineData(0x7FC00001u, (ushort)0x7FC0)] // NaN: the canonical quiet NaN
    [InlineData(0x80000000u, (ushort)0x8000)] // -0
    [InlineData(0x00018000u, (ushort)0x0002)] // a denormal tie, odd: up
    public void Bf16RoundsToNearestEvenInEveryVariant(uint input, ushort expected) => KernelSetup.ForEachIsa(isa =>
    {
        var f = BitConverter.UInt32BitsToSingle(input);
        ushort h;
        VtNative.F32ToBf16(&f, &h, 1).ThrowIfFailed();
        Assert.True(h == expected, $"{isa}: bf16({input:X8}) = {h:X4}, want {expected:X4}");
    });

    [Property(MaxTest = 40)]
    public Property Bf16MatchesTheReferenceOnAnyBits() => Prop.ForAll(ArbMap.Default.ArbFor<uint[]>(), bits =>
    {
        var x = bits.Select(BitConverter.UInt32BitsToSingle).ToArray();
        var h = new ushort[x.Length];
        var back = new float[x.Length];
        KernelSetup.ForEachIsa(isa =>
        {
            fixed (float* px = x)
            fixed (ushort* ph = h)
            fixed (float* pb = back)
            {
                VtNative.F32ToBf16(px, ph, x.Length).ThrowIfFailed();
                VtNative.Bf16ToF32(ph, pb, x.Length).ThrowIfFailed();
            }
            for (var i = 0; i < x.Length; i++)
            {
                Assert.Equal(Formats.Bf16Bits(x[i]), h[i]);
                Assert.Equal((uint)h[i] << 16, BitConverter.SingleToUInt32Bits(back[i]));
            }
        });
    });

    /// <summary>The code a value gets in a face row whose largest value is 1.0 (shared exponent 127).</summary>
    private static (uint Code, byte Exponent) CodeInUnitRow(float v, VtDtype dt)
    {
        var m = new float[32 * 32];
        m[0] = 1f;
        m[1] = v;
        var tile = new byte[1088];
        fixed (float* pm = m)
        fixed (byte* pt = tile)
            VtNative.PackTiles(pm, 1, 32, 32, dt, pt).ThrowIfFailed();
        return (dt == VtDtype.Bfp8B ? tile[65] : (uint)tile[64] >> 4, tile[0]);
    }

    [Theory]
    [InlineData(1.0f, 0x40u)]
    [InlineData(1.5f, 0x60u)]
    [InlineData(-1.5f, 0xE0u)]
    [InlineData(1.9999999f, 0x7Fu)]        // rounds to 128: saturates, the exponent never moves
    [InlineData(1.0f / 128, 0x00u)]        // exactly half of the last step: tie, even -> 0, and no sign bit
    [InlineData(-1.0f / 128, 0x00u)]
    [InlineData(3.0f / 128, 0x02u)]        // tie with an odd kept bit -> up
    [InlineData(1.0f / 64, 0x01u)]
    [InlineData(0.0f, 0x00u)]
    [InlineData(1e-40f, 0x00u)]            // a denormal (exponent field 0) packs to 0
    public void Bfp8PacksWithRoundToNearestEven(float v, uint code)
    {
        var (got, exponent) = CodeInUnitRow(v, VtDtype.Bfp8B);
        Assert.Equal(127, exponent);
        Assert.Equal(code, got);
        Assert.Equal(code, Formats.BfpCode(BitConverter.SingleToUInt32Bits(v), 127, 8));
    }

    [Theory]
    [InlineData(1.0f, 4u)]
    [InlineData(1.75f, 7u)]
    [InlineData(1.875f, 7u)]   // tie, odd -> 8 -> saturates at 7
    [InlineData(-1.75f, 15u)]
    [InlineData(0.375f, 2u)]   // tie, odd -> up
    [InlineData(0.125f, 0u)]   // tie, even -> 0
    [InlineData(0.25f, 1u)]
    [InlineData(-0.25f, 9u)]
    [InlineData(0.3125f, 1u)]  // below the tie
    public void Bfp4PacksWithRoundToNearestEven(float v, uint code)
    {
        var (got, _) = CodeInUnitRow(v, VtDtype.Bfp4B);
        Assert.Equal(code, got);
    }

    public sealed record PackCase(int Batch, int Rows, int Cols, int Spread, VtDtype Dtype, int Seed);

    private static readonly Gen<PackCase> PackCases =
        from batch in Gen.Choose(1, 3)
        from rows in Gen.Choose(1, 70)
        from cols in Gen.Choose(1, 70)
        from spread in Gen.Choose(0, 24)
        from dt in Gen.Elements(VtDtype.F32, VtDtype.Bf16, VtDtype.Bfp8B, VtDtype.Bfp4B, VtDtype.U32)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select new PackCase(batch, rows, cols, spread, dt, seed);

    private static float[] Values(PackCase c)
    {
        var r = new Rng(c.Seed);
        var x = r.Spread(c.Batch * c.Rows * c.Cols, c.Spread);
        return c.Dtype == VtDtype.U32 ? [.. x.Select(v => MathF.Round(MathF.Abs(v) * 1000))] : x;
    }

    [Property(MaxTest = 80)]
    public Property PackedTilesEqualTtnnBytes() => Prop.ForAll(PackCases.ToArbitrary(), c =>
    {
        var x = Values(c);
        var expected = Formats.PackTiles(x, c.Batch, c.Rows, c.Cols, c.Dtype);
        var got = new byte[expected.Length];
        fixed (float* px = x)
        fixed (byte* pg = got)
            VtNative.PackTiles(px, c.Batch, c.Rows, c.Cols, c.Dtype, pg).ThrowIfFailed();
        Assert.Equal(expected, got);
    });

    [Property(MaxTest = 80)]
    public Property UnpackInvertsPackOnItsGrid() => Prop.ForAll(PackCases.ToArbitrary(), c =>
    {
        var x = Values(c);
        var packed = Formats.PackTiles(x, c.Batch, c.Rows, c.Cols, c.Dtype);
        var y = new float[x.Length];
        var again = new byte[packed.Length];
        fixed (byte* pp = packed)
        fixed (float* py = y)
        fixed (byte* pa = again)
        {
            VtNative.UnpackTiles(pp, c.Dtype, c.Batch, c.Rows, c.Cols, py).ThrowIfFailed();
            VtNative.PackTiles(py, c.Batch, c.Rows, c.Cols, c.Dtype, pa).ThrowIfFailed();
        }
        Assert.Equal(Formats.UnpackTiles(packed, c.Batch, c.Rows, c.Cols, c.Dtype), y);
        Assert.Equal(packed, again); // values on the grid pack to themselves
        if (c.Dtype is VtDtype.Bfp8B or VtDtype.Bfp4B)
        {
            // within one step of the block grid: 2^(E-127-6) for bfp8, 2^(E-127-2) for bfp4
            for (var row = 0; row < c.Batch * c.Rows; row++)
                for (var c0 = 0; c0 < c.Cols; c0 += 16)
                {
                    var n = Math.Min(16, c.Cols - c0);
                    var e = Enumerable.Range(c0, n).Select(i => x[row * c.Cols + i]).Where(v => v != 0)
                        .Select(v => MathF.ILogB(v)).DefaultIfEmpty(-200).Max();
                    var step = MathF.ScaleB(1f, e - (c.Dtype == VtDtype.Bfp8B ? 6 : 2));
                    for (var i = c0; i < c0 + n; i++)
                        Assert.True(MathF.Abs(y[row * c.Cols + i] - x[row * c.Cols + i]) <= step,
                            $"{x[row * c.Cols + i]} -> {y[row * c.Cols + i]} (step {step})");
                }
        }
    });

    [Fact]
    public void TileSizesAreTtnns()
    {
        foreach (var (dt, bytes) in new[] { (VtDtype.F32, 4096), (VtDtype.Bf16, 2048), (VtDtype.Bfp8B, 1088), (VtDtype.Bfp4B, 576), (VtDtype.U32, 4096) })
        {
            var t = VtTensor.Create(null, dt, [2, 33, 65], VtLayout.Tile);
            long got;
            VtNative.TensorBytes(&t, &got).ThrowIfFailed();
            Assert.Equal(2L * 2 * 3 * bytes, got);
        }
    }

    [Fact]
    public void TypecastBetweenLayoutsIsPackAndUnpack()
    {
        var x = new Rng(7).Uniform(40 * 50, -4, 4);
        using var rm = NTensor.Of(x, 40, 50);
        using var tiled = NTensor.Empty([40, 50], VtDtype.Bfp8B, VtLayout.Tile);
        using var back = NTensor.Empty([40, 50], VtDtype.F32);
        VtNative.Typecast(rm.Ptr, tiled.Ptr).ThrowIfFailed();
        Assert.Equal(Formats.PackTiles(x, 1, 40, 50, VtDtype.Bfp8B), tiled.Bytes.ToArray());
        VtNative.Typecast(tiled.Ptr, back.Ptr).ThrowIfFailed();
        Assert.Equal(Formats.UnpackTiles(tiled.Bytes, 1, 40, 50, VtDtype.Bfp8B), back.Read());
    }
}
