namespace VoxTile.Models.Audio;

/// <summary>
/// Decoded audio: mono samples in [-1, 1] at <paramref name="SampleRate"/>. <paramref name="Channels"/> and
/// <paramref name="Format"/> describe the file as it was stored (before downmixing), so callers can report them.
/// </summary>
/// <param name="Samples">Mono samples; a multichannel file is downmixed by averaging its channels.</param>
/// <param name="SampleRate">Frames per second as stored in the file.</param>
/// <param name="Channels">Channel count of the file.</param>
/// <param name="Format">Human-readable encoding, e.g. "PCM 16-bit" or "IEEE float 32-bit (extensible)".</param>
public sealed record AudioClip(float[] Samples, int SampleRate, int Channels, string Format)
{
    /// <summary>Length in seconds.</summary>
    public double Duration => SampleRate > 0 ? (double)Samples.Length / SampleRate : 0;
}
