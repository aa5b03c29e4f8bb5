using VoxTile.IR;

namespace VoxTile.Models.Audio;

/// <summary>
/// Splits a reference recording into parts for speaker-embedding extraction, as OpenVoice's <c>split_audio_vad</c>
/// does: n = round(duration / partSeconds) equal, contiguous parts (NumPy rounding, half to even), whose embeddings
/// are later averaged. OpenVoice asserts n &gt; 0; here a clip shorter than half a part is simply one part, so short
/// references still work. Boundaries are at whole samples (OpenVoice cuts at whole milliseconds via pydub; the
/// difference is under one millisecond per boundary).
/// </summary>
public static class ReferenceSegmenter
{
    /// <summary>Number of parts a clip of <paramref name="samples"/> at <paramref name="rate"/> is split into.</summary>
    public static int PartCount(long samples, int rate, double partSeconds = 10.0)
    {
        if (rate <= 0) throw new ArgumentOutOfRangeException(nameof(rate), rate, "the sample rate must be positive");
        if (!(partSeconds > 0) || double.IsInfinity(partSeconds))
            throw new ArgumentOutOfRangeException(nameof(partSeconds), partSeconds, "the part length must be positive");
        double duration = (double)samples / rate;
        double n = Math.Round(duration / partSeconds, MidpointRounding.ToEven);
        return (int)Math.Clamp(n, 1, samples == 0 ? 1 : Math.Min(samples, int.MaxValue));
    }

    /// <summary>The parts, as copies; part i is samples [⌊i·N/n⌋, ⌊(i+1)·N/n⌋).</summary>
    public static IReadOnlyList<float[]> Split(float[] samples, int rate, double partSeconds = 10.0)
    {
        ArgumentNullException.ThrowIfNull(samples);
        int n = PartCount(samples.Length, rate, partSeconds);
        if (samples.Length == 0) throw new VoxTileException("the reference audio is empty: nothing to take a voice from");
        var parts = new float[n][];
        long total = samples.Length;
        for (int i = 0; i < n; i++)
        {
            int a = (int)(i * total / n), b = (int)((i + 1) * total / n);
            parts[i] = samples[a..b];
        }
        return parts;
    }
}
