using System.Diagnostics;
using VoxTile.IR;
using VoxTile.Models.Audio;
using Xunit.Abstractions;

namespace VoxTile.Models.Tests.Audio;

/// <summary>
/// Pins down the figures published in <see cref="Resampler.Quality"/>, <see cref="Resampler.Describe"/> and the
/// <see cref="ResamplerQuality"/> docs: if a design change moves them, these fail and the docs must be updated.
/// </summary>
public sealed class ResamplerTests(ITestOutputHelper output)
{
    private const double Amplitude = 0.5;

    private sealed record Figures(double RippleDb, double MinPassbandSnrDb, double WorstStopbandDb, double OneKGainDb, double OneKSnrDb);

    // Passband: 30 tones up to passEdge × the lower Nyquist (gain by least squares, SNR against the ideal tone, so
    // a delay, aliasing or images all count as error). Stopband (downsampling): 31 tones from stopEdge × the output
    // Nyquist to 0.98 × the input Nyquist, measured as the output power they leave.
    private static Figures Measure(int from, int to, ResamplerQuality quality, double passEdge, double stopEdge)
    {
        int low = Math.Min(from, to);
        int len = from / 2;
        int margin = 300 * Math.Max(1, to / from) + 300;
        double ripple = 0, minSnr = double.MaxValue, stop = double.MinValue;
        for (int j = 1; j <= 30; j++)
        {
            double f = passEdge * low / 2 * j / 30;
            var y = Resampler.Resample(Tone.Sine(f, from, len, Amplitude), from, to, quality);
            ripple = Math.Max(ripple, Math.Abs(Tone.GainDb(y, f, to, Amplitude, margin)));
            minSnr = Math.Min(minSnr, Tone.SnrDb(y, f, to, Amplitude, margin));
        }
        if (to < from)
            for (int j = 0; j <= 30; j++)
            {
                double f = stopEdge * to / 2.0 + (0.98 * from / 2 - stopEdge * to / 2.0) * j / 30;
                var y = Resampler.Resample(Tone.Sine(f, from, len, Amplitude), from, to, quality);
                stop = Math.Max(stop, Tone.LeakageDb(y, Amplitude, margin));
            }
        var k = Resampler.Resample(Tone.Sine(1000, from, len, Amplitude), from, to, quality);
        return new Figures(ripple, minSnr, stop, Tone.GainDb(k, 1000, to, Amplitude, margin), Tone.SnrDb(k, 1000, to, Amplitude, margin));
    }

    [Theory]
    [InlineData(22050, 44100)]
    [InlineData(44100, 22050)]
    [InlineData(48000, 22050)]
    [InlineData(16000, 22050)]
    [InlineData(44100, 16000)]
    [InlineData(24000, 22050)]
    public void HighQualityMeetsItsPublishedFigures(int from, int to)
    {
        var m = Measure(from, to, ResamplerQuality.High, passEdge: 0.9, stopEdge: 1.0);
        output.WriteLine($"high {from}->{to}: {m}");
        Assert.True(m.RippleDb <= 0.0001, $"passband ripple {m.RippleDb} dB");
        Assert.True(m.MinPassbandSnrDb >= 100, $"passband SNR {m.MinPassbandSnrDb} dB");
        Assert.True(Math.Abs(m.OneKGainDb) <= 0.0001, $"1 kHz gain {m.OneKGainDb} dB");
        Assert.True(m.OneKSnrDb >= 115, $"1 kHz SNR {m.OneKSnrDb} dB");
        if (to < from) Assert.True(m.WorstStopbandDb <= -98, $"stopband leaves {m.WorstStopbandDb} dB");
    }

    [Theory]
    [InlineData(22050, 44100)]
    [InlineData(44100, 22050)]
    [InlineData(48000, 22050)]
    [InlineData(16000, 22050)]
    public void FastQualityMeetsItsPublishedFigures(int from, int to)
    {
        var m = Measure(from, to, ResamplerQuality.Fast, passEdge: 0.6, stopEdge: 1.1);
        output.WriteLine($"fast {from}->{to}: {m}");
        Assert.True(m.RippleDb <= 0.001, $"passband ripple {m.RippleDb} dB");
        Assert.True(m.MinPassbandSnrDb >= 80, $"passband SNR {m.MinPassbandSnrDb} dB");
        Assert.True(m.OneKSnrDb >= 90, $"1 kHz SNR {m.OneKSnrDb} dB");
        if (to < from) Assert.True(m.WorstStopbandDb <= -85, $"stopband leaves {m.WorstStopbandDb} dB");
    }

    [Fact]
    public void ToneAboveTheOutputNyquistIsRemoved()
    {
        // 15 kHz cannot exist at 22.05 kHz: it must not alias down to 7.05 kHz.
        var y = Resampler.Resample(Tone.Sine(15000, 44100, 44100, Amplitude), 44100, 22050);
        Assert.True(Tone.LeakageDb(y, Amplitude, 500) < -100);
        var z = Resampler.Resample(Tone.Sine(11500, 48000, 48000, Amplitude), 48000, 22050);
        Assert.True(Tone.LeakageDb(z, Amplitude, 500) < -100);
    }

    [Fact]
    public void OutputIsZeroPhase()
    {
        // An impulse at input time t comes out centred on output time t · to/from, with a symmetric response:
        // at 44.1 → 22.05 kHz input 2205 is output 1102.5 (midway between two samples), at 44.1 → 88.2 kHz output 4410.
        var x = new float[4410];
        x[2205] = 1;
        var y = Resampler.Resample(x, 44100, 22050);
        int peak = Array.IndexOf(y, y.Max());
        var up = Resampler.Resample(x, 44100, 88200);
        Assert.Equal(4410, Array.IndexOf(up, up.Max()));
        for (int d = 1; d < 200; d++) Assert.Equal(up[4410 - d], up[4410 + d], 1e-6f);
        Assert.InRange(peak, 1102, 1103);
        Assert.Equal(y[1102], y[1103], 1e-6f);
    }

    [Theory]
    [InlineData(0, 44100, 22050, 0)]
    [InlineData(1, 44100, 22050, 1)]
    [InlineData(3, 44100, 22050, 2)]
    [InlineData(44100, 44100, 22050, 22050)]
    [InlineData(44101, 44100, 22050, 22051)]
    [InlineData(10, 16000, 22050, 14)]          // 13.78 → 14
    [InlineData(16000, 16000, 22050, 22050)]
    [InlineData(7, 22050, 48000, 16)]           // 15.24 → 16
    [InlineData(1000, 48000, 22050, 460)]       // 459.375 → 460
    [InlineData(5, 22050, 22050, 5)]
    public void LengthIsTheCeilingOfNTimesToOverFrom(int n, int from, int to, int expected)
    {
        Assert.Equal(expected, Resampler.OutputLength(n, from, to));
        Assert.Equal(expected, Resampler.Resample(new float[n], from, to).Length);
    }

    [Fact]
    public void EqualRatesReturnACopy()
    {
        float[] x = [1, 2, 3];
        var y = Resampler.Resample(x, 22050, 22050);
        Assert.Equal(x, y);
        Assert.NotSame(x, y);
        y[0] = 9;
        Assert.Equal(1, x[0]);
    }

    [Fact]
    public void ConstantSignalKeepsItsLevel()
    {
        var x = Enumerable.Repeat(0.25f, 22050).ToArray();
        foreach (var to in new[] { 8000, 16000, 44100, 48000 })
        {
            var y = Resampler.Resample(x, 22050, to);
            for (int k = 300 * to / 8000; k < y.Length - 300 * to / 8000; k++) Assert.Equal(0.25f, y[k], 2e-6f);
        }
    }

    [Fact]
    public void AwkwardRatiosUseTheInterpolatedGridAndStayAccurate()
    {
        // 44100 → 44101 would need 44101 exact phases; the interpolated grid must still give a clean tone.
        var y = Resampler.Resample(Tone.Sine(1000, 44100, 22050, Amplitude), 44100, 44101);
        Assert.Equal(22051, y.Length);
        double snr = Tone.SnrDb(y, 1000, 44101, Amplitude, 400);
        output.WriteLine($"44100->44101 1 kHz SNR {snr:F1} dB");
        Assert.True(snr > 110, $"SNR {snr} dB");
        var z = Resampler.Resample(Tone.Sine(3000, 44101, 22050, Amplitude), 44101, 16000);
        Assert.True(Tone.SnrDb(z, 3000, 16000, Amplitude, 400) > 110);
    }

    [Fact]
    public void TablesAreCachedPerConversion()
    {
        Assert.Same(Resampler.For(22050, 44100), Resampler.For(22050, 44100));
        Assert.NotSame(Resampler.For(22050, 44100), Resampler.For(22050, 44100, ResamplerQuality.Fast));
        Assert.NotSame(Resampler.For(22050, 44100), Resampler.For(44100, 22050));
    }

    [Fact]
    public void LongInputsSplitOverThreadsGiveTheSameResultAsShortOnes()
    {
        // Blocks of 8192 outputs are computed in parallel; the first second must match a short run exactly.
        var rng = new Random(5);
        var x = new float[44100 * 3];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(rng.NextDouble() - 0.5);
        var all = Resampler.Resample(x, 44100, 22050);
        var part = Resampler.Resample(x.AsSpan(0, 44100), 44100, 22050);
        for (int k = 0; k < 22050 - 200; k++) Assert.Equal(part[k], all[k]);
    }

    [Fact]
    public void BadRatesAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Resampler.Resample([1f], 0, 22050));
        Assert.Throws<ArgumentOutOfRangeException>(() => Resampler.Resample([1f], 22050, -1));
        var e = Assert.Throws<VoxTileException>(() => new Resampler(192000, 1));
        Assert.Equal("cannot resample 192000 Hz to 1 Hz: the ratio is too extreme", e.Message);
    }

    [Fact]
    public void ReportsItsSpeedOnMinutesOfAudio()
    {
        foreach (var (from, to) in new[] { (44100, 22050), (22050, 44100), (48000, 22050), (16000, 22050) })
        {
            var input = Tone.Sine(440, from, from * 60);
            Resampler.Resample(input.AsSpan(0, from), from, to);     // build the table outside the timing
            var sw = Stopwatch.StartNew();
            var y = Resampler.Resample(input, from, to);
            sw.Stop();
            double rate = y.Length / sw.Elapsed.TotalSeconds;
            output.WriteLine($"{from}->{to}: 60 s in {sw.Elapsed.TotalMilliseconds:F0} ms, {rate / 1e6:F1} M output samples/s, " +
                             $"{input.Length / sw.Elapsed.TotalSeconds / 1e6:F1} M input samples/s, {Environment.ProcessorCount} threads");
            // Speed is reported, never asserted: timed tests flake on shared machines.
            Assert.Equal(Resampler.OutputLength(input.Length, from, to), y.Length);
        }
    }

    [Fact]
    public void QualityDescriptionsNameTheFigures()
    {
        Assert.Contains("ripple", Resampler.Quality);
        Assert.Contains("stopband", Resampler.Quality);
        Assert.Equal(Resampler.Quality, Resampler.Describe(ResamplerQuality.High));
        Assert.Contains("0.6 × Nyquist", Resampler.Describe(ResamplerQuality.Fast));
    }
}
