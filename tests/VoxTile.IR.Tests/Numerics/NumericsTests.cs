using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR;
using VoxTile.IR.Numerics;

namespace VoxTile.IR.Tests.Numerics;

public sealed class NumericsTests
{
    [Theory]
    [InlineData(1.0f, (ushort)0x3F80)]
    [InlineData(-2.0f, (ushort)0xC000)]
    [InlineData(1.00390625f, (ushort)0x3F80)] // exactly half an ulp above 1: ties to even (down)
    [InlineData(1.01171875f, (ushort)0x3F82)] // half an ulp above 1.0078125 (odd): ties to even (up)
    [InlineData(3.4028235e38f, (ushort)0x7F80)] // rounds up to infinity, as RNE does
    public void BFloat16RoundsToNearestEven(float f, ushort expected) => Assert.Equal(expected, BFloat16.FromFloat(f));

    [Property]
    public void BFloat16IsWithinHalfAnUlp(NormalFloat f)
    {
        float v = (float)f.Get;
        if (float.IsInfinity(v) || Math.Abs(v) > 3e38) return;
        float r = BFloat16.Round(v);
        Assert.True(Math.Abs(r - v) <= Math.Abs(v) / 256 + 1e-38, $"{v} → {r}");
    }

    [Property]
    public void TilizeUntilizeIsIdentity(PositiveInt a, PositiveInt b, PositiveInt c)
    {
        int[] shape = [a.Get % 3 + 1, b.Get % 50 + 1, c.Get % 70 + 1];
        var data = Enumerable.Range(0, (int)Tensor.Count(shape)).Select(i => (float)i).ToArray();
        var tiled = TileLayout.Tilize(data, shape);
        Assert.Equal(TileLayout.TileCount(shape) * 1024, tiled.Length);
        Assert.Equal(data, TileLayout.Untilize(tiled, shape));
    }

    [Fact]
    public void TileOrderIsFacesOfSixteen()
    {
        // Element (0, 16) opens the second face; (16, 0) the third; (0, 32) the second tile.
        Assert.Equal(256, TileLayout.Index(0, 16, 2));
        Assert.Equal(512, TileLayout.Index(16, 0, 2));
        Assert.Equal(1024, TileLayout.Index(0, 32, 2));
        Assert.Equal(17, TileLayout.Index(1, 1, 2));
    }

    [Fact]
    public void BlockFloatSharesTheLargestExponentPerSixteen()
    {
        var tiled = new float[1024];
        tiled[0] = 1.0f;
        tiled[1] = 0.5f;
        tiled[2] = 0.01f; // far below the shared exponent: loses its bits
        tiled[16] = 3.0f;  // next block
        var p = BlockFloat.Pack(tiled, DType.BFP8_B);
        Assert.Equal(1088, p.Length);
        Assert.Equal(127, p[0]);
        Assert.Equal(128, p[1]);
        var back = BlockFloat.Unpack(p, DType.BFP8_B, 1);
        Assert.Equal(1.0f, back[0]);
        Assert.Equal(0.5f, back[1]);
        Assert.Equal(0.015625f, back[2]); // 0.01 → nearest multiple of 2^-6 in this block
        Assert.Equal(3.0f, back[16]);
        Assert.Equal(576, BlockFloat.Pack(tiled, DType.BFP4_B).Length);
    }
}
