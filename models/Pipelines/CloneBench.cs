using VoxTile.IR;
using VoxTile.Models.MeloTTS;
using VoxTile.Models.Api;

namespace VoxTile.Models.Pipelines;

/// <summary>
/// OpenVoice V2 end to end timed as <c>voxtile bench clone</c> times it. The text is a repeated English phoneme string
/// of 25 tokens per second (blanks included, the slow end of typical speech); a random model predicts arbitrary
/// lengths, so <see cref="FitLength"/> measures them and sets length_scale so that the speech lasts the asked seconds.
/// The frame bucket is the one those tokens get at speed 1 (<see cref="MeloSynthesizer.SuggestFrames"/>), as for a
/// trained model speaking ~3 frames per token, not the longer one the random model's stretched durations would ask
/// for. It measures; whoever calls it prints.
/// </summary>
public static class CloneBench
{
    // "the quick brown fox jumps over the lazy dog" in MeloTTS's English symbols.
    private const string Sentence = "dh ah k w ih k b r aw n f aa k s jh ah m p s ow v er dh ah l ey z iy d ao g";

    /// <summary>Seconds per stage of one run, and the seconds of speech it gave.</summary>
    public sealed record Stages(double Synthesis, double Embedding, double Conversion, double AudioSeconds)
    {
        public double Total => Synthesis + Embedding + Conversion;
    }

    /// <summary>The benchmark's utterance for <paramref name="seconds"/> of speech: 25 tokens per second with add_blank's blanks.</summary>
    public static MeloInput Text(MeloSynthesizer melo, double seconds)
    {
        int phones = Math.Max(1, (int)Math.Round(25 * seconds / 2));
        var words = Sentence.Split(' ');
        var ph = string.Join(' ', Enumerable.Range(0, phones).Select(i => words[i % words.Length]));
        return MeloInput.WithoutBert(MeloText.For(melo.Config).Encode(ph, string.Join(' ', Enumerable.Repeat("0", phones)), "EN"), speakerId: 0);
    }

    /// <summary>The style whose speech lasts about <paramref name="seconds"/> (at most the bucket), and that bucket.</summary>
    public static (MeloSynthesisOptions Style, int Bucket) FitLength(ClonePipeline clone, MeloInput input, double seconds)
    {
        var melo = clone.Speaking.Model;
        int bucket = MeloSynthesizer.SuggestFrames(input.Length, 1.0);
        var first = clone.Speaking.Synthesize(input, MeloSynthesisOptions.Default, new MeloNoise.Seeded(0), bucket);
        double want = Math.Min(seconds * melo.SampleRate / melo.HopLength, bucket);
        var style = MeloSynthesisOptions.Default with { LengthScale = Math.Clamp(want / first.Frames, 0.05, 20) };
        // Whole frames per token make the length a step function of the scale: one more measured step lands near it.
        var second = clone.Speaking.Synthesize(input, style, new MeloNoise.Seeded(0), bucket);
        return (style with { LengthScale = Math.Clamp(style.LengthScale * want / second.Frames, 0.05, 20) }, bucket);
    }

    /// <summary>One run of the whole path (the first at a length also compiles and loads its plans).</summary>
    public static Stages Once(ClonePipeline clone, MeloInput input, MeloSynthesisOptions style, int bucket, Tensor seTarget)
    {
        var r = clone.Clone(input, style, new MeloNoise.Seeded(0), seTarget, frames: bucket);
        return new Stages(r.SynthesisSeconds, r.EmbeddingSeconds, r.ConversionSeconds, (double)r.Audio.Length / r.SampleRate);
    }

    /// <summary>The best of <paramref name="repeats"/> runs, per stage and in total.</summary>
    public static (Stages Best, double BestTotal) Best(ClonePipeline clone, MeloInput input, MeloSynthesisOptions style, int bucket, Tensor seTarget, int repeats,
        IProgress<double>? progress = null)
    {
        Stages? best = null;
        double bestTotal = double.MaxValue;
        for (int i = 0; i < Math.Max(1, repeats); i++)
        {
            var r = Once(clone, input, style, bucket, seTarget);
            progress.ReportCount(i + 1, Math.Max(1, repeats), "run");
            bestTotal = Math.Min(bestTotal, r.Total);
            best = best is null ? r : new Stages(Math.Min(best.Synthesis, r.Synthesis), Math.Min(best.Embedding, r.Embedding),
                Math.Min(best.Conversion, r.Conversion), r.AudioSeconds);
        }
        return (best!, bestTotal);
    }
}
