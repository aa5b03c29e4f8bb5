using VoxTile.IR;
using VoxTile.IR.Interp;
using VoxTile.IR.Ops.Conv;
using VoxTile.IR.Ops.Graph;
using VoxTile.Models.Audio;
using Xunit.Abstractions;

namespace VoxTile.Models.Tests.Audio;

/// <summary>
/// The device resampler graph (<see cref="ResampleGraph"/>) evaluated by the reference interpreter equals the host
/// <see cref="Resampler"/> to fp32 rounding, for the ratios the pipelines use, on random unit-amplitude signals of odd
/// lengths, including inputs shorter than the filter.
/// </summary>
public sealed class ResampleGraphTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;

    public static TheoryData<int, int, int> Cases()
    {
        var data = new TheoryData<int, int, int>();
        foreach (var (from, to) in new[] { (44100, 22050), (22050, 44100), (48000, 22050), (24000, 22050) })
            foreach (int n in new[] { 1, 2, 7, 101, 255, 4001, 22051 })
                data.Add(from, to, n);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EqualsTheHostResampler(int from, int to, int n)
    {
        var x = Noise(n, seed: from ^ to ^ n);
        var err = MaxError(x, from, to, ResamplerQuality.High, [1, 1, n]);
        output.WriteLine($"{from} → {to}, {n} samples: max abs err {err:E2}");
        Assert.True(err <= Tolerance, $"{from} → {to}, {n} samples: max abs error {err:E3}");
    }

    [Theory]
    [InlineData(44100, 22050, 3001)]
    [InlineData(48000, 22050, 3001)]
    public void EqualsTheHostResamplerAtFastQuality(int from, int to, int n)
    {
        var err = MaxError(Noise(n, seed: 5), from, to, ResamplerQuality.Fast, [1, 1, n]);
        output.WriteLine($"fast {from} → {to}, {n} samples: max abs err {err:E2}");
        Assert.True(err <= Tolerance, $"max abs error {err:E3}");
    }

    [Fact]
    public void TakesAClipAndABatch()
    {
        var x = Noise(2 * 999, seed: 9);
        Assert.True(MaxError(x.AsSpan(0, 999).ToArray(), 44100, 22050, ResamplerQuality.High, [1, 999]) <= Tolerance);
        // Two clips in a batch: each its own resampling.
        var input = Input.Create("samples", TensorType.F32(2, 1, 999));
        var y = Interpreter.Run(Graph.Create("resample", [input], [ResampleGraph.Build(input, 22050, 44100)]), [new Tensor([2, 1, 999], x)])[0];
        Assert.Equal([2, 1, 1998], y.Shape);
        for (int i = 0; i < 2; i++)
        {
            var expected = Resampler.Resample(x.AsSpan(i * 999, 999), 22050, 44100);
            var actual = y.Data.AsSpan(i * 1998, 1998);
            for (int k = 0; k < expected.Length; k++) Assert.True(Math.Abs(actual[k] - expected[k]) <= Tolerance, $"clip {i}, sample {k}");
        }
    }

    /// <summary>44.1 → 22.05 kHz is L = 1, M = 2: the zero padding and one stride-2 conv1d over whole frames, no interleave.</summary>
    [Fact]
    public void HalvingIsOneStridedConv()
    {
        var input = Input.Create("samples", TensorType.F32(1, 1, 220500));
        var y = ResampleGraph.Build(input, 44100, 22050);
        var g = Graph.Create("resample", [input], [y]);
        Assert.Equal([1, 1, 110250], y.Shape.ToArray());
        var conv = Assert.Single(g.Nodes, n => n.Op is Conv1d);
        Assert.Equal(2, ((Conv1d)conv.Op).Stride);
        Assert.Equal(1, conv.Inputs[1].Shape[0].Value);
        Assert.Equal(0, conv.Inputs[1].Shape[2].Value % 2);
        Assert.Equal(["nn.concat", "nn.conv1d", "nn.reshape", "weight"], g.Nodes.Select(n => n.Op.Name).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(0, conv.Inputs[0].Shape[2].Value % 2);
        output.WriteLine($"kernel {conv.Inputs[1].Shape}, padded input {conv.Inputs[0].Shape}");
    }

    [Fact]
    public void EqualRatesAreTheInput()
    {
        var input = Input.Create("samples", TensorType.F32(1, 5));
        var y = ResampleGraph.Build(input, 22050, 22050);
        Assert.Equal([1, 1, 5], y.Shape.ToArray());
        Assert.DoesNotContain(Graph.Create("resample", [input], [y]).Nodes, n => n.Op is Conv1d);
    }

    /// <summary>The table's own formula reproduces the host, so what the graph is built from is what the host computes.</summary>
    [Theory]
    [InlineData(44100, 22050)]
    [InlineData(48000, 22050)]
    [InlineData(16000, 22050)]
    public void TheExactTableIsWhatTheHostComputes(int from, int to)
    {
        var t = Resampler.ExactTable(from, to)!;
        Assert.Equal(t.Up * t.Taps, t.Rows.Length);
        var x = Noise(3001, seed: 3);
        var y = Resampler.Resample(x, from, to);
        double err = 0;
        for (int k = 0; k < y.Length; k++)
        {
            long km = (long)k * t.Down;
            var row = t.Row((int)(km % t.Up));
            long b = km / t.Up - t.Left;
            double sum = 0;
            for (int m = 0; m < t.Taps; m++)
                if (b + m >= 0 && b + m < x.Length) sum += row[m] * (double)x[b + m];
            err = Math.Max(err, Math.Abs(sum - y[k]));
        }
        output.WriteLine($"{from} → {to}: L {t.Up}, M {t.Down}, {t.Taps} taps, left {t.Left}, max abs err {err:E2}");
        Assert.True(err <= Tolerance, $"max abs error {err:E3}");
    }

    [Fact]
    public void ARatioWithoutAnExactTableIsRefused()
    {
        Assert.Null(Resampler.ExactTable(44100, 44101));
        var input = Input.Create("samples", TensorType.F32(1, 1, 100));
        var e = Assert.Throws<VoxTileException>(() => ResampleGraph.Build(input, 44100, 44101));
        Assert.Contains("exact polyphase table", e.Message);
        Assert.Contains("44101/44100", e.Message);
    }

    private static double MaxError(float[] x, int from, int to, ResamplerQuality quality, int[] shape)
    {
        var input = Input.Create("samples", TensorType.F32(shape));
        var g = Graph.Create("resample", [input], [ResampleGraph.Build(input, from, to, quality)]);
        var y = Interpreter.Run(g, [new Tensor(shape, x)])[0];
        var expected = Resampler.Resample(x, from, to, quality);
        Assert.Equal([1, 1, expected.Length], y.Shape);
        double err = 0;
        for (int k = 0; k < expected.Length; k++) err = Math.Max(err, Math.Abs(y.Data[k] - expected[k]));
        return err;
    }

    private static float[] Noise(int n, int seed)
    {
        var rng = new Random(seed);
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }
}
