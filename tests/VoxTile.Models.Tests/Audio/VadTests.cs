using VoxTile.IR;
using VoxTile.Models.Audio;

namespace VoxTile.Models.Tests.Audio;

public sealed class VadTests
{
    private const int Rate = 16000;

    // Speech-like: a 140 Hz voiced source with decaying harmonics to 4 kHz, syllable-rate (4 Hz) amplitude
    // modulation that dips close to silence between syllables, plus some breath noise.
    private static void Burst(float[] x, double start, double seconds, double level, Random rng)
    {
        int a = (int)(start * Rate), b = (int)((start + seconds) * Rate);
        for (int n = a; n < b; n++)
        {
            double t = (double)(n - a) / Rate;
            double v = 0;
            for (int h = 1; 140 * h < 4000; h++) v += Math.Sin(2 * Math.PI * 140 * h * t + h) / h;
            double syllable = 0.55 - 0.45 * Math.Cos(2 * Math.PI * 4 * t);
            x[n] += (float)(level * syllable * (0.4 * v + 0.05 * (rng.NextDouble() - 0.5)));
        }
    }

    private static float[] Noise(double seconds, double level, Random rng)
    {
        var x = new float[(int)(seconds * Rate)];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(level * (rng.NextDouble() - 0.5) * 3.46);  // rms = level
        return x;
    }

    private static void AssertNear(double expectedSeconds, int sample, double tolerance = 0.08) =>
        Assert.InRange((double)sample / Rate, expectedSeconds - tolerance, expectedSeconds + tolerance);

    [Fact]
    public void FindsBurstsSeparatedBySilence()
    {
        var rng = new Random(1);
        var x = Noise(8, 0.0005, rng);            // about −66 dBFS of background
        Burst(x, 1.0, 2.0, 0.5, rng);
        Burst(x, 5.0, 1.5, 0.3, rng);
        var s = new Vad().Segments(x, Rate);
        Assert.Equal(2, s.Count);
        AssertNear(1.0, s[0].Start);
        AssertNear(3.0, s[0].End);
        AssertNear(5.0, s[1].Start);
        AssertNear(6.5, s[1].End);
    }

    [Fact]
    public void WorksAboveALoudNoiseFloor()
    {
        var rng = new Random(2);
        var x = Noise(7, 0.01, rng);              // −40 dBFS of hiss, speech about 20 dB above it
        Burst(x, 0.5, 2.0, 0.15, rng);
        Burst(x, 4.5, 2.0, 0.15, rng);
        var s = new Vad().Segments(x, Rate);
        Assert.Equal(2, s.Count);
        AssertNear(0.5, s[0].Start, 0.12);
        AssertNear(2.5, s[0].End, 0.12);
        AssertNear(4.5, s[1].Start, 0.12);
        AssertNear(6.5, s[1].End, 0.12);
    }

    [Fact]
    public void PausesShorterThanTheMinimumSilenceDoNotSplit()
    {
        var rng = new Random(3);
        var x = Noise(6, 0.0005, rng);
        Burst(x, 1.0, 1.5, 0.5, rng);
        Burst(x, 3.2, 1.5, 0.5, rng);            // a 0.7 s pause
        var s = new Vad().Segments(x, Rate);
        Assert.Single(s);
        AssertNear(1.0, s[0].Start);
        AssertNear(4.7, s[0].End);
        // With a shorter minimum silence the pause splits the speech in two.
        Assert.Equal(2, new Vad { MinSilenceSeconds = 0.5 }.Segments(x, Rate).Count);
    }

    [Fact]
    public void ClicksShorterThanTheMinimumSpeechAreDropped()
    {
        var rng = new Random(4);
        var x = Noise(6, 0.0005, rng);
        Burst(x, 1.0, 0.04, 0.8, rng);           // a 40 ms click
        Burst(x, 3.0, 0.5, 0.5, rng);
        var s = new Vad().Segments(x, Rate);
        Assert.Single(s);
        AssertNear(3.0, s[0].Start);
    }

    [Fact]
    public void TrimSilenceJoinsTheSegments()
    {
        var rng = new Random(5);
        var x = Noise(8, 0.0005, rng);
        Burst(x, 1.0, 2.0, 0.5, rng);
        Burst(x, 5.0, 1.5, 0.3, rng);
        var vad = new Vad();
        var s = vad.Segments(x, Rate);
        var y = vad.TrimSilence(x, Rate);
        Assert.Equal(s.Sum(r => r.End - r.Start), y.Length);
        Assert.Equal(x[s[0].Start..s[0].End], y[..(s[0].End - s[0].Start)]);
        Assert.Equal(x[s[1].Start..s[1].End], y[(s[0].End - s[0].Start)..]);
        Assert.InRange(y.Length / (double)Rate, 3.5, 3.9);   // 3.5 s of speech plus padding
    }

    [Fact]
    public void SegmentsAreSortedDisjointAndPadded()
    {
        var rng = new Random(6);
        var x = Noise(10, 0.0005, rng);
        for (int i = 0; i < 4; i++) Burst(x, 0.3 + 2.4 * i, 1.0, 0.4, rng);
        var s = new Vad().Segments(x, Rate);
        Assert.Equal(4, s.Count);
        for (int i = 0; i < s.Count; i++)
        {
            Assert.True(s[i].Start < s[i].End);
            if (i > 0) Assert.True(s[i - 1].End < s[i].Start);
            Assert.True(s[i].Start <= (int)((0.3 + 2.4 * i) * Rate));          // the padding reaches before the onset
        }
    }

    [Fact]
    public void ContinuousSpeechIsOneSegment()
    {
        var rng = new Random(7);
        var x = new float[3 * Rate];
        Burst(x, 0, 3, 0.5, rng);
        var s = new Vad().Segments(x, Rate);
        Assert.Single(s);
        Assert.True(s[0].Start < Rate / 10 && s[0].End > x.Length - Rate / 10);
    }

    [Fact]
    public void NoSpeechIsAUserError()
    {
        var rng = new Random(8);
        var quiet = Noise(3, 0.0002, rng);
        Assert.Empty(new Vad().Segments(quiet, Rate));
        var e = Assert.Throws<VoxTileException>(() => new Vad().TrimSilence(quiet, Rate, "reference.wav"));
        Assert.Equal("reference.wav: no speech found by --vad", e.Message);
        Assert.Throws<VoxTileException>(() => new Vad().TrimSilence(new float[Rate], Rate));
        Assert.Throws<VoxTileException>(() => new Vad().TrimSilence([], Rate));
    }

    [Fact]
    public void WorksAtOtherRatesAndForTinyInputs()
    {
        var rng = new Random(9);
        var x = Noise(6, 0.0005, rng);
        Burst(x, 2.0, 1.0, 0.5, rng);
        // The same audio resampled to 22.05 kHz gives the same segment, in that rate's samples.
        var y = Resampler.Resample(x, Rate, 22050);
        var s = new Vad().Segments(y, 22050);
        Assert.Single(s);
        Assert.InRange(s[0].Start / 22050.0, 1.92, 2.0);
        Assert.Empty(new Vad().Segments([0.5f], Rate));                       // shorter than the minimum speech
        Assert.Throws<ArgumentOutOfRangeException>(() => new Vad().Segments(x, 0));
    }
}
