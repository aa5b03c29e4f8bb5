using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using VoxTile.IR;

namespace VoxTile.Models.Tests.Config;

/// <summary>
/// What both config types do alike, tested for each: they read, check, write back and compare the VITS data section's
/// STFT keys and the HiFi-GAN decoder keys of the model section the same way. A derived class names its config type and
/// released config; the tests only that type has stay there.
/// </summary>
public abstract class ConfigTests<T> where T : class, IEquatable<T>
{
    protected abstract T Released { get; }
    protected abstract T Parse(string json, string what);
    protected abstract T Load(string path);
    protected abstract string ToJson(T config);
    /// <summary>The file under <c>expected/</c> that holds <see cref="ToJson"/> of <see cref="Released"/>.</summary>
    protected abstract string ReleasedLayoutFile { get; }

    protected string ReleasedJson => ToJson(Released);

    /// <summary>The released JSON with one value replaced (or removed) at a dotted path ("num_tones", "data.spk2id.EN-US").</summary>
    protected string Edit(string path, JsonNode? value, bool remove = false) => Edits((path, value, remove));

    protected string Edits(params (string Path, JsonNode? Value, bool Remove)[] edits)
    {
        var root = JsonNode.Parse(ReleasedJson)!.AsObject();
        foreach (var (path, value, remove) in edits)
        {
            var parts = path.Split('.');
            var obj = root;
            foreach (var part in parts[..^1]) obj = obj[part]!.AsObject();
            if (remove) obj.Remove(parts[^1]); else obj[parts[^1]] = value;
        }
        return root.ToJsonString();
    }

    /// <summary>The one-line message with which parsing <paramref name="json"/> as test.json fails.</summary>
    protected string Refusal(string json)
    {
        var e = Assert.Throws<VoxTileException>(() => Parse(json, "test.json"));
        Assert.StartsWith("config test.json: ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }

    private static string Expected(string file, [CallerFilePath] string source = "") =>
        File.ReadAllText(Path.Combine(Path.GetDirectoryName(source)!, "expected", file));

    [Fact]
    public void WritesTheReleasedLayout()
    {
        Assert.Equal(Expected(ReleasedLayoutFile).ReplaceLineEndings("\n"), ReleasedJson.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void RoundTripsThroughJson()
    {
        var parsed = Parse(ReleasedJson, "released");
        Assert.Equal(Released, parsed);
        Assert.Equal(ReleasedJson, ToJson(parsed));
        Assert.Equal(parsed, Parse(ToJson(parsed), "written"));
    }

    [Fact]
    public void EqualityComparesTheListsElementByElement()
    {
        var copy = Parse(ReleasedJson, "copy");
        Assert.Equal(Released.GetHashCode(), copy.GetHashCode());
        var other = Parse(Edit("model.resblock_dilation_sizes", new JsonArray(new JsonArray(1, 3, 5), new JsonArray(1, 3, 5), new JsonArray(1, 5, 5))), "other");
        Assert.NotEqual(Released, other);
        Assert.NotEqual(Released, Parse(Edit("model.resblock_kernel_sizes", new JsonArray(3, 7, 13)), "other"));
    }

    [Fact]
    public void ExtraKeysAreIgnored()
    {
        Assert.Equal(Released, Parse(Edit("model.contentvec_final_proj", false), "extra"));
        Assert.Equal(Released, Parse(Edit("model.use_noise_scaled_mas", true), "extra"));
        Assert.Equal(Released, Parse(Edit("train", new JsonObject { ["segment_size"] = 16384 }), "extra"));
    }

    [Theory]
    [InlineData("data.hop_length")]
    [InlineData("data.n_speakers")]
    [InlineData("model.hidden_channels")]
    [InlineData("model.upsample_rates")]
    [InlineData("model.gin_channels")]
    [InlineData("model.resblock_dilation_sizes")]
    [InlineData("data")]
    [InlineData("model")]
    public void MissingKeysAreNamed(string key)
    {
        Assert.Equal($"config test.json: missing key '{key}'", Refusal(Edit(key, null, remove: true)));
    }

    [Theory]
    [InlineData("data.sampling_rate")]
    [InlineData("data.filter_length")]
    [InlineData("data.hop_length")]
    [InlineData("model.inter_channels")]
    [InlineData("model.hidden_channels")]
    [InlineData("model.upsample_initial_channel")]
    [InlineData("model.gin_channels")]
    public void NonPositiveSizesAreNamed(string key)
    {
        Assert.Equal($"config test.json: {key} must be positive (found 0)", Refusal(Edit(key, 0)));
    }

    [Fact]
    public void WrongTypesAreNamed()
    {
        Assert.Contains("'data.hop_length' must be an integer (found a string)", Refusal(Edit("data.hop_length", "256")));
        Assert.Contains("'model.inter_channels' must be an integer (found the non-integer 192.5)", Refusal(Edit("model.inter_channels", 192.5)));
        Assert.Contains("'model.upsample_rates' must be a list of integers", Refusal(Edit("model.upsample_rates", new JsonArray(8, "8", 2, 2))));
        Assert.Contains("'model.resblock' must be a string", Refusal(Edit("model.resblock", 1)));
        Assert.Contains("'model.resblock_dilation_sizes' must be a list of lists", Refusal(Edit("model.resblock_dilation_sizes", new JsonArray(1, 3, 5))));
        Assert.Contains("not valid JSON", Refusal("{ \"data\": "));
        Assert.Contains("top level must be a JSON object", Refusal("[1, 2]"));
    }

    [Fact]
    public void TheHifiGanDecoderIsChecked()
    {
        Assert.Contains("model.resblock is '2', but only ResBlock1 (\"1\") is supported", Refusal(Edit("model.resblock", "2")));
        Assert.Contains("model.resblock_kernel_sizes has 2 entries but model.resblock_dilation_sizes has 3", Refusal(Edit("model.resblock_kernel_sizes", new JsonArray(3, 7))));
        Assert.Contains("model.resblock_dilation_sizes entries must have 3 dilations for ResBlock1 (found 2)",
            Refusal(Edit("model.resblock_dilation_sizes", new JsonArray(new JsonArray(1, 3), new JsonArray(1, 3, 5), new JsonArray(1, 3, 5)))));
        Assert.Contains("model.resblock_kernel_sizes entry must be positive (found 0)", Refusal(Edit("model.resblock_kernel_sizes", new JsonArray(3, 0, 11))));
        Assert.Contains("model.upsample_rates is empty", Refusal(Edit("model.upsample_rates", new JsonArray())));
        Assert.Contains("model.upsample_initial_channel (8) is too small for", Refusal(Edit("model.upsample_initial_channel", 8)));
        Assert.Contains("model.inter_channels must be even (found 191)", Refusal(Edit("model.inter_channels", 191)));
    }

    [Fact]
    public void LoadNamesTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"voxtile-missing-{Guid.NewGuid():N}", "config.json");
        Assert.StartsWith($"config {path}: cannot read the file", Assert.Throws<VoxTileException>(() => Load(path)).Message);
    }
}
