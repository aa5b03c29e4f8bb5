namespace VoxTile.Models.OpenVoice;

/// <summary>OpenVoice's defaults for the converter, shared by the pipelines, the API and the command line.</summary>
public static class ToneColorDefaults
{
    /// <summary>The posterior sampling temperature of OpenVoice's <c>convert</c>.</summary>
    public const float Tau = 0.3f;
}
