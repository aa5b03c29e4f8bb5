using VoxTile.IR;
using VoxTile.Models.Audio;
using VoxTile.Models.Device;
using VoxTile.Models.MeloTTS;
using VoxTile.Models.MeloTTS.Text;

namespace VoxTile.Models.Api;

/// <summary>
/// MeloTTS from .NET: speech in the model's base voice from English text, or from phonemes and tones (MeloTTS's symbols,
/// one tone per phoneme as the language's g2p gives them). BERT features are zeros (bert-base-uncased is not shipped).
/// <code>
/// using var tts = SpeechSynthesizer.Load("melo/EN");
/// var speech = tts.Synthesize("Hello world.");
/// var same = tts.Synthesize("_ hh ah l ow w er l d _", "0 0 1 0 2 0 2 0 0 0");
/// </code>
/// <para>
/// Thread-safe: calls from several threads are serialized on one lock (the device plans are held by the instance and
/// run one at a time). Instances on several threads are safe too; their native kernels take turns on the process's one
/// kernel pool, which already uses every core.
/// </para>
/// </summary>
public sealed class SpeechSynthesizer : IDisposable
{
    private readonly DeviceMeloBackend? _device;
    private readonly MeloPipeline _pipeline;
    private readonly SerializedCalls _calls;

    private SpeechSynthesizer(MeloSynthesizer model, DeviceBackendOptions? device)
    {
        _device = device is null ? null : new DeviceMeloBackend(device);
        _calls = new SerializedCalls(this, _device);
        _pipeline = new MeloPipeline(model) { Backend = _device };
    }

    /// <summary>Loads a MeloTTS folder (config.json and checkpoint.pth).</summary>
    public static SpeechSynthesizer Load(string directory, PipelineOptions? options = null) =>
        new(MeloSynthesizer.Load(directory), (options ?? PipelineOptions.Default).ToDeviceOptions());

    /// <summary>A synthesizer for a model already in memory (e.g. <see cref="MeloSynthesizer.Random"/>).</summary>
    public static SpeechSynthesizer Create(MeloSynthesizer model, PipelineOptions? options = null) =>
        new(model, (options ?? PipelineOptions.Default).ToDeviceOptions());

    /// <summary>A synthesizer with every option of the device backend (per-op check, trace), as <c>voxtile tts</c> uses it; null runs the reference interpreter.</summary>
    public static SpeechSynthesizer Create(MeloSynthesizer model, DeviceBackendOptions? device) => new(model, device);

    /// <summary>
    /// The device backend (its plans' timings, memory, check and compile times), for reports after the work; null on
    /// the reference backend. Read it when no other thread is calling this instance.
    /// </summary>
    public DeviceMeloBackend? Device => _device;

    /// <summary>When set, the reference interpreter adds its time per op here.</summary>
    public IR.Interp.OpProfile? Profile
    {
        get => _pipeline.Profile;
        set => _pipeline.Profile = value;
    }

    /// <summary>The model (its config: symbols, speakers, rates).</summary>
    public MeloSynthesizer Model => _pipeline.Model;

    /// <summary>The rate of the speech (44100 Hz for the released models).</summary>
    public int SampleRate => _pipeline.Model.SampleRate;

    /// <param name="phonemes">MeloTTS symbols by name or id, whitespace-separated (add_blank's blanks are interleaved here).</param>
    /// <param name="tones">one tone per phoneme, whitespace-separated.</param>
    /// <param name="progress">the fraction of the synthesis done, from 0 to 1.</param>
    public AudioClip Synthesize(string phonemes, string tones, SpeechSettings? settings = null, IProgress<double>? progress = null)
    {
        settings ??= SpeechSettings.Default;
        var input = Input(_pipeline.Model, phonemes, tones, settings);
        var style = settings.Style();
        return Locked(() =>
        {
            _pipeline.Progress = progress;
            var result = _pipeline.Synthesize(input, style, new MeloNoise.Seeded(settings.Seed));
            return AudioClips.Mono(result.Audio, result.SampleRate);
        });
    }

    /// <summary>
    /// Speech from text (English): the text split as MeloTTS's <c>tts_to_file</c> splits it, each piece phonemized
    /// (<see cref="EnglishFrontEnd"/>) and synthesized in turn, with int(rate · 0.05 / speed) zero samples after each.
    /// </summary>
    /// <param name="progress">the fraction of the pieces done, from 0 to 1.</param>
    public AudioClip Synthesize(string text, SpeechSettings? settings = null, IProgress<double>? progress = null)
    {
        settings ??= SpeechSettings.Default;
        var style = settings.Style();
        var pieces = Utterances(_pipeline.Model, text, settings);
        return Locked(() =>
        {
            _pipeline.Progress = null;
            var noise = new MeloNoise.Seeded(settings.Seed);
            var audio = new List<float[]>();
            foreach (var piece in pieces)
            {
                audio.Add(_pipeline.Synthesize(piece.Input, style, noise).Audio);
                progress.ReportCount(audio.Count, pieces.Count, "sentence");
            }
            return AudioClips.Mono(TextUtterances.Join(audio, TextUtterances.GapSamples(SampleRate, settings.Speed)), SampleRate);
        });
    }

    /// <summary>The most utterances <see cref="SynthesizeBatch(IReadOnlyList{string}, SpeechSettings?, IProgress{double}?)"/> runs in one batch.</summary>
    public int MaxBatch { get; set; } = DefaultMaxBatch;

    public const int DefaultMaxBatch = 8;

    /// <summary>
    /// Several utterances (phonemes and tones, as <see cref="Synthesize(string, string, SpeechSettings?, IProgress{double}?)"/>
    /// takes them) in batches of up to <see cref="MaxBatch"/>, one clip per utterance in the given order. Each draws what
    /// its own call with <paramref name="settings"/>' seed draws; a batch runs at the token and frame buckets of its
    /// longest item, so a clip equals its single call up to the bucket (bit for bit at the same buckets).
    /// </summary>
    public IReadOnlyList<AudioClip> SynthesizeBatch(IReadOnlyList<(string Phonemes, string Tones)> utterances, SpeechSettings? settings = null,
        IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(utterances);
        settings ??= SpeechSettings.Default;
        var inputs = utterances.Select(u => Input(_pipeline.Model, u.Phonemes, u.Tones, settings)).ToList();
        var style = settings.Style();
        return Locked(() =>
        {
            _pipeline.Progress = null;
            var audio = RunBatches(inputs, style, new MeloNoise.Seeded(settings.Seed), progress);
            return (IReadOnlyList<AudioClip>)[.. audio.Select(a => AudioClips.Mono(a, SampleRate))];
        });
    }

    /// <summary>
    /// Several texts (English) at once: every text split and phonemized as
    /// <see cref="Synthesize(string, SpeechSettings?, IProgress{double}?)"/> does, all their pieces run in batches of up
    /// to <see cref="MaxBatch"/> (pieces of similar length together, so a batch pads little), and each text's pieces
    /// joined with the same gaps: one clip per text, in the given order.
    /// </summary>
    /// <param name="progress">the fraction of all pieces done, from 0 to 1.</param>
    public IReadOnlyList<AudioClip> SynthesizeBatch(IReadOnlyList<string> texts, SpeechSettings? settings = null, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        settings ??= SpeechSettings.Default;
        var style = settings.Style();
        var pieces = texts.Select(t => Utterances(_pipeline.Model, t, settings)).ToList();
        var flat = pieces.SelectMany(p => p.Select(u => u.Input)).ToList();
        return Locked(() =>
        {
            _pipeline.Progress = null;
            var audio = RunBatches(flat, style, new MeloNoise.Seeded(settings.Seed), progress);
            int gap = TextUtterances.GapSamples(SampleRate, settings.Speed), next = 0;
            var clips = new List<AudioClip>(texts.Count);
            foreach (var p in pieces)
            {
                clips.Add(AudioClips.Mono(TextUtterances.Join(audio.GetRange(next, p.Count), gap), SampleRate));
                next += p.Count;
            }
            return (IReadOnlyList<AudioClip>)clips;
        });
    }

    /// <summary>
    /// Model-ready utterances in one batch (see <see cref="MeloPipeline.SynthesizeBatch"/>): item b draws what
    /// <c>noise.Item(b)</c> gives a single run (a seed: every item its draws from that seed; <see cref="MeloNoise.PerItem"/>:
    /// each its own), each result trimmed to its utterance.
    /// </summary>
    public IReadOnlyList<MeloResult> SynthesizeBatch(IReadOnlyList<MeloInput> inputs, MeloSynthesisOptions style, MeloNoise noise,
        IReadOnlyList<Tensor>? durations = null, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return Locked(() =>
        {
            _pipeline.Progress = progress;
            return _pipeline.SynthesizeBatch(inputs, style, noise, durations: durations);
        });
    }

    /// <summary>The audio of each input, run in batches of up to <see cref="MaxBatch"/> inputs of similar token counts.</summary>
    private List<float[]> RunBatches(IReadOnlyList<MeloInput> inputs, MeloSynthesisOptions style, MeloNoise noise, IProgress<double>? progress)
    {
        if (MaxBatch < 1) throw new VoxTileException($"the batch size must be positive (got {MaxBatch})");
        var audio = new float[inputs.Count][];
        var byLength = Enumerable.Range(0, inputs.Count).OrderBy(i => inputs[i].Length).ToList();
        int done = 0;
        foreach (var chunk in byLength.Chunk(MaxBatch))
        {
            var results = _pipeline.SynthesizeBatch([.. chunk.Select(i => inputs[i])], style, noise);
            for (int k = 0; k < chunk.Length; k++) audio[chunk[k]] = results[k].Audio;
            done += chunk.Length;
            progress.ReportCount(done, inputs.Count, "utterance");
        }
        return [.. audio];
    }

    internal static IReadOnlyList<TextUtterance> Utterances(MeloSynthesizer model, string text, SpeechSettings settings)
    {
        ArgumentNullException.ThrowIfNull(text);
        var frontEnd = TextFrontEnds.For(settings.Language, settings.Lexicon, model.Config.Symbols);
        return TextUtterances.Build(model.Config, frontEnd, text, MeloSpeakers.Resolve(model.Config, settings.Speaker));
    }

    /// <summary>
    /// The synthesis of a model-ready utterance (ids, BERT features, speaker), with its draws given (a seed, or recorded
    /// draws to replay) and optionally whole-frame durations to force: the untrimmed model's outputs trimmed to the
    /// utterance, with the durations, alignment and latents beside the audio.
    /// </summary>
    public MeloResult Synthesize(MeloInput input, MeloSynthesisOptions style, MeloNoise noise, Tensor? durations = null, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Locked(() =>
        {
            _pipeline.Progress = progress;
            return _pipeline.Synthesize(input, style, noise, durations: durations);
        });
    }

    internal static MeloInput Input(MeloSynthesizer model, string phonemes, string tones, SpeechSettings settings)
    {
        ArgumentNullException.ThrowIfNull(phonemes);
        ArgumentNullException.ThrowIfNull(tones);
        var sequence = MeloText.For(model.Config).Encode(phonemes.Replace(',', ' '), tones.Replace(',', ' '), settings.Language);
        return MeloInput.WithoutBert(sequence, MeloSpeakers.Resolve(model.Config, settings.Speaker));
    }

    private T Locked<T>(Func<T> work) => _calls.Run(work);

    public void Dispose() => _calls.Dispose();
}
