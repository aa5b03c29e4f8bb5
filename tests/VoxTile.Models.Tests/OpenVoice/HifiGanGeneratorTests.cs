using VoxTile.IR;
using VoxTile.IR.Interp;
using VoxTile.IR.Ops.Graph;
using VoxTile.Models.MeloTTS;
using VoxTile.Models.OpenVoice;
using VoxTile.Models.Parameters;
using Xunit.Abstractions;

namespace VoxTile.Models.Tests.OpenVoice;

/// <summary>
/// The masked HiFi-GAN decoder both models share: its sample masks are the frame mask repeated, and on a bucket
/// longer than the utterance it gives the exact-length run's samples (the golden tests cover a mask of ones).
/// </summary>
public sealed class HifiGanGeneratorTests(ITestOutputHelper output)
{
    private static float[] Eval(Node result, params (Node Input, Tensor Value)[] inputs) =>
        Interpreter.Run(Graph.Create("t", [.. inputs.Select(i => i.Input)], [result]), [.. inputs.Select(i => i.Value)])[0].Data;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(8)]
    [InlineData(64)]
    [InlineData(256)]
    public void ASampleIsRealExactlyWhenItsFrameIs(int scale)
    {
        const int frames = 37;
        var rng = new Random(scale);
        var mask = new Tensor([1, 1, frames]);
        for (int f = 0; f < frames; f++) mask.Data[f] = rng.Next(3) == 0 ? 0 : 1;
        var m = Input.Create("m", TensorType.F32(1, 1, frames));
        var repeated = Eval(HifiGanGenerator.RepeatFrames(m, scale), (m, mask));
        Assert.Equal(frames * scale, repeated.Length);
        for (int n = 0; n < repeated.Length; n++) Assert.Equal(mask.Data[n / scale], repeated[n]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(23)]
    [InlineData(40)]
    public void ThePrefixMaskOfARepeatIsTheIndexComparison(int length)
    {
        // MeloTTS's trim mask: the first length·hop samples, now a repeated frame mask; before, arange(L) < length·hop.
        const int frames = 40, hop = 512;
        var len = Input.Create("len", TensorType.F32(1, 1, 1));
        var like = Input.Create("audio", TensorType.F32(1, 1, frames * hop));
        var value = new Tensor([1, 1, 1], [length]);
        var mask = Eval(MeloLayers.PrefixMask(len, hop, like), (len, value));
        var byIndex = Eval(Nn.Less(Nn.Reshape(Nn.Arange(frames * hop), [1, 1, frames * hop]), Nn.Scale(len, factor: hop)), (len, value));
        Assert.Equal(byIndex, mask);
        Assert.Equal(length * hop, (int)mask.Sum());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ABucketGivesTheExactLengthSamples(bool maskPerProduct)
    {
        const int inter = 8, gin = 8, real = 19, bucket = 32;
        int[] rates = [4, 2];
        int hop = rates.Aggregate(1, (a, b) => a * b);
        var dec = Decoder(rates, maskPerProduct);
        var rng = new Random(3);
        Tensor Random(params int[] shape)
        {
            var t = new Tensor(shape);
            for (int i = 0; i < t.Length; i++) t.Data[i] = (float)(rng.NextDouble() * 2 - 1);
            return t;
        }
        var g = Random(1, gin, 1);
        var zBucket = Random(1, inter, bucket); // anything past the end: the decoder masks it
        var zReal = new Tensor([1, inter, real]);
        for (int c = 0; c < inter; c++) Array.Copy(zBucket.Data, c * bucket, zReal.Data, c * real, real);

        float[] Decode(Tensor z, Tensor frameMask)
        {
            int f = z.Shape[2];
            var zi = Input.Create("z", TensorType.F32(1, inter, f));
            var gi = Input.Create("g", TensorType.F32(1, gin, 1));
            var mi = Input.Create("mask", TensorType.F32(1, 1, f));
            return Eval(dec.Build(zi, gi, mi), (zi, z), (gi, g), (mi, frameMask));
        }
        var ones = new Tensor([1, 1, real]);
        Array.Fill(ones.Data, 1f);
        var prefix = new Tensor([1, 1, bucket]);
        Array.Fill(prefix.Data, 1f, 0, real);
        var all = new Tensor([1, 1, bucket]);
        Array.Fill(all.Data, 1f);

        var exact = Decode(zReal, ones);
        var masked = Decode(zBucket, prefix);
        var unmasked = Decode(zBucket, all); // the padded frames taken as real: their biases reach the last samples
        double Diff(float[] a) => Enumerable.Range(0, exact.Length).Max(i => Math.Abs(a[i] - exact[i]));
        output.WriteLine($"{real} frames in a bucket of {bucket}: max |masked − exact| {Diff(masked):E2}, max |unmasked − exact| {Diff(unmasked):E2}");
        Assert.Equal(real * hop, exact.Length);
        Assert.True(Diff(masked) <= 1e-6, $"masked bucket differs by {Diff(masked)}");
        Assert.True(Diff(unmasked) > 1e-3, "the padded frames should reach an unmasked decoder's last samples");
    }

    [Fact]
    public void MasksBuiltPerProductGiveTheSharedMasksValues()
    {
        // MeloTTS builds every product's repeated mask afresh (less L1 held on a card); the values must not change.
        const int inter = 8, gin = 8, frames = 24, real = 13;
        int[] rates = [4, 2];
        var rng = new Random(5);
        var z = new Tensor([1, inter, frames]);
        for (int i = 0; i < z.Length; i++) z.Data[i] = (float)(rng.NextDouble() * 2 - 1);
        var g = new Tensor([1, gin, 1]);
        for (int i = 0; i < g.Length; i++) g.Data[i] = (float)(rng.NextDouble() * 2 - 1);
        var mask = new Tensor([1, 1, frames]);
        Array.Fill(mask.Data, 1f, 0, real);
        float[] Decode(bool perProduct)
        {
            var zi = Input.Create("z", TensorType.F32(1, inter, frames));
            var gi = Input.Create("g", TensorType.F32(1, gin, 1));
            var mi = Input.Create("mask", TensorType.F32(1, 1, frames));
            return Eval(Decoder(rates, perProduct).Build(zi, gi, mi), (zi, z), (gi, g), (mi, mask));
        }
        var shared = Decode(false);
        var perProduct = Decode(true);
        Assert.Equal(shared, perProduct);
        Assert.Contains(shared, v => v != 0);
    }

    [Fact]
    public void FrameViewMasksGiveThePerSampleMasksValues()
    {
        // On Tenstorrent targets MeloTTS masks stages of 32·k samples per frame as [B, C, F, s] × [B, 1, F, 1] and masks
        // each stage's input once more; no sample of the output may change, in either item of a batch.
        const int inter = 8, gin = 8, frames = 12, batch = 2;
        int[] rates = [8, 4]; // 8 samples per frame (per-sample masks), then 32 (frame views)
        var rng = new Random(9);
        Tensor Random(params int[] shape)
        {
            var t = new Tensor(shape);
            for (int i = 0; i < t.Length; i++) t.Data[i] = (float)(rng.NextDouble() * 2 - 1);
            return t;
        }
        var z = Random(batch, inter, frames);
        var g = Random(batch, gin, 1);
        var mask = new Tensor([batch, 1, frames]);
        Array.Fill(mask.Data, 1f, 0, 7);
        Array.Fill(mask.Data, 1f, frames, frames);
        int frameViews = 0;
        float[] Decode(HifiGanGenerator dec)
        {
            var zi = Input.Create("z", TensorType.F32(batch, inter, frames));
            var gi = Input.Create("g", TensorType.F32(batch, gin, 1));
            var mi = Input.Create("mask", TensorType.F32(batch, 1, frames));
            var audio = dec.Build(zi, gi, mi);
            frameViews = Graph.Create("t", [zi, gi, mi], [audio]).Nodes.Count(n => n.Op is VoxTile.IR.Ops.Movement.Reshape && n.Shape.Rank == 4 && n.Shape[-1].Value == 32);
            return Eval(audio, (zi, z), (gi, g), (mi, mask));
        }
        var perSample = Decode(Decoder(rates, true));
        Assert.Equal(0, frameViews);
        var views = Decode(new HifiGanGenerator(new WeightNodes(new RandomParameters(17)), "dec", 8, 32, rates, [8, 4], [3, 5], [[1, 3], [1, 3, 5]], 8,
            maskPerProduct: true, frameViews: true));
        Assert.True(frameViews > 0, "the second stage should mask through frame views");
        Assert.Equal(perSample, views);
        Assert.Contains(views, v => v != 0);
    }

    private static HifiGanGenerator Decoder(int[] rates, bool maskPerProduct) =>
        new(new WeightNodes(new RandomParameters(17)), "dec", 8, 32, rates, [8, 4], [3, 5], [[1, 3], [1, 3, 5]], 8, maskPerProduct);
}
