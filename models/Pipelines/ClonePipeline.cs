using System.Diagnostics;
using VoxTile.IR;
using VoxTile.Models.MeloTTS;
using VoxTile.Models.OpenVoice;

namespace VoxTile.Models.Pipelines;

/// <summary>
/// OpenVoice V2 end to end: MeloTTS speaks the text in its base voice, the speech comes out at the converter's rate
/// (on a device backend the synthesis plan resamples it itself: a polyphase FIR as one strided conv1d), the source
/// embedding is taken from that speech unless given, and the tone color converter gives it the target's voice. The
/// one place this wiring lives: <c>voxtile clone</c>, <c>voxtile bench clone</c> and <see cref="Api.VoiceCloner"/> run it.
/// Not thread-safe (the pipelines and backends it holds are not).
/// </summary>
public sealed class ClonePipeline
{
    public ClonePipeline(MeloSynthesizer melo, ToneColorConverter converter, IMeloBackend? meloBackend = null, IConverterBackend? converterBackend = null)
    {
        Speaking = new MeloPipeline(melo) { Backend = meloBackend, OutputRate = converter.SampleRate };
        Converting = new ToneColorPipeline(converter) { Backend = converterBackend };
    }

    public MeloPipeline Speaking { get; }

    public ToneColorPipeline Converting { get; }

    /// <summary>Reports progress of each stage's graph runs (each stage runs from 0 to 1).</summary>
    public IProgress<double>? Progress
    {
        get => Speaking.Progress;
        set
        {
            Speaking.Progress = value;
            Converting.Progress = value;
        }
    }

    /// <param name="seTarget">the voice to clone, [1, gin, 1] (from <see cref="ToneColorPipeline.ExtractEmbedding"/>).</param>
    /// <param name="seSource">the base speaker's embedding; null takes it from the synthesized speech.</param>
    /// <param name="conversionNoise">the converter's posterior draw; null is seed 0.</param>
    /// <param name="frames">the MeloTTS frame bucket; null picks the one the tokens suggest.</param>
    /// <param name="durations">whole-frame durations to force instead of predicting them (parity checks).</param>
    public CloneResult Clone(MeloInput input, MeloSynthesisOptions style, MeloNoise noise, Tensor seTarget, Tensor? seSource = null,
        float tau = ToneColorDefaults.Tau, NoiseSource? conversionNoise = null, int? frames = null, Tensor? durations = null)
    {
        if (tau < 0 || float.IsNaN(tau)) throw new VoxTileException($"tau must be ≥ 0, got {tau}");
        var sw = Stopwatch.StartNew();
        var speech = Speaking.Synthesize(input, style, noise, frames, durations);
        var atRate = speech.Resampled ?? throw new InvalidOperationException("the synthesis was not resampled to the converter's rate");
        double synth = sw.Elapsed.TotalSeconds;
        if (atRate.Length < Converting.Model.MinSamples)
            throw new VoxTileException($"the synthesized speech ({atRate.Length} samples) is shorter than the converter's minimum of {Converting.Model.MinLength}");
        var source = seSource ?? Converting.ExtractEmbedding([atRate]);
        double embed = sw.Elapsed.TotalSeconds - synth;
        var audio = Converting.Convert(atRate, source, seTarget, tau, conversionNoise ?? new NoiseSource.Seeded(0));
        return new CloneResult(audio, Converting.Model.SampleRate, speech, source, synth, embed, sw.Elapsed.TotalSeconds - synth - embed);
    }

    /// <summary>
    /// Several pieces (a text split as MeloTTS's <c>tts_to_file</c> splits it): each synthesized in turn, joined with
    /// <paramref name="gap"/> zeros (at the converter's rate) after each, and the whole converted once, as OpenVoice converts
    /// the base speaker's file. <see cref="CloneResult.Speech"/> is the last piece's synthesis.
    /// </summary>
    public CloneResult Clone(IReadOnlyList<MeloInput> pieces, int gap, MeloSynthesisOptions style, MeloNoise noise, Tensor seTarget,
        Tensor? seSource = null, float tau = ToneColorDefaults.Tau, NoiseSource? conversionNoise = null)
    {
        if (pieces.Count == 0) throw new VoxTileException("there is nothing to say");
        if (tau < 0 || float.IsNaN(tau)) throw new VoxTileException($"tau must be ≥ 0, got {tau}");
        var sw = Stopwatch.StartNew();
        var speeches = pieces.Select(p => Speaking.Synthesize(p, style, noise)).ToList();
        var atRate = MeloTTS.Text.TextUtterances.Join(
            [.. speeches.Select(s => s.Resampled ?? throw new InvalidOperationException("the synthesis was not resampled to the converter's rate"))], gap);
        double synth = sw.Elapsed.TotalSeconds;
        if (atRate.Length < Converting.Model.MinSamples)
            throw new VoxTileException("the synthesized speech is shorter than one STFT window of the converter");
        var source = seSource ?? Converting.ExtractEmbedding([atRate]);
        double embed = sw.Elapsed.TotalSeconds - synth;
        var audio = Converting.Convert(atRate, source, seTarget, tau, conversionNoise ?? new NoiseSource.Seeded(0));
        return new CloneResult(audio, Converting.Model.SampleRate, speeches[^1], source, synth, embed, sw.Elapsed.TotalSeconds - synth - embed);
    }

    /// <summary>
    /// The pieces of <see cref="Clone(IReadOnlyList{MeloInput}, int, MeloSynthesisOptions, MeloNoise, Tensor, Tensor?, float, NoiseSource?)"/>,
    /// each converted as soon as it is synthesized and yielded (its speech with the <paramref name="gap"/> zeros after it,
    /// converted), so the first audio comes after one piece and a long text never holds all its audio. Not waiting for the
    /// whole text has two costs, both small: each piece is converted on its own (the STFT frames at a piece's edges see
    /// silence, not the next piece), and the base speaker's embedding, when not given, is taken from the first piece.
    /// Pieces are read one at a time, so inputs built when read (<see cref="MeloTTS.Text.TextUtterances.Inputs"/>) stay lazy.
    /// </summary>
    public IEnumerable<CloneResult> CloneEach(IEnumerable<MeloInput> pieces, int gap, MeloSynthesisOptions style, MeloNoise noise, Tensor seTarget,
        Tensor? seSource = null, float tau = ToneColorDefaults.Tau, NoiseSource? conversionNoise = null)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        if (tau < 0 || float.IsNaN(tau)) throw new VoxTileException($"tau must be ≥ 0, got {tau}");
        if (gap < 0) throw new VoxTileException($"the gap after each piece must be ≥ 0 samples, got {gap}");
        conversionNoise ??= new NoiseSource.Seeded(0);
        var source = seSource;
        foreach (var piece in pieces)
        {
            var sw = Stopwatch.StartNew();
            var speech = Speaking.Synthesize(piece, style, noise);
            var resampled = speech.Resampled ?? throw new InvalidOperationException("the synthesis was not resampled to the converter's rate");
            var atRate = new float[resampled.Length + gap];
            resampled.CopyTo(atRate, 0);
            double synth = sw.Elapsed.TotalSeconds;
            if (atRate.Length < Converting.Model.MinSamples)
                throw new VoxTileException($"a synthesized piece ({atRate.Length} samples) is shorter than the converter's minimum of {Converting.Model.MinLength}");
            source ??= Converting.ExtractEmbedding([atRate]);
            double embed = sw.Elapsed.TotalSeconds - synth;
            var audio = Converting.Convert(atRate, source, seTarget, tau, conversionNoise);
            yield return new CloneResult(audio, Converting.Model.SampleRate, speech, source, synth, embed, sw.Elapsed.TotalSeconds - synth - embed);
        }
    }
}
