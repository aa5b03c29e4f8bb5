using VoxTile.Models.Audio;
using VoxTile.Models.Device;
using VoxTile.Models.MeloTTS;
using VoxTile.Models.MeloTTS.Text;
using VoxTile.Models.OpenVoice;
using VoxTile.Models.Pipelines;

namespace VoxTile.Models.Api;

/// <summary>
/// OpenVoice V2 end to end from .NET: MeloTTS speaks the phonemes in its base voice and the tone color converter gives
/// the speech the target's voice (<see cref="ClonePipeline"/>). Output is mono at <see cref="SampleRate"/>, the
/// converter's rate (on the device the 44.1 → 22.05 kHz resampling runs inside the synthesis plan).
/// <code>
/// using var cloner = VoiceCloner.Load("melo/EN", "checkpoints_v2/converter");
/// var me = cloner.ExtractEmbedding(WavFile.Read("my_voice.wav"));
/// var speech = cloner.Clone("Hello world.", targetEmbedding: me);
/// </code>
/// <para>
/// Thread-safe: calls from several threads are serialized on one lock. Instances on several threads are safe too; their
/// native kernels take turns on the process's one kernel pool, which already uses every core.
/// </para>
/// </summary>
public sealed class VoiceCloner : IDisposable
{
    private readonly DeviceMeloBackend? _meloDevice;
    private readonly DeviceConverterBackend? _converterDevice;
    private readonly ClonePipeline _pipeline;
    private readonly SerializedCalls _calls;

    private VoiceCloner(MeloSynthesizer melo, ToneColorConverter converter, PipelineOptions options)
    {
        var device = options.ToDeviceOptions();
        _meloDevice = device is null ? null : new DeviceMeloBackend(device);
        _converterDevice = device is null ? null : new DeviceConverterBackend(device);
        _calls = new SerializedCalls(this, _meloDevice, _converterDevice);
        _pipeline = new ClonePipeline(melo, converter, _meloDevice, _converterDevice);
    }

    /// <summary>Loads a MeloTTS folder and a converter folder (each config.json and checkpoint.pth).</summary>
    public static VoiceCloner Load(string meloDirectory, string converterDirectory, PipelineOptions? options = null) =>
        new(MeloSynthesizer.Load(meloDirectory), ToneColorConverter.Load(converterDirectory), options ?? PipelineOptions.Default);

    /// <summary>A cloner for models already in memory.</summary>
    public static VoiceCloner Create(MeloSynthesizer melo, ToneColorConverter converter, PipelineOptions? options = null) =>
        new(melo, converter, options ?? PipelineOptions.Default);

    /// <summary>The rate of the cloned speech: the converter's (22050 Hz for the released one).</summary>
    public int SampleRate => _pipeline.Converting.Model.SampleRate;

    /// <summary>The target voice's embedding, as <see cref="VoiceConverter.ExtractEmbedding(IEnumerable{AudioClip}, IProgress{double}?)"/> gives it.</summary>
    public VoiceEmbedding ExtractEmbedding(IEnumerable<AudioClip> references, IProgress<double>? progress = null)
    {
        var converting = _pipeline.Converting;
        var samples = references.Select(converting.ToModelRate).ToList();
        return Locked(() =>
        {
            _pipeline.Progress = null;
            return new VoiceEmbedding(converting.ExtractEmbedding(samples, progress));
        });
    }

    /// <inheritdoc cref="ExtractEmbedding(IEnumerable{AudioClip}, IProgress{double}?)"/>
    public VoiceEmbedding ExtractEmbedding(AudioClip reference, IProgress<double>? progress = null) => ExtractEmbedding([reference], progress);

    /// <param name="phonemes">MeloTTS symbols, whitespace-separated (see <see cref="SpeechSynthesizer.Synthesize"/>).</param>
    /// <param name="tones">one tone per phoneme.</param>
    /// <param name="targetEmbedding">the voice to clone.</param>
    /// <param name="baseSpeaker">the base speaker's embedding (OpenVoice's base_speakers/ses); null takes it from the synthesized speech.</param>
    /// <param name="tau">the converter's posterior sampling temperature.</param>
    /// <param name="progress">reports each stage's graph runs, each from 0 to 1.</param>
    public AudioClip Clone(string phonemes, string tones, VoiceEmbedding targetEmbedding, SpeechSettings? settings = null,
        VoiceEmbedding? baseSpeaker = null, float tau = ToneColorDefaults.Tau, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(targetEmbedding);
        settings ??= SpeechSettings.Default;
        var input = SpeechSynthesizer.Input(_pipeline.Speaking.Model, phonemes, tones, settings);
        var style = settings.Style();
        return Locked(() =>
        {
            _pipeline.Progress = progress;
            var result = _pipeline.Clone(input, style, new MeloNoise.Seeded(settings.Seed), targetEmbedding.Values, baseSpeaker?.Values, tau,
                new NoiseSource.Seeded(settings.Seed));
            return AudioClips.Mono(result.Audio, result.SampleRate);
        });
    }

    /// <summary>
    /// Text (English) in the cloned voice: the pieces MeloTTS's <c>tts_to_file</c> would speak, joined with its silence
    /// after each, converted as one recording (see <see cref="SpeechSynthesizer.Synthesize(string, SpeechSettings?, IProgress{double}?)"/>).
    /// </summary>
    public AudioClip Clone(string text, VoiceEmbedding targetEmbedding, SpeechSettings? settings = null,
        VoiceEmbedding? baseSpeaker = null, float tau = ToneColorDefaults.Tau, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(targetEmbedding);
        settings ??= SpeechSettings.Default;
        var style = settings.Style();
        var pieces = SpeechSynthesizer.Utterances(_pipeline.Speaking.Model, text, settings);
        int gap = TextUtterances.GapSamples(SampleRate, settings.Speed);
        return Locked(() =>
        {
            _pipeline.Progress = progress;
            var result = _pipeline.Clone([.. pieces.Select(p => p.Input)], gap, style, new MeloNoise.Seeded(settings.Seed), targetEmbedding.Values,
                baseSpeaker?.Values, tau, new NoiseSource.Seeded(settings.Seed));
            return AudioClips.Mono(result.Audio, result.SampleRate);
        });
    }

    private T Locked<T>(Func<T> work) => _calls.Run(work);

    public void Dispose() => _calls.Dispose();
}
