using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR;
using VoxTile.Models.Audio;

namespace VoxTile.Models.Tests.Audio;

public sealed class ReferenceSegmenterTests
{
    [Theory]
    [InlineData(0.5, 1)]
    [InlineData(3.0, 1)]
    [InlineData(14.9, 1)]
    [InlineData(15.0, 2)]     // 1.5 rounds half to even: 2
    [InlineData(20.0, 2)]
    [InlineData(25.0, 2)]     // 2.5 rounds half to even: 2 (NumPy's np.round, as OpenVoice)
    [InlineData(35.0, 4)]     // 3.5 → 4
    [InlineData(60.0, 6)]
    [InlineData(64.9, 6)]
    [InlineData(65.1, 7)]
    public void PartCountIsRoundedDurationOverTenSeconds(double seconds, int parts)
    {
        int n = (int)Math.Round(seconds * 22050);
        Assert.Equal(parts, ReferenceSegmenter.PartCount(n, 22050));
        Assert.Equal(parts, ReferenceSegmenter.Split(new float[n], 22050).Count);
    }

    [Fact]
    public void PartsAreEqualContiguousSlices()
    {
        var x = Enumerable.Range(0, 22050 * 31 + 7).Select(i => (float)i).ToArray();
        var parts = ReferenceSegmenter.Split(x, 22050);
        Assert.Equal(3, parts.Count);
        Assert.Equal(x, parts.SelectMany(p => p).ToArray());
        Assert.True(parts.Max(p => p.Length) - parts.Min(p => p.Length) <= 1);
        Assert.Equal(2, ReferenceSegmenter.Split(x, 22050, partSeconds: 15).Count);
    }

    [Fact]
    public void ShortClipIsOnePartAndEmptyIsAnError()
    {
        float[] x = [1, 2, 3];
        var parts = ReferenceSegmenter.Split(x, 22050);
        Assert.Single(parts);
        Assert.Equal(x, parts[0]);
        Assert.NotSame(x, parts[0]);
        Assert.Throws<VoxTileException>(() => ReferenceSegmenter.Split([], 22050));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReferenceSegmenter.Split(x, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReferenceSegmenter.Split(x, 22050, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReferenceSegmenter.Split(x, 22050, double.NaN));
    }

    [Property(MaxTest = 200)]
    public Property SplitCoversTheInputInOrder() =>
        Prop.ForAll(Gen.Zip(Gen.Choose(1, 400_000), Gen.Elements(8000, 16000, 22050, 44100)).ToArbitrary(), t =>
        {
            var (n, rate) = t;
            var x = new float[n];
            for (int i = 0; i < n; i++) x[i] = i;
            var parts = ReferenceSegmenter.Split(x, rate, 2.0);
            int expected = Math.Max(1, (int)Math.Round((double)n / rate / 2.0, MidpointRounding.ToEven));
            if (parts.Count != expected) return false;
            int at = 0;
            foreach (var p in parts)
            {
                if (p.Length == 0) return false;
                foreach (var v in p) if (v != at++) return false;
            }
            return at == n && parts.Max(p => p.Length) - parts.Min(p => p.Length) <= 1;
        });
}
