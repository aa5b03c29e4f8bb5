using VoxTile.IR;

namespace VoxTile.Models.Config;

/// <summary>
/// The tone color converter's <c>config.json</c> in the layout OpenVoice releases (<c>_version_</c>, <c>data</c>,
/// <c>model</c>; spec §1.1). Only what builds the converter is required; the text-encoder keys (filter_channels, n_heads,
/// n_layers, kernel_size, p_dropout) are unused for n_speakers = 0 and kept only so <see cref="ToJson"/> writes the
/// released layout. Parse copies lists into read-only arrays; equality compares them element by element.
/// </summary>
public sealed record ConverterConfig
{
    public required int SamplingRate { get; init; }
    /// <summary>n_fft of the spectrogram.</summary>
    public required int FilterLength { get; init; }
    public required int HopLength { get; init; }
    public required int WinLength { get; init; }
    public required int NSpeakers { get; init; }
    public required int InterChannels { get; init; }
    public required int HiddenChannels { get; init; }
    public required string Resblock { get; init; }
    public required IReadOnlyList<int> ResblockKernelSizes { get; init; }
    public required IReadOnlyList<IReadOnlyList<int>> ResblockDilationSizes { get; init; }
    public required IReadOnlyList<int> UpsampleRates { get; init; }
    public required int UpsampleInitialChannel { get; init; }
    public required IReadOnlyList<int> UpsampleKernelSizes { get; init; }
    public required int GinChannels { get; init; }
    /// <summary>V2 conditions enc_q and dec on a zero vector (spec §1.7); V1 configs lack the key, hence false.</summary>
    public bool ZeroG { get; init; }
    /// <summary><c>_version_</c> ("v2"), or null when the file has none.</summary>
    public string? Version { get; init; }

    public int FilterChannels { get; init; } = 768;
    public int NHeads { get; init; } = 2;
    public int NLayers { get; init; } = 6;
    public int KernelSize { get; init; } = 3;
    public double PDropout { get; init; } = 0.1;

    /// <summary>Spectrogram bins, n_fft / 2 + 1 (513 for the released model).</summary>
    public int SpecChannels => FilterLength / 2 + 1;

    /// <summary>The released OpenVoice V2 converter (checkpoints_v2/converter/config.json, spec §1.1).</summary>
    public static ConverterConfig ReleasedV2 { get; } = new()
    {
        Version = "v2",
        SamplingRate = 22050,
        FilterLength = 1024,
        HopLength = 256,
        WinLength = 1024,
        NSpeakers = 0,
        ZeroG = true,
        InterChannels = 192,
        HiddenChannels = 192,
        Resblock = "1",
        ResblockKernelSizes = [3, 7, 11],
        ResblockDilationSizes = [[1, 3, 5], [1, 3, 5], [1, 3, 5]],
        UpsampleRates = [8, 8, 2, 2],
        UpsampleInitialChannel = 512,
        UpsampleKernelSizes = [16, 16, 4, 4],
        GinChannels = 256,
    };

    public static ConverterConfig Load(string path) => ConfigReader.Load(path, Parse);

    /// <summary>Parse and validate; <paramref name="what"/> names the source in error messages.</summary>
    public static ConverterConfig Parse(string json, string what)
    {
        return ConfigReader.Parse(json, what, (root, r) =>
        {
            var data = r.Section("data");
            var model = r.Section("model");
            var config = new ConverterConfig
            {
                Version = r.OptionalString(root, "_version_"),
                SamplingRate = r.Int(data, "data", "sampling_rate"),
                FilterLength = r.Int(data, "data", "filter_length"),
                HopLength = r.Int(data, "data", "hop_length"),
                WinLength = r.Int(data, "data", "win_length"),
                NSpeakers = r.Int(data, "data", "n_speakers"),
                ZeroG = r.OptionalBool(model, "model", "zero_g") ?? false,
                InterChannels = r.Int(model, "model", "inter_channels"),
                HiddenChannels = r.Int(model, "model", "hidden_channels"),
                FilterChannels = r.OptionalInt(model, "model", "filter_channels") ?? 768,
                NHeads = r.OptionalInt(model, "model", "n_heads") ?? 2,
                NLayers = r.OptionalInt(model, "model", "n_layers") ?? 6,
                KernelSize = r.OptionalInt(model, "model", "kernel_size") ?? 3,
                PDropout = r.OptionalDouble(model, "model", "p_dropout") ?? 0.1,
                Resblock = r.String(model, "model", "resblock"),
                ResblockKernelSizes = r.Ints(model, "model", "resblock_kernel_sizes"),
                ResblockDilationSizes = r.IntLists(model, "model", "resblock_dilation_sizes"),
                UpsampleRates = r.Ints(model, "model", "upsample_rates"),
                UpsampleInitialChannel = r.Int(model, "model", "upsample_initial_channel"),
                UpsampleKernelSizes = r.Ints(model, "model", "upsample_kernel_sizes"),
                GinChannels = r.Int(model, "model", "gin_channels"),
            };
            config.Validate(what);
            return config;
        });
    }

    /// <summary>Throws a one-line <see cref="VoxTileException"/> if the converter cannot be built from these values.</summary>
    public void Validate(string what)
    {
        var check = new ConfigCheck(what);
        Spectrogram.CheckPositive(check);
        check.Positive(InterChannels, "model.inter_channels");
        check.Positive(HiddenChannels, "model.hidden_channels");
        Decoder.CheckChannels(check);
        Spectrogram.CheckWindow(check);
        if (NSpeakers != 0)
            check.Fail($"data.n_speakers is {NSpeakers}, but the tone color converter has no speaker table (0 expected)");
        // The flow's coupling layers split the latent channels in two halves.
        if (InterChannels % 2 != 0) check.Fail($"model.inter_channels must be even (found {InterChannels})");
        Decoder.Validate(check, HopLength, exactStages: false);
    }

    private SpectrogramSettings Spectrogram => new(SamplingRate, FilterLength, HopLength, WinLength);

    private HifiGanDecoder Decoder =>
        new(Resblock, ResblockKernelSizes, ResblockDilationSizes, UpsampleRates, UpsampleInitialChannel, UpsampleKernelSizes, GinChannels);

    /// <summary>The released config.json layout (indented like Python's json.dump(indent=2)).</summary>
    public string ToJson() => ConfigWriter.Write(w =>
    {
        if (Version is not null) w.WriteString("_version_", Version);
        w.WriteStartObject("data");
        Spectrogram.Write(w);
        w.WriteNumber("n_speakers", NSpeakers);
        w.WriteEndObject();
        w.WriteStartObject("model");
        w.WriteBoolean("zero_g", ZeroG);
        w.WriteNumber("inter_channels", InterChannels);
        w.WriteNumber("hidden_channels", HiddenChannels);
        w.WriteNumber("filter_channels", FilterChannels);
        w.WriteNumber("n_heads", NHeads);
        w.WriteNumber("n_layers", NLayers);
        w.WriteNumber("kernel_size", KernelSize);
        w.WriteNumber("p_dropout", PDropout);
        Decoder.Write(w);
        w.WriteEndObject();
    });

    public bool Equals(ConverterConfig? other) =>
        other is not null
        && Spectrogram == other.Spectrogram && NSpeakers == other.NSpeakers
        && InterChannels == other.InterChannels && HiddenChannels == other.HiddenChannels && Decoder == other.Decoder
        && ZeroG == other.ZeroG && Version == other.Version && FilterChannels == other.FilterChannels
        && NHeads == other.NHeads && NLayers == other.NLayers && KernelSize == other.KernelSize
        && PDropout.Equals(other.PDropout);

    public override int GetHashCode() => HashCode.Combine(Spectrogram, InterChannels, HiddenChannels, Decoder, ZeroG, Version);
}
