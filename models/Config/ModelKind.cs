namespace VoxTile.Models.Config;

/// <summary>The two model folders VoxTile reads.</summary>
public enum ModelKind
{
    /// <summary>OpenVoice V2's tone color converter (checkpoints_v2/converter).</summary>
    Converter,

    /// <summary>A MeloTTS text-to-speech model.</summary>
    MeloTts,
}
