using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.Models.Config;
using VoxTile.Testing;
using Xunit.Abstractions;

namespace VoxTile.Models.Tests.Config;

/// <summary>MeloTTS's own keys and checks; what it shares with the converter's config is tested in <see cref="ConfigTests{T}"/>.</summary>
public sealed class MeloConfigTests(ITestOutputHelper output) : ConfigTests<MeloConfig>
{
    protected override MeloConfig Released => MeloConfig.ReleasedEnglish;
    protected override MeloConfig Parse(string json, string what) => MeloConfig.Parse(json, what);
    protected override MeloConfig Load(string path) => MeloConfig.Load(path);
    protected override string ToJson(MeloConfig config) => config.ToJson();
    protected override string ReleasedLayoutFile => "melo-released-english.json";

    [Fact]
    public void ReleasedValuesMatchTheSpec()
    {
        var c = MeloConfig.ReleasedEnglish;
        Assert.Equal((44100, 2048, 512, 2048, 256, true), (c.SamplingRate, c.FilterLength, c.HopLength, c.WinLength, c.NSpeakers, c.AddBlank));
        Assert.Equal((192, 192, 768, 2, 6, 3, 3), (c.InterChannels, c.HiddenChannels, c.FilterChannels, c.NHeads, c.NLayers, c.KernelSize, c.NLayersTransFlow));
        Assert.Equal((true, 4, true, 256, 512), (c.UseTransformerFlow, c.NFlowLayer, c.UseSpkConditionedEncoder, c.GinChannels, c.UpsampleInitialChannel));
        Assert.Equal([8, 8, 2, 2, 2], c.UpsampleRates);
        Assert.Equal([16, 16, 8, 2, 2], c.UpsampleKernelSizes);
        Assert.Equal([3, 7, 11], c.ResblockKernelSizes);
        Assert.Equal((219, 16, 8), (c.NVocab, c.NumTones, c.NumLanguages));
        Assert.Null(c.Symbols);
        Assert.Equal(0, c.Speakers["EN-US"]);
        c.Validate("released");
    }

    [Theory]
    [InlineData("tts-tiny", true)]
    [InlineData("tts-tiny-wnflow", false)]
    public void ParsesTheGoldenConfigs(string name, bool transformerFlow)
    {
        if (Golden.Case(name) is not { } dir) { output.WriteLine($"skipped: {Golden.SkipReason}"); return; }

        var c = MeloConfig.Load(Path.Combine(dir, "config.json"));

        Assert.Equal(transformerFlow, c.UseTransformerFlow);
        Assert.Equal((16, 32, 64, 3, 3), (c.InterChannels, c.HiddenChannels, c.FilterChannels, c.NLayers, c.NLayersTransFlow));
        Assert.Equal((40, 8, 3, 4, 32), (c.NVocab, c.NumTones, c.NumLanguages, c.NSpeakers, c.GinChannels));
        Assert.Equal(4, c.NFlowLayer); // absent there: the code default
        Assert.Equal(1, c.Speakers["SPK-1"]);
        Assert.Equal(c, MeloConfig.Parse(c.ToJson(), "written"));
    }

    [Fact]
    public void AbsentKeysTakeMeloTtsCodeDefaults()
    {
        string[] absent = ["model.use_transformer_flow", "model.n_layers_trans_flow", "model.n_flow_layer", "model.use_spk_conditioned_encoder",
            "model.p_dropout", "data.win_length", "data.add_blank", "data.spk2id", "num_tones", "num_languages"];

        var c = MeloConfig.Parse(Edits([.. absent.Select(k => (k, (JsonNode?)null, true))]), "bare");

        Assert.Equal((true, 6, 4, true, true), (c.UseTransformerFlow, c.NLayersTransFlow, c.NFlowLayer, c.UseSpkConditionedEncoder, c.AddBlank));
        Assert.Equal((2048, 16, 8, 219), (c.Window, c.NumTones, c.NumLanguages, c.NVocab));
        Assert.Empty(c.Speakers);
    }

    [Fact]
    public void SymbolsSetTheVocabulary()
    {
        var c = MeloConfig.Parse(Edit("symbols", new JsonArray("_", "a", "b")), "symbols");
        Assert.Equal(3, c.NVocab);
        Assert.Equal(["_", "a", "b"], c.Symbols!);
        Assert.Equal(c, MeloConfig.Parse(c.ToJson(), "written"));
        Assert.NotEqual(c, MeloConfig.Parse(Edit("symbols", new JsonArray("_", "a", "c")), "other"));
    }

    [Theory]
    [InlineData("model.n_heads")]
    [InlineData("model.filter_channels")]
    public void TheTextEncoderKeysAreRequired(string key)
    {
        Assert.Equal($"config test.json: missing key '{key}'", Refusal(Edit(key, null, remove: true)));
    }

    [Fact]
    public void ItsOwnKeysHaveTypes()
    {
        Assert.Contains("'model.use_transformer_flow' must be true or false", Refusal(Edit("model.use_transformer_flow", "no")));
        Assert.Contains("data.win_length (4096) exceeds data.filter_length (2048)", Refusal(Edit("data.win_length", 4096)));
        Assert.Contains("'data.spk2id.EN-US' must be an integer", Refusal(Edit("data.spk2id.EN-US", "0")));
        Assert.Contains("'data.spk2id' must be an object", Refusal(Edit("data.spk2id", new JsonArray(1))));
        Assert.Contains("'symbols' must be a list of strings", Refusal(Edit("symbols", new JsonArray("_", 3))));
        Assert.Contains("'num_tones' must be an integer", Refusal(Edit("num_tones", "16")));
    }

    [Fact]
    public void InconsistentValuesAreRefused()
    {
        Assert.Contains("the product of model.upsample_rates [8,8,2,2,2] is 512, but data.hop_length is 256", Refusal(Edit("data.hop_length", 256)));
        Assert.Contains("model.hidden_channels (192) must split evenly into model.n_heads (5) heads", Refusal(Edit("model.n_heads", 5)));
        Assert.Contains("model.n_layers must exceed 2", Refusal(Edit("model.n_layers", 2)));
        Assert.Contains("model.n_layers_trans_flow must exceed 2", Refusal(Edit("model.n_layers_trans_flow", 2)));
        Assert.Contains("maps 'EN-US' to 300, outside the 256 rows", Refusal(Edit("data.spk2id.EN-US", 300)));
        Assert.Contains("symbols has a duplicate entry ('a')", Refusal(Edit("symbols", new JsonArray("_", "a", "a"))));
        Assert.Contains("upsampling stage 2 has kernel 7 and rate 2", Refusal(Edit("model.upsample_kernel_sizes", new JsonArray(16, 16, 7, 2, 2))));
        Assert.Contains("flow_share_parameter = true is not supported", Refusal(Edit("model.flow_share_parameter", true)));
        Assert.Contains("data.n_speakers must be positive", Refusal(Edit("data.n_speakers", 0)));
    }

    [Fact]
    public void TheWaveNetFlowNeedsNoTransformerDepth()
    {
        var c = MeloConfig.Parse(Edits(("model.n_layers_trans_flow", 1, false), ("model.use_transformer_flow", false, false)), "wn");
        Assert.False(c.UseTransformerFlow);
    }

    [Property(MaxTest = 100)]
    public Property ConsistentConfigsRoundTrip() => Prop.ForAll(
        (from stages in Gen.Choose(1, 5)
         from rates in Gen.ArrayOf(Gen.Choose(1, 8), stages)
         from extra in Gen.Choose(0, 3)
         from inter in Gen.Choose(1, 32)
         from heads in Gen.Choose(1, 4)
         from perHead in Gen.Choose(1, 16)
         from layers in Gen.Choose(3, 8)
         from flow in Gen.Elements(true, false)
         from blank in Gen.Elements(true, false)
         from speakers in Gen.Choose(1, 300)
         select MeloConfig.ReleasedEnglish with
         {
             UpsampleRates = rates,
             UpsampleKernelSizes = rates.Select(r => r + 2 * extra).ToArray(),
             HopLength = rates.Aggregate(1, (a, b) => a * b),
             UpsampleInitialChannel = 1 << (rates.Length + 1),
             InterChannels = 2 * inter,
             HiddenChannels = heads * perHead,
             NHeads = heads,
             NLayers = layers,
             UseTransformerFlow = flow,
             AddBlank = blank,
             NSpeakers = speakers,
             Speakers = new Dictionary<string, int> { ["a"] = 0, ["b"] = speakers - 1 },
         }).ToArbitrary(),
        c => MeloConfig.Parse(c.ToJson(), "generated").Equals(c));
}
