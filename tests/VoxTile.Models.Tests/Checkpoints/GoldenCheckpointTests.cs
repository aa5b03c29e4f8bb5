using VoxTile.Models.Checkpoints;
using VoxTile.Models.Config;
using VoxTile.Testing;
using Xunit.Abstractions;

namespace VoxTile.Models.Tests.Checkpoints;

/// <summary>The checkpoints PyTorch wrote for the golden cases load, fold and match the shapes their configs imply.</summary>
public sealed class GoldenCheckpointTests(ITestOutputHelper output)
{
    private string? CaseDir(string name)
    {
        var dir = Golden.Case(name);
        if (dir is null) output.WriteLine($"skipped: {Golden.SkipReason}");
        return dir;
    }

    [Theory]
    [InlineData("converter-tiny", 429, 132)]
    [InlineData("converter-small", 486, 151)]
    public void EveryKeyHasTheShapeTheConfigImplies(string name, int storedKeys, int weightNormPairs)
    {
        if (CaseDir(name) is not { } dir) return;
        var config = ConverterConfig.Load(Path.Combine(dir, "config.json"));

        var sd = TorchCheckpoint.Load(Path.Combine(dir, "checkpoint.pth"));

        Assert.Equal(storedKeys - weightNormPairs, sd.Count);
        int c0 = config.UpsampleInitialChannel;
        Assert.Equal([c0, c0 / 2, config.UpsampleKernelSizes[0]], sd.Get("dec.ups.0.weight").Shape);
        var expected = ConverterShapes.Expected(config).ToList();
        foreach (var (key, shape) in expected) sd.Get(key, shape);
        sd.EnsureAllUsed();
        Assert.Equal(expected.Count, sd.Count);
    }

    [Theory]
    [InlineData("converter-tiny", -0.21549849212169647f, 0.012096910737454891f, 0.17951367795467377f, -0.06241179630160332f, 0.09837508201599121f, -0.02445431984961033f)]
    [InlineData("converter-small", 0.1926378309726715f, -0.15536364912986755f, -0.016747592017054558f, -0.05249364674091339f, -0.011124512180685997f, 0.021227192133665085f)]
    public void ValuesMatchWhatPythonReads(string name, float b0, float b1, float b2, float w0, float w1, float w2)
    {
        // Reference values read from the same files with Python's pickle and struct (fold in double, as the spec says).
        if (CaseDir(name) is not { } dir) return;

        var sd = TorchCheckpoint.Load(Path.Combine(dir, "checkpoint.pth"));

        Assert.Equal([b0, b1, b2], sd.Get("enc_q.pre.bias").Data.Take(3));
        var w = sd.Get("dec.ups.0.weight");
        Assert.Equal(w0, w[0, 0, 0], 7);
        Assert.Equal(w1, w[0, 0, 1], 7);
        Assert.Equal(w2, w[0, 0, 2], 7);
    }

    [Fact]
    public void SmallCaseKeepsTheReleasedKeyOrder()
    {
        // converter-small has the released structure, so its keys come in the order of the spec's state-dict listing.
        if (CaseDir("converter-small") is not { } dir) return;
        var tsv = Path.Combine(Golden.Root!, "..", "spec", "state-dicts", "openvoice-v2-converter.tsv");
        if (!File.Exists(tsv)) { output.WriteLine($"skipped: {tsv} not found"); return; }
        var folded = File.ReadLines(tsv).Skip(1).Select(l => l.Split('\t')[0])
            .Where(k => !k.EndsWith(".weight_v", StringComparison.Ordinal))
            .Select(k => k.EndsWith(".weight_g", StringComparison.Ordinal) ? k[..^2] : k);

        var sd = TorchCheckpoint.Load(Path.Combine(dir, "checkpoint.pth"));

        Assert.Equal(folded, sd.Keys);
    }
}
