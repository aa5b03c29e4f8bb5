using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR;
using VoxTile.IR.Ops.Conv;
using VoxTile.Lowering.Rules.Decompose;
using VoxTile.Testing;

namespace VoxTile.Lowering.Tests.Rules.Decompose;

public sealed class DecomposeSpectrogramTests
{
    public sealed record Case(int Batch, int Samples, int NFft, int Hop, int Win, int Seed)
    {
        public override string ToString() => $"Case(B {Batch}, N {Samples}, n_fft {NFft}, hop {Hop}, win {Win}, seed {Seed})";
    }

    private static Gen<Case> Cases =>
        from nfft in Gen.Choose(2, 256)
        from hop in Gen.Choose(Math.Max(1, nfft / 8), nfft)
        from win in Gen.Choose(1, nfft)
        from b in Gen.Choose(1, 2)
        from extra in Gen.Choose(0, 3000)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        // At least one window, and more samples than the reflect pad.
        let pad = (nfft - hop) / 2
        select new Case(b, Math.Max(pad + 1, nfft - 2 * pad) + extra, nfft, hop, win, seed);

    [Property(MaxTest = 40)]
    public Property EqualsTheOpOnRandomStfts() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var x = new CaseRng(c.Seed).Uniform(-1, 1, c.Batch, c.Samples);
        var g = RuleCheck.Build("spec", [TensorType.F32(c.Batch, c.Samples)], n => Nn.Spectrogram(n[0], nFft: c.NFft, hop: c.Hop, winLength: c.Win));
        var d = RuleCheck.Apply(g, new DecomposeSpectrogram());
        Assert.False(RuleCheck.Contains(d, "nn.spectrogram"));
        Assert.False(RuleCheck.Contains(d, "nn.pad"), "the reflect pad is slices, flips and a concat");
        Assert.All(d.Nodes.Where(n => n.Op is Conv1d), n => Assert.Equal(c.Hop, ((Conv1d)n.Op).Stride));
        RuleCheck.Close(RuleCheck.Run(d, x), RuleCheck.Run(g, x), 1e-5 * Math.Sqrt(c.NFft), c.ToString());
    });

    [Property(MaxTest = 20)]
    public Property EqualsTheOpOnAlreadyPaddedWindows() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        int samples = Math.Max(c.NFft, c.Samples);
        var x = new CaseRng(c.Seed).Uniform(-1, 1, c.Batch, samples);
        var g = RuleCheck.Build("spec", [TensorType.F32(c.Batch, samples)], n => Nn.Spectrogram(n[0], nFft: c.NFft, hop: c.Hop, winLength: c.Win, padded: false));
        var d = RuleCheck.Apply(g, new DecomposeSpectrogram());
        Assert.False(RuleCheck.Contains(d, "nn.spectrogram"));
        Assert.False(RuleCheck.Contains(d, "nn.flip"), "an already padded window is framed as it is");
        RuleCheck.Close(RuleCheck.Run(d, x), RuleCheck.Run(g, x), 1e-5 * Math.Sqrt(c.NFft), c.ToString());
    });

    [Fact]
    public void DoesNotFireOnASymbolicClip()
    {
        var t = new TensorType(DType.F32, new Shape([Dim.Of(1), Dim.Sym("N")]));
        var g = RuleCheck.Build("spec", [t], n => Nn.Spectrogram(n[0], nFft: 64, hop: 16, winLength: 64));
        Assert.Equal(g.ToString(), RuleCheck.Apply(g, new DecomposeSpectrogram()).ToString());
    }

    [GoldenFact("ops")]
    public void MatchesPyTorchGolden()
    {
        var y = Golden.Load("ops", "stft_y");
        var g = RuleCheck.Build("spec", [TensorType.F32(y.Shape)], n => Nn.Spectrogram(n[0], nFft: 1024, hop: 256, winLength: 1024));
        var d = RuleCheck.Apply(g, new DecomposeSpectrogram());
        Assert.Contains(d.Weights, w => w.Key == "const.dft_re_1024");
        Compare.AssertClose(RuleCheck.Run(d, y), Golden.Load("ops", "stft_spec"), "spectrogram");
    }
}
