using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR;
using VoxTile.Models.Config;
using VoxTile.Testing;
using Xunit.Abstractions;

namespace VoxTile.Models.Tests.Config;

public sealed class ConverterConfigTests(ITestOutputHelper output)
{
    private static readonly string Released = ConverterConfig.ReleasedV2.ToJson();

    /// <summary>The released JSON with one value replaced (or removed, when <paramref name="value"/> is null).</summary>
    private static string Edit(string path, JsonNode? value, bool remove = false)
    {
        var root = JsonNode.Parse(Released)!.AsObject();
        var parts = path.Split('.');
        var obj = parts.Length == 1 ? root : root[parts[0]]!.AsObject();
        if (remove) obj.Remove(parts[^1]); else obj[parts[^1]] = value;
        return root.ToJsonString();
    }

    private static string Refusal(string json)
    {
        var e = Assert.Throws<VoxTileException>(() => ConverterConfig.Parse(json, "test.json"));
        Assert.StartsWith("config test.json: ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }

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

    [Fact]
    public void RoundTripsThroughJson()
    {
        var parsed = ConverterConfig.Parse(Released, "released");
        Assert.Equal(ConverterConfig.ReleasedV2, parsed);
        Assert.Equal(Released, parsed.ToJson());
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
        var json = JsonNode.Parse(Edit("model.zero_g", null, remove: true))!.AsObject();
        json.Remove("_version_");

        var c = ConverterConfig.Parse(json.ToJsonString(), "v1");

        Assert.False(c.ZeroG);
        Assert.Null(c.Version);
        Assert.DoesNotContain("_version_", c.ToJson());
    }

    [Fact]
    public void ExtraKeysAreIgnored()
    {
        var c = ConverterConfig.Parse(Edit("model.contentvec_final_proj", false), "extra");
        Assert.Equal(ConverterConfig.ReleasedV2, c);
    }

    [Theory]
    [InlineData("data.hop_length")]
    [InlineData("model.upsample_rates")]
    [InlineData("model.gin_channels")]
    [InlineData("model.resblock_dilation_sizes")]
    [InlineData("data")]
    public void MissingKeysAreNamed(string key)
    {
        Assert.Equal($"config test.json: missing key '{key}'", Refusal(Edit(key, null, remove: true)));
    }

    [Fact]
    public void WrongTypesAreNamed()
    {
        Assert.Contains("'data.hop_length' must be an integer (found a string)", Refusal(Edit("data.hop_length", "256")));
        Assert.Contains("'model.inter_channels' must be an integer (found the non-integer 192.5)", Refusal(Edit("model.inter_channels", 192.5)));
        Assert.Contains("'model.upsample_rates' must be a list of integers", Refusal(Edit("model.upsample_rates", new JsonArray(8, "8", 2, 2))));
        Assert.Contains("'model.resblock' must be a string", Refusal(Edit("model.resblock", 1)));
        Assert.Contains("'model.zero_g' must be true or false", Refusal(Edit("model.zero_g", "yes")));
        Assert.Contains("'model.resblock_dilation_sizes' must be a list of lists", Refusal(Edit("model.resblock_dilation_sizes", new JsonArray(1, 3, 5))));
        Assert.Contains("not valid JSON", Refusal("{ \"data\": "));
        Assert.Contains("top level must be a JSON object", Refusal("[1, 2]"));
    }

    [Fact]
    public void InconsistentValuesAreRefused()
    {
        Assert.Contains("the product of model.upsample_rates [8,8,2,2] is 256, but data.hop_length is 512", Refusal(Edit("data.hop_length", 512)));
        Assert.Contains("model.upsample_rates has 3 entries but model.upsample_kernel_sizes has 4", Refusal(Edit("model.upsample_rates", new JsonArray(16, 8, 2))));
        Assert.Contains("model.resblock_kernel_sizes has 2 entries but model.resblock_dilation_sizes has 3", Refusal(Edit("model.resblock_kernel_sizes", new JsonArray(3, 7))));
        Assert.Contains("only ResBlock1 (\"1\") is supported", Refusal(Edit("model.resblock", "2")));
        Assert.Contains("data.n_speakers is 10", Refusal(Edit("data.n_speakers", 10)));
        Assert.Contains("must be positive", Refusal(Edit("model.gin_channels", 0)));
        Assert.Contains("3 dilations", Refusal(Edit("model.resblock_dilation_sizes", new JsonArray(new JsonArray(1, 3), new JsonArray(1, 3, 5), new JsonArray(1, 3, 5)))));
    }

    [Fact]
    public void LoadNamesTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"voxtile-missing-{Guid.NewGuid():N}", "config.json");
        var e = Assert.Throws<VoxTileException>(() => ConverterConfig.Load(path));
        Assert.StartsWith($"config {path}: cannot read the file", e.Message);
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
