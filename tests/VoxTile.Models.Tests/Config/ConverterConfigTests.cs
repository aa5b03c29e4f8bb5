using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.Models.Config;
using VoxTile.Testing;
using Xunit.Abstractions;

namespace VoxTile.Models.Tests.Config;

/// <summary>The converter's own keys and checks; what it shares with MeloTTS's config is tested in <see cref="ConfigTests{T}"/>.</summary>
public sealed class ConverterConfigTests(ITestOutputHelper output) : ConfigTests<ConverterConfig>
{
    protected override ConverterConfig Released => ConverterConfig.ReleasedV2;
    protected override ConverterConfig Parse(string json, string what) => ConverterConfig.Parse(json, what);
    protected override ConverterConfig Load(string path) => ConverterConfig.Load(path);
    protected override string ToJson(ConverterConfig config) => config.ToJson();
    protected override string ReleasedLayoutFile => "converter-released-v2.json";

    [Fact]
    public void ReleasedValuesMatchTheSpec()
    {
        var c = ConverterConfig.ReleasedV2;
        Assert.Equal((22050, 1024, 256, 1024, 0), (c.SamplingRate, c.FilterLength, c.HopLength, c.WinLength, c.NSpeakers));
        Assert.Equal((192, 192, 512, 256, "1", true, "v2"), (c.InterChannels, c.HiddenChannels, c.UpsampleInitialChannel, c.GinChannels, c.Resblock, c.ZeroG, c.Version));
        Assert.Equal([3, 7, 11], c.ResblockKernelSizes);
        Assert.All(c.ResblockDilationSizes, d => Assert.Equal([1, 3, 5], d));
        Assert.Equal([8, 8, 2, 2], c.UpsampleRates);
        Assert.Equal([16, 16, 4, 4], c.UpsampleKernelSizes);
        Assert.Equal(513, c.SpecChannels);
        c.Validate("released");
    }

    [Theory]
    [InlineData("converter-tiny")]
    [InlineData("converter-small")]
    public void ParsesTheGoldenConfigsAndWritesThemBackInTheSameLayout(string name)
    {
        if (Golden.Case(name) is not { } dir) { output.WriteLine($"skipped: {Golden.SkipReason}"); return; }
        var path = Path.Combine(dir, "config.json");

        var c = ConverterConfig.Load(path);

        Assert.True(c.ZeroG);
        Assert.Equal("v2", c.Version);
        Assert.Equal(c.HopLength, c.UpsampleRates.Aggregate(1, (a, b) => a * b));
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n").TrimEnd(), c.ToJson().ReplaceLineEndings("\n").TrimEnd());
    }

    [Fact]
    public void ZeroGDefaultsToFalseAndVersionToNull()
    {
        var c = ConverterConfig.Parse(Edits(("model.zero_g", null, true), ("_version_", null, true)), "v1");

        Assert.False(c.ZeroG);
        Assert.Null(c.Version);
        Assert.DoesNotContain("_version_", c.ToJson());
    }

    [Fact]
    public void TheTextEncoderKeysAreOptional()
    {
        var c = ConverterConfig.Parse(Edits(("model.filter_channels", null, true), ("model.p_dropout", null, true)), "bare");
        Assert.Equal((768, 0.1), (c.FilterChannels, c.PDropout));
        Assert.Equal("config test.json: missing key 'data.win_length'", Refusal(Edit("data.win_length", null, remove: true)));
    }

    [Fact]
    public void ItsOwnKeysAreChecked()
    {
        Assert.Contains("'model.zero_g' must be true or false", Refusal(Edit("model.zero_g", "yes")));
        Assert.Contains("the product of model.upsample_rates [8,8,2,2] is 256, but data.hop_length is 512", Refusal(Edit("data.hop_length", 512)));
        Assert.Contains("model.upsample_rates has 3 entries but model.upsample_kernel_sizes has 4", Refusal(Edit("model.upsample_rates", new JsonArray(16, 8, 2))));
        Assert.Contains("data.n_speakers is 10, but the tone color converter has no speaker table", Refusal(Edit("data.n_speakers", 10)));
        Assert.Contains("data.win_length (2048) exceeds data.filter_length (1024)", Refusal(Edit("data.win_length", 2048)));
        Assert.Contains("data.win_length must be positive (found 0)", Refusal(Edit("data.win_length", 0)));
    }

    [Property(MaxTest = 100)]
    public Property ConsistentConfigsRoundTrip() => Prop.ForAll(
        (from stages in Gen.Choose(1, 4)
         from rates in Gen.ArrayOf(Gen.Choose(1, 8), stages)
         from extra in Gen.Choose(0, 4)
         from inter in Gen.Choose(1, 64)
         from hidden in Gen.Choose(1, 64)
         from gin in Gen.Choose(1, 300)
         from zeroG in Gen.Elements(true, false)
         from nfft in Gen.Choose(4, 2048)
         select ConverterConfig.ReleasedV2 with
         {
             UpsampleRates = rates,
             UpsampleKernelSizes = rates.Select(r => 2 * r + extra).ToArray(),
             HopLength = rates.Aggregate(1, (a, b) => a * b),
             UpsampleInitialChannel = 1 << (rates.Length + 1),
             InterChannels = 2 * inter,
             HiddenChannels = hidden,
             GinChannels = gin,
             ZeroG = zeroG,
             FilterLength = nfft,
             WinLength = nfft,
         }).ToArbitrary(),
        c => ConverterConfig.Parse(c.ToJson(), "generated").Equals(c));
}
