using System.Text.Encodings.Web;
using System.Text.Json;
using VoxTile.IR;

namespace VoxTile.Models.Config;

/// <summary>
/// MeloTTS's <c>config.json</c> in the layout its releases use (<c>data</c>, <c>model</c>, and top-level <c>num_tones</c>,
/// <c>num_languages</c>, <c>symbols</c>; spec §4.1). Keys the released files may omit take MeloTTS's code defaults:
/// use_transformer_flow true, n_layers_trans_flow 6, n_flow_layer 4, use_spk_conditioned_encoder true, add_blank true,
/// win_length = filter_length, and the 219 / 16 / 8 symbol, tone and language counts of <c>melo/text/symbols.py</c>.
/// Training-only keys (train.*, p_dropout, use_noise_scaled_mas …) are read where useful and otherwise ignored.
/// </summary>
public sealed record MeloConfig
{
    /// <summary>MeloTTS's symbol, tone and language counts when the config lists none (spec §4.1).</summary>
    public const int DefaultVocab = 219, DefaultTones = 16, DefaultLanguages = 8;

    public required int SamplingRate { get; init; }
    public required int FilterLength { get; init; }
    public required int HopLength { get; init; }
    public int WinLength { get; init; }
    public bool AddBlank { get; init; } = true;
    /// <summary>Rows of the speaker table emb_g.</summary>
    public required int NSpeakers { get; init; }
    /// <summary><c>data.spk2id</c>: speaker name → row of emb_g (empty when the config has none).</summary>
    public IReadOnlyDictionary<string, int> Speakers { get; init; } = new Dictionary<string, int>();

    public required int InterChannels { get; init; }
    public required int HiddenChannels { get; init; }
    public required int FilterChannels { get; init; }
    public required int NHeads { get; init; }
    public required int NLayers { get; init; }
    public required int KernelSize { get; init; }
    public double PDropout { get; init; } = 0.1;
    public int NLayersTransFlow { get; init; } = 6;
    /// <summary>False selects the WaveNet coupling flow (the converter's ResidualCouplingBlock).</summary>
    public bool UseTransformerFlow { get; init; } = true;
    /// <summary>Transformer couplings in the transformer flow; WaveNet layers per coupling in the WaveNet flow (MeloTTS passes it to both).</summary>
    public int NFlowLayer { get; init; } = 4;
    public bool UseSpkConditionedEncoder { get; init; } = true;
    public required string Resblock { get; init; }
    public required IReadOnlyList<int> ResblockKernelSizes { get; init; }
    public required IReadOnlyList<IReadOnlyList<int>> ResblockDilationSizes { get; init; }
    public required IReadOnlyList<int> UpsampleRates { get; init; }
    public required int UpsampleInitialChannel { get; init; }
    public required IReadOnlyList<int> UpsampleKernelSizes { get; init; }
    public required int GinChannels { get; init; }

    public int NumTones { get; init; } = DefaultTones;
    public int NumLanguages { get; init; } = DefaultLanguages;
    /// <summary>The top-level <c>symbols</c> list; null when absent (then the vocabulary is MeloTTS's 219 symbols).</summary>
    public IReadOnlyList<string>? Symbols { get; init; }

    /// <summary>Rows of the phoneme embedding, len(symbols).</summary>
    public int NVocab => Symbols?.Count ?? DefaultVocab;

    /// <summary>Effective STFT window (win_length, or filter_length when the config has none).</summary>
    public int Window => WinLength > 0 ? WinLength : FilterLength;

    /// <summary>
    /// The released MeloTTS-English model (spec §4.1: the official MeloTTS config's model block, 44.1 kHz, hop 512,
    /// five upsamplers). The EN speaker names come from third-party code (spec: unverified).
    /// </summary>
    public static MeloConfig ReleasedEnglish { get; } = new()
    {
        SamplingRate = 44100,
        FilterLength = 2048,
        HopLength = 512,
        WinLength = 2048,
        AddBlank = true,
        NSpeakers = 256,
        Speakers = new Dictionary<string, int> { ["EN-US"] = 0, ["EN-BR"] = 1, ["EN_INDIA"] = 2, ["EN-AU"] = 3, ["EN-Default"] = 4 },
        InterChannels = 192,
        HiddenChannels = 192,
        FilterChannels = 768,
        NHeads = 2,
        NLayers = 6,
        KernelSize = 3,
        PDropout = 0.1,
        NLayersTransFlow = 3,
        UseTransformerFlow = true,
        NFlowLayer = 4,
        UseSpkConditionedEncoder = true,
        Resblock = "1",
        ResblockKernelSizes = [3, 7, 11],
        ResblockDilationSizes = [[1, 3, 5], [1, 3, 5], [1, 3, 5]],
        UpsampleRates = [8, 8, 2, 2, 2],
        UpsampleInitialChannel = 512,
        UpsampleKernelSizes = [16, 16, 8, 2, 2],
        GinChannels = 256,
        NumTones = DefaultTones,
        NumLanguages = DefaultLanguages,
    };

    public static MeloConfig Load(string path) => ConfigReader.Load(path, Parse);

    /// <summary>Parse and validate; <paramref name="what"/> names the source in error messages.</summary>
    public static MeloConfig Parse(string json, string what)
    {
        return ConfigReader.Parse(json, what, (root, r) =>
        {
            var data = r.Section("data");
            var model = r.Section("model");
            int filter = r.Int(data, "data", "filter_length");
            var config = new MeloConfig
            {
                SamplingRate = r.Int(data, "data", "sampling_rate"),
                FilterLength = filter,
                HopLength = r.Int(data, "data", "hop_length"),
                WinLength = r.OptionalInt(data, "data", "win_length") ?? filter,
                AddBlank = r.OptionalBool(data, "data", "add_blank") ?? true,
                NSpeakers = r.Int(data, "data", "n_speakers"),
                Speakers = SpeakerMap(data, what),
                InterChannels = r.Int(model, "model", "inter_channels"),
                HiddenChannels = r.Int(model, "model", "hidden_channels"),
                FilterChannels = r.Int(model, "model", "filter_channels"),
                NHeads = r.Int(model, "model", "n_heads"),
                NLayers = r.Int(model, "model", "n_layers"),
                KernelSize = r.Int(model, "model", "kernel_size"),
                PDropout = r.OptionalDouble(model, "model", "p_dropout") ?? 0.1,
                NLayersTransFlow = r.OptionalInt(model, "model", "n_layers_trans_flow") ?? 6,
                UseTransformerFlow = r.OptionalBool(model, "model", "use_transformer_flow") ?? true,
                NFlowLayer = r.OptionalInt(model, "model", "n_flow_layer") ?? 4,
                UseSpkConditionedEncoder = r.OptionalBool(model, "model", "use_spk_conditioned_encoder") ?? true,
                Resblock = r.String(model, "model", "resblock"),
                ResblockKernelSizes = r.Ints(model, "model", "resblock_kernel_sizes"),
                ResblockDilationSizes = r.IntLists(model, "model", "resblock_dilation_sizes"),
                UpsampleRates = r.Ints(model, "model", "upsample_rates"),
                UpsampleInitialChannel = r.Int(model, "model", "upsample_initial_channel"),
                UpsampleKernelSizes = r.Ints(model, "model", "upsample_kernel_sizes"),
                GinChannels = r.Int(model, "model", "gin_channels"),
                NumTones = TopLevelInt(root, "num_tones", what) ?? DefaultTones,
                NumLanguages = TopLevelInt(root, "num_languages", what) ?? DefaultLanguages,
                Symbols = SymbolList(root, what),
            };
            if (r.OptionalBool(model, "model", "flow_share_parameter") == true)
                throw new VoxTileException($"config {what}: model.flow_share_parameter = true is not supported (the released models do not share flow parameters)");
            config.Validate(what);
            return config;
        });
    }

    /// <summary>Throws a one-line <see cref="VoxTileException"/> if the synthesizer cannot be built from these values.</summary>
    public void Validate(string what)
    {
        var check = new ConfigCheck(what);
        Spectrogram.CheckPositive(check);
        check.Positive(NSpeakers, "data.n_speakers");
        check.Positive(InterChannels, "model.inter_channels");
        check.Positive(HiddenChannels, "model.hidden_channels");
        check.Positive(FilterChannels, "model.filter_channels");
        check.Positive(NHeads, "model.n_heads");
        check.Positive(NLayers, "model.n_layers");
        check.Positive(KernelSize, "model.kernel_size");
        check.Positive(NFlowLayer, "model.n_flow_layer");
        Decoder.CheckChannels(check);
        Spectrogram.CheckWindow(check);
        check.Positive(NumTones, "num_tones");
        check.Positive(NumLanguages, "num_languages");
        if (Symbols is { Count: 0 }) check.Fail("symbols is empty");
        if (Symbols is not null && Symbols.Distinct(StringComparer.Ordinal).Count() != Symbols.Count)
            check.Fail($"symbols has a duplicate entry ('{Symbols.GroupBy(s => s, StringComparer.Ordinal).First(g => g.Count() > 1).Key}')");
        foreach (var (name, id) in Speakers)
            if (id < 0 || id >= NSpeakers) check.Fail($"data.spk2id maps '{name}' to {id}, outside the {NSpeakers} rows of the speaker table");
        if (InterChannels % 2 != 0) check.Fail($"model.inter_channels must be even (found {InterChannels})");
        if (HiddenChannels % NHeads != 0) check.Fail($"model.hidden_channels ({HiddenChannels}) must split evenly into model.n_heads ({NHeads}) heads");
        // MeloTTS adds the speaker before the encoder layer with index 2 and asserts that the layer exists.
        if (UseSpkConditionedEncoder && NLayers <= TransformerCondLayer)
            check.Fail($"model.n_layers must exceed {TransformerCondLayer} for the speaker-conditioned text encoder (found {NLayers})");
        if (UseTransformerFlow) check.Positive(NLayersTransFlow, "model.n_layers_trans_flow");
        if (UseTransformerFlow && NLayersTransFlow <= TransformerCondLayer)
            check.Fail($"model.n_layers_trans_flow must exceed {TransformerCondLayer}: the flow's encoders take the speaker before layer {TransformerCondLayer} (found {NLayersTransFlow})");
        Decoder.Validate(check, HopLength, exactStages: true);
    }

    /// <summary>Index of the encoder layer before which MeloTTS adds the speaker (cond_layer_idx, fixed at 2).</summary>
    public const int TransformerCondLayer = 2;

    private SpectrogramSettings Spectrogram => new(SamplingRate, FilterLength, HopLength, Window);

    private HifiGanDecoder Decoder =>
        new(Resblock, ResblockKernelSizes, ResblockDilationSizes, UpsampleRates, UpsampleInitialChannel, UpsampleKernelSizes, GinChannels);

    /// <summary>The config.json layout MeloTTS releases use (indented like Python's json.dump(indent=2)).</summary>
    public string ToJson() => ConfigWriter.Write(w =>
    {
        w.WriteStartObject("data");
        Spectrogram.Write(w);
        w.WriteBoolean("add_blank", AddBlank);
        w.WriteNumber("n_speakers", NSpeakers);
        if (Speakers.Count > 0)
        {
            w.WriteStartObject("spk2id");
            foreach (var (name, id) in Speakers.OrderBy(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)) w.WriteNumber(name, id);
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteStartObject("model");
        w.WriteNumber("inter_channels", InterChannels);
        w.WriteNumber("hidden_channels", HiddenChannels);
        w.WriteNumber("filter_channels", FilterChannels);
        w.WriteNumber("n_heads", NHeads);
        w.WriteNumber("n_layers", NLayers);
        w.WriteNumber("n_layers_trans_flow", NLayersTransFlow);
        w.WriteNumber("kernel_size", KernelSize);
        w.WriteNumber("p_dropout", PDropout);
        Decoder.Write(w);
        w.WriteBoolean("use_spk_conditioned_encoder", UseSpkConditionedEncoder);
        w.WriteBoolean("use_transformer_flow", UseTransformerFlow);
        w.WriteNumber("n_flow_layer", NFlowLayer);
        w.WriteEndObject();
        w.WriteNumber("num_tones", NumTones);
        w.WriteNumber("num_languages", NumLanguages);
        if (Symbols is not null)
        {
            w.WriteStartArray("symbols");
            foreach (var s in Symbols) w.WriteStringValue(s);
            w.WriteEndArray();
        }
    }, JavaScriptEncoder.UnsafeRelaxedJsonEscaping);

    private static int? TopLevelInt(JsonElement root, string key, string what)
    {
        if (!root.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        return v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var x) ? x
            : throw new VoxTileException($"config {what}: '{key}' must be an integer");
    }

    private static IReadOnlyDictionary<string, int> SpeakerMap(JsonElement data, string what)
    {
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        if (!data.TryGetProperty("spk2id", out var v) || v.ValueKind == JsonValueKind.Null) return map;
        if (v.ValueKind != JsonValueKind.Object) throw new VoxTileException($"config {what}: 'data.spk2id' must be an object of speaker name → id");
        foreach (var p in v.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetInt32(out var id))
                throw new VoxTileException($"config {what}: 'data.spk2id.{p.Name}' must be an integer");
            map[p.Name] = id;
        }
        return map;
    }

    private static IReadOnlyList<string>? SymbolList(JsonElement root, string what)
    {
        if (!root.TryGetProperty("symbols", out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Array) throw new VoxTileException($"config {what}: 'symbols' must be a list of strings");
        var list = new List<string>();
        foreach (var s in v.EnumerateArray())
        {
            if (s.ValueKind != JsonValueKind.String) throw new VoxTileException($"config {what}: 'symbols' must be a list of strings (entry {list.Count} is not)");
            list.Add(s.GetString()!);
        }
        return Array.AsReadOnly(list.ToArray());
    }

    public bool Equals(MeloConfig? o) =>
        o is not null
        && Spectrogram == o.Spectrogram && AddBlank == o.AddBlank && NSpeakers == o.NSpeakers
        && Speakers.Count == o.Speakers.Count && Speakers.All(p => o.Speakers.TryGetValue(p.Key, out var id) && id == p.Value)
        && InterChannels == o.InterChannels && HiddenChannels == o.HiddenChannels && FilterChannels == o.FilterChannels
        && NHeads == o.NHeads && NLayers == o.NLayers && KernelSize == o.KernelSize && PDropout.Equals(o.PDropout)
        && NLayersTransFlow == o.NLayersTransFlow && UseTransformerFlow == o.UseTransformerFlow && NFlowLayer == o.NFlowLayer
        && UseSpkConditionedEncoder == o.UseSpkConditionedEncoder && Decoder == o.Decoder
        && NumTones == o.NumTones && NumLanguages == o.NumLanguages
        && (Symbols is null ? o.Symbols is null : o.Symbols is not null && Symbols.SequenceEqual(o.Symbols, StringComparer.Ordinal));

    public override int GetHashCode() =>
        HashCode.Combine(Spectrogram, NSpeakers, InterChannels, HiddenChannels, FilterChannels, Decoder, UseTransformerFlow, NVocab);
}
