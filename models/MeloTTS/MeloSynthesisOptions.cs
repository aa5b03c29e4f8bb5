namespace VoxTile.Models.MeloTTS;

/// <summary>The knobs of MeloTTS's infer(); the defaults are <c>TTS.tts_to_file</c>'s (spec §4.1). They are baked into the graph.</summary>
public sealed record MeloSynthesisOptions
{
    /// <summary>Weight of the stochastic duration predictor against the deterministic one.</summary>
    public double SdpRatio { get; init; } = 0.2;
    /// <summary>Scale of the prior sample's noise.</summary>
    public double NoiseScale { get; init; } = 0.6;
    /// <summary>Scale of the duration predictor's noise.</summary>
    public double NoiseScaleW { get; init; } = 0.8;
    /// <summary>1 / speed.</summary>
    public double LengthScale { get; init; } = 1.0;

    public static MeloSynthesisOptions Default { get; } = new();
}
