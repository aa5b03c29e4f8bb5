using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR.Ops.Audio;
using VoxTile.IR.Tests.Support;
using Xunit.Abstractions;

namespace VoxTile.IR.Tests.Ops.Audio;

public sealed class SpectrogramTests(ITestOutputHelper output)
{
    public sealed record Case(int Batch, int NFft, int Hop, int WinLength, int Samples, int Seed);

    internal static Gen<Case> Cases =>
        from nfft in Gen.Choose(2, 64)
        from hop in Gen.Choose(1, nfft)
        from win in Gen.Frequency((2, Gen.Constant(nfft)), (1, Gen.Choose(1, nfft)))
        let pad = (nfft - hop) / 2
        from extra in Gen.Choose(0, 3 * hop)
        from batch in Gen.Choose(1, 2)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select new Case(batch, nfft, hop, win, Math.Max(pad + 1, nfft - 2 * pad) + extra, seed);

    /// <summary>
    /// spectrogram_torch with center = False, from the definition: reflect-pad (n_fft − hop)/2 each side, periodic Hann
    /// window of win_length centred in n_fft, X[f,t] = Σₙ ypad[t·hop + n]·w[n]·e^(−2πi·f·n/n_fft), |X| = √(Re² + Im² + 1e-6).
    /// </summary>
    internal static double[] Naive(Tensor y, int nfft, int hop, int win, out int[] shape)
    {
        int b = y.Shape[0], n = y.Shape[1], pad = (nfft - hop) / 2, bins = nfft / 2 + 1;
        int frames = (n + 2 * pad - nfft) / hop + 1;
        shape = [b, bins, frames];
        var window = new double[nfft];
        int left = (nfft - win) / 2;
        for (int i = 0; i < win; i++) window[left + i] = 0.5 - 0.5 * Math.Cos(2 * Math.PI * i / win);
        var result = new double[b * bins * frames];
        for (int bi = 0; bi < b; bi++)
        {
            double Padded(int i)
            {
                int at = i - pad;
                if (at < 0) at = -at;
                if (at >= n) at = 2 * (n - 1) - at;
                return y.Data[bi * n + at];
            }
            for (int t = 0; t < frames; t++)
                for (int f = 0; f < bins; f++)
                {
                    double re = 0, im = 0;
                    for (int k = 0; k < nfft; k++)
                    {
                        double v = Padded(t * hop + k) * window[k];
                        re += v * Math.Cos(2 * Math.PI * f * k / nfft);
                        im -= v * Math.Sin(2 * Math.PI * f * k / nfft);
                    }
                    result[(bi * bins + f) * frames + t] = Math.Sqrt(re * re + im * im + 1e-6);
                }
        }
        return result;
    }

    [Property(MaxTest = 60)]
    public Property MatchesNaiveDft() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var y = new Rng(c.Seed).Uniform(-1, 1, c.Batch, c.Samples);
        var s = OneNode.Run(n => Nn.Spectrogram(n[0], nFft: c.NFft, hop: c.Hop, winLength: c.WinLength), y);
        Near.Tensor(s, [c.Batch, c.NFft / 2 + 1, (c.Samples + 2 * ((c.NFft - c.Hop) / 2) - c.NFft) / c.Hop + 1], Naive(y, c.NFft, c.Hop, c.WinLength, out _), 1e-5, c.ToString());
    });

    /// <summary>
    /// With n_fft = 4·hop (OpenVoice's 1024/256) the frame count is ⌊N/hop⌋ for an even hop (an odd one pads ⌊3·hop/2⌋
    /// each side, as int((n_fft − hop)/2) does in PyTorch, and gives ⌊(N − 1)/hop⌋).
    /// </summary>
    [Property(MaxTest = 100)]
    public Property FramesAreSamplesOverHop() => Prop.ForAll(Gen.Choose(1, 32).Select(k => 2 * k).ToArbitrary(), Gen.Choose(0, 4096).ToArbitrary(), (hop, extra) =>
    {
        var op = new Spectrogram { NFft = 4 * hop, Hop = hop, WinLength = 4 * hop };
        int samples = 3 * hop / 2 + 1 + extra; // past the reflect pad of 1.5·hop
        var r = BadType.NeverThrows(op, TensorType.F32(1, samples));
        Assert.True(r.Ok, r.Error);
        Assert.Equal(Dim.Of(samples / hop), r.Type!.Shape[2]);
        Assert.Equal(samples / hop, op.Frames(samples));
    });

    /// <summary>
    /// A window cut from the reflect-padded clip and framed unpadded gives the clip's own frames: frames [a, a + k) of
    /// the clip are the unpadded spectrogram of padded samples [a·hop, (a + k − 1)·hop + n_fft).
    /// </summary>
    [Property(MaxTest = 40)]
    public Property AnAlreadyPaddedWindowGivesTheClipsFrames() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var y = new Rng(c.Seed).Uniform(-1, 1, 1, c.Samples);
        var whole = OneNode.Run(n => Nn.Spectrogram(n[0], nFft: c.NFft, hop: c.Hop, winLength: c.WinLength), y);
        int pad = (c.NFft - c.Hop) / 2, frames = whole.Shape[2], bins = c.NFft / 2 + 1;
        var padded = new float[c.Samples + 2 * pad];
        for (int i = 0; i < padded.Length; i++)
        {
            int at = Math.Abs(i - pad);
            if (at >= c.Samples) at = 2 * (c.Samples - 1) - at;
            padded[i] = y.Data[at];
        }
        int first = frames / 3, count = frames - first;
        var window = new Tensor([1, (count - 1) * c.Hop + c.NFft], padded.AsSpan(first * c.Hop, (count - 1) * c.Hop + c.NFft).ToArray());
        var part = OneNode.Run(n => Nn.Spectrogram(n[0], nFft: c.NFft, hop: c.Hop, winLength: c.WinLength, padded: false), window);
        Assert.Equal([1, bins, count], part.Shape);
        for (int f = 0; f < bins; f++)
            for (int t = 0; t < count; t++)
                Assert.Equal(whole.Data[f * frames + first + t], part.Data[f * count + t]);
    });

    [Fact]
    public void OneSecondAt22kHzGives86Frames()
    {
        var r = BadType.NeverThrows(new Spectrogram(), TensorType.F32(1, 22050));
        Assert.Equal(new Shape(1, 513, 86), r.Type!.Shape);
    }

    [Fact]
    public void RejectsBadOperands()
    {
        Assert.Contains("[B, N]", BadType.Expect(new Spectrogram(), TensorType.F32(4096)));
        Assert.Contains("win_length", BadType.Expect(new Spectrogram { NFft = 512, WinLength = 1024 }, TensorType.F32(1, 4096)));
        BadType.Expect(new Spectrogram { Hop = 0 }, TensorType.F32(1, 4096));
        BadType.Expect(new Spectrogram { NFft = 1, Hop = 1, WinLength = 1 }, TensorType.F32(1, 4096));
        Assert.Contains("shorter", BadType.Expect(new Spectrogram(), TensorType.F32(1, 384)));
    }

    /// <summary>
    /// A hop over a third of n_fft leaves a reflect pad shorter than the hop: a clip longer than the pad can still be
    /// shorter than one window, and must fail at inference rather than read past the padded samples.
    /// </summary>
    [Fact]
    public void AClipShorterThanOneWindowFailsForAnyHop()
    {
        Assert.Contains("shorter", BadType.Expect(new Spectrogram { NFft = 8, Hop = 6, WinLength = 8 }, TensorType.F32(1, 2)));
        Assert.Contains("shorter", BadType.Expect(new Spectrogram { NFft = 16, Hop = 16, WinLength = 16 }, TensorType.F32(1, 15)));
    }

    [Fact]
    public void MatchesPyTorchGolden()
    {
        if (!GoldenOps.Available(output)) return;
        var s = OneNode.Run(n => Nn.Spectrogram(n[0], nFft: 1024, hop: 256, winLength: 1024), GoldenOps.Load("stft_y"));
        GoldenOps.AssertClose(s, GoldenOps.Load("stft_spec"), "spectrogram (1024/256)", output);
    }
}
