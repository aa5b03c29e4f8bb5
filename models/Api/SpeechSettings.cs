using VoxTile.IR;
using VoxTile.Models.MeloTTS;

namespace VoxTile.Models.Api;

/// <summary>
/// What <see cref="SpeechSynthesizer.Synthesize"/> says and how: the language of the phonemes, the speaker, the style
/// (pace, expressiveness, rhythm) and the seed of the random draws. The defaults are MeloTTS's <c>tts_to_file</c>'s.
/// </summary>
public sealed record SpeechSettings
{
    /// <summary>ZH, JP, EN, ZH_MIX_EN, KR, ES (or SP), FR.</summary>
    public string Language { get; init; } = "EN";

    /// <summary>The speaker's id, or a name from the config's spk2id.</summary>
    public string Speaker { get; init; } = "0";

    /// <summary>Speaking rate: length_scale = 1 / speed.</summary>
    public double Speed { get; init; } = 1.0;

    /// <summary>Variation of the prior sample (expressiveness).</summary>
    public double NoiseScale { get; init; } = MeloSynthesisOptions.Default.NoiseScale;

    /// <summary>Variation of the stochastic durations (rhythm).</summary>
    public double NoiseScaleW { get; init; } = MeloSynthesisOptions.Default.NoiseScaleW;

    /// <summary>Mix of the stochastic (1) and deterministic (0) duration predictors.</summary>
    public double SdpRatio { get; init; } = MeloSynthesisOptions.Default.SdpRatio;

    /// <summary>
    /// A lexicon file (cmudict.rep or plain CMUdict form) whose entries add to or replace those of the lexicon text input
    /// reads (MeloTTS's <c>cmudict.rep</c> entries, carried by VoxTile, or the file <c>VOXTILE_LEXICON</c> names); null adds none.
    /// </summary>
    public string? Lexicon { get; init; }

    /// <summary>Seed of the random draws (the same seed gives the same speech).</summary>
    public long Seed { get; init; }

    public static SpeechSettings Default { get; } = new();

    internal MeloSynthesisOptions Style()
    {
        if (!(Speed > 0)) throw new VoxTileException($"speed must be positive, got {Speed}");
        if (SdpRatio is < 0 or > 1) throw new VoxTileException($"sdp_ratio must be between 0 and 1, got {SdpRatio}");
        if (!(NoiseScale >= 0) || !(NoiseScaleW >= 0)) throw new VoxTileException("noise scales must be ≥ 0");
        return new MeloSynthesisOptions { LengthScale = 1.0 / Speed, NoiseScale = NoiseScale, NoiseScaleW = NoiseScaleW, SdpRatio = SdpRatio };
    }
}
