using VoxTile.IR;

namespace VoxTile.Models.Audio;

/// <summary>
/// Energy-based voice activity detector, standing in for the Silero VAD that OpenVoice's <c>get_se</c> runs
/// (no model to download). Frames of <see cref="FrameSeconds"/> every <see cref="HopSeconds"/> get an energy in dB;
/// a frame is speech when it is louder than an adaptive threshold: the noise floor (the
/// <see cref="NoisePercentile"/>th percentile of frame energies) plus <see cref="MarginDb"/>, never below
/// <see cref="AbsoluteFloorDb"/>. Then, with OpenVoice's Silero settings, speech runs closer than
/// <see cref="MinSilenceSeconds"/> are joined (so a segment only ends after 1 s of silence: pauses inside
/// sentences stay in), runs shorter than <see cref="MinSpeechSeconds"/> are dropped (clicks), and each segment is
/// widened by <see cref="PadSeconds"/> on both sides so that soft onsets and decays are kept.
/// </summary>
public sealed class Vad
{
    /// <summary>Analysis window length.</summary>
    public double FrameSeconds { get; init; } = 0.030;

    /// <summary>Distance between frame starts.</summary>
    public double HopSeconds { get; init; } = 0.010;

    /// <summary>Percentile of the frame energies taken as the noise floor (pauses fill at least this share of a clip).</summary>
    public double NoisePercentile { get; init; } = 10;

    /// <summary>How far above the noise floor a frame must be to count as speech.</summary>
    public double MarginDb { get; init; } = 12;

    /// <summary>Frames quieter than this (dB relative to full scale, where a full-scale sine is −3 dB) are never speech.</summary>
    public double AbsoluteFloorDb { get; init; } = -60;

    /// <summary>Speech segments shorter than this are dropped (OpenVoice: min_speech_duration 0.1 s).</summary>
    public double MinSpeechSeconds { get; init; } = 0.1;

    /// <summary>Silences shorter than this do not split a segment (OpenVoice: min_silence_duration 1 s).</summary>
    public double MinSilenceSeconds { get; init; } = 1.0;

    /// <summary>Extra audio kept on each side of a segment.</summary>
    public double PadSeconds { get; init; } = 0.05;

    /// <summary>
    /// Speech regions as half-open sample ranges [Start, End), padded, sorted and disjoint; empty when nothing is
    /// loud enough. When the whole clip has one level (no quieter stretch to learn a noise floor from, as in a
    /// clip that is all speech) every frame above <see cref="AbsoluteFloorDb"/> counts as speech.
    /// </summary>
    public IReadOnlyList<(int Start, int End)> Segments(ReadOnlySpan<float> x, int rate)
    {
        if (rate <= 0) throw new ArgumentOutOfRangeException(nameof(rate), rate, "the sample rate must be positive");
        int n = x.Length;
        if (n == 0) return [];
        int win = Math.Max(1, (int)Math.Round(FrameSeconds * rate));
        int hop = Math.Max(1, (int)Math.Round(HopSeconds * rate));
        int frames = n <= win ? 1 : 1 + (n - win + hop - 1) / hop;

        var db = new double[frames];
        for (int f = 0; f < frames; f++)
        {
            int a = f * hop, b = Math.Min(n, a + win);
            double sum = 0;
            for (int i = a; i < b; i++) sum += (double)x[i] * x[i];
            // The mean over the samples present, so the last, shorter frame is not made quieter by missing samples.
            db[f] = 10 * Math.Log10(sum / (b - a) + 1e-12);
        }

        var sorted = (double[])db.Clone();
        Array.Sort(sorted);
        double floor = Percentile(sorted, NoisePercentile);
        double peak = Percentile(sorted, 99);
        double threshold = peak - floor < MarginDb ? AbsoluteFloorDb : Math.Max(AbsoluteFloorDb, floor + MarginDb);

        // Runs of speech frames, as frame ranges [a, b).
        var runs = new List<(int A, int B)>();
        for (int f = 0; f < frames;)
        {
            if (db[f] <= threshold) { f++; continue; }
            int a = f;
            while (f < frames && db[f] > threshold) f++;
            runs.Add((a, f));
        }

        // Join across short silences, measured in samples between the end of one run's last frame and the next start.
        var joined = new List<(long Start, long End)>();
        long minSilence = (long)Math.Round(MinSilenceSeconds * rate);
        foreach (var (a, b) in runs)
        {
            long start = (long)a * hop, end = Math.Min(n, (long)(b - 1) * hop + win);
            if (joined.Count > 0 && start - joined[^1].End < minSilence) joined[^1] = (joined[^1].Start, Math.Max(joined[^1].End, end));
            else joined.Add((start, end));
        }

        long minSpeech = (long)Math.Round(MinSpeechSeconds * rate);
        long pad = (long)Math.Round(PadSeconds * rate);
        var result = new List<(int Start, int End)>();
        foreach (var (s, e) in joined)
        {
            if (e - s < minSpeech) continue;
            int ps = (int)Math.Max(0, s - pad), pe = (int)Math.Min(n, e + pad);
            // Padding can make neighbours touch when the minimum silence is set below twice the padding.
            if (result.Count > 0 && ps <= result[^1].End) result[^1] = (result[^1].Start, pe);
            else result.Add((ps, pe));
        }
        return result;
    }

    /// <summary>
    /// The speech regions joined end to end (what OpenVoice cuts out before splitting the reference).
    /// Throws when no speech is found, since an empty or silent reference cannot give a voice.
    /// </summary>
    /// <param name="x">The audio.</param>
    /// <param name="rate">Its sample rate.</param>
    /// <param name="what">The name used in the error message, usually the file name.</param>
    public float[] TrimSilence(ReadOnlySpan<float> x, int rate, string what = "audio")
    {
        var segments = Segments(x, rate);
        if (segments.Count == 0) throw new VoxTileException($"{what}: no speech found by --vad");
        int total = 0;
        foreach (var (s, e) in segments) total += e - s;
        var y = new float[total];
        int at = 0;
        foreach (var (s, e) in segments)
        {
            x[s..e].CopyTo(y.AsSpan(at));
            at += e - s;
        }
        return y;
    }

    // Linear interpolation between closest ranks (NumPy's default), on an ascending array.
    private static double Percentile(double[] sorted, double q)
    {
        double pos = Math.Clamp(q, 0, 100) / 100 * (sorted.Length - 1);
        int i = (int)Math.Floor(pos);
        if (i >= sorted.Length - 1) return sorted[^1];
        return sorted[i] + (pos - i) * (sorted[i + 1] - sorted[i]);
    }
}
