using VoxTile.Models.Audio;

namespace VoxTile.Models.Api;

/// <summary>The audio the API returns: mono float samples in [-1, 1] at the model's rate.</summary>
internal static class AudioClips
{
    public static AudioClip Mono(float[] samples, int sampleRate) => new(samples, sampleRate, 1, "IEEE float 32-bit");
}
