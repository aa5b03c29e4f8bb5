using VoxTile.IR;
using VoxTile.Models.Audio;
using VoxTile.Models.Device;
using VoxTile.Models.OpenVoice;

namespace VoxTile.Models.Api;

/// <summary>
/// OpenVoice V2's tone color converter from .NET: extract a speaker's embedding from reference recordings and convert
/// speech to that voice.
/// <code>
/// using var converter = VoiceConverter.Load("checkpoints_v2/converter");
/// var me = converter.ExtractEmbedding(WavFile.Read("my_voice.wav"));
/// var audio = converter.Convert(WavFile.Read("speech.wav"), targetEmbedding: me);
/// </code>
/// Input audio may have any rate (it is resampled to <see cref="SampleRate"/>); output is mono at <see cref="SampleRate"/>.
/// <para>
/// Thread-safe: calls from several threads are serialized on one lock (the device plans and their memory are held by
/// the instance and run one at a time). Instances on several threads are safe too, but their native kernels take turns
/// on the process's one kernel pool, which already uses every core: a second instance overlaps host work, not compute. A
/// <see cref="ConvertInChunks"/> stream holds the lock only while it computes each chunk.
/// </para>
/// </summary>
public sealed class VoiceConverter : IDisposable
{
    private readonly DeviceConverterBackend? _device;
    private readonly ToneColorPipeline _pipeline;
    private readonly SerializedCalls _calls;

    private VoiceConverter(ToneColorConverter model, DeviceBackendOptions? device)
    {
        _device = device is null ? null : new DeviceConverterBackend(device);
        _calls = new SerializedCalls(this, _device);
        _pipeline = new ToneColorPipeline(model) { Backend = _device };
    }

    /// <summary>Loads a converter folder (config.json and checkpoint.pth, as in OpenVoice V2's checkpoints_v2/converter).</summary>
    public static VoiceConverter Load(string directory, PipelineOptions? options = null) =>
        new(ToneColorConverter.Load(directory), (options ?? PipelineOptions.Default).ToDeviceOptions());

    /// <summary>A converter for a model already in memory (e.g. <see cref="ToneColorConverter.Random"/>).</summary>
    public static VoiceConverter Create(ToneColorConverter model, PipelineOptions? options = null) =>
        new(model, (options ?? PipelineOptions.Default).ToDeviceOptions());

    /// <summary>
    /// A converter with every option of the device backend (chunk size, exact-length plans, per-op check, trace), as
    /// <c>voxtile convert</c> uses it; null runs the reference interpreter.
    /// </summary>
    public static VoiceConverter Create(ToneColorConverter model, DeviceBackendOptions? device) => new(model, device);

    /// <summary>
    /// The device backend (its plans' timings, memory, check and compile times), for reports after the work; null on
    /// the reference backend. Read it when no other thread is calling this instance.
    /// </summary>
    public DeviceConverterBackend? Device => _device;

    /// <summary>When set, the reference interpreter adds its time per op here (the device backend times its plans itself).</summary>
    public IR.Interp.OpProfile? Profile
    {
        get => _pipeline.Profile;
        set => _pipeline.Profile = value;
    }

    /// <summary>The model (its config, sample rate and minimum length).</summary>
    public ToneColorConverter Model => _pipeline.Model;

    /// <summary>The rate of the model's audio (22050 Hz for the released converter).</summary>
    public int SampleRate => _pipeline.Model.SampleRate;

    /// <summary>
    /// OpenVoice's extract_se: each reference is split into round(seconds / 10) parts (at least one), each part gives an
    /// embedding, and the result is their mean.
    /// </summary>
    public VoiceEmbedding ExtractEmbedding(IEnumerable<AudioClip> references, IProgress<double>? progress = null)
    {
        var samples = references.Select(ToModelRate).ToList();
        return Locked(() =>
        {
            _pipeline.Progress = null; // the parts report instead: one graph run each
            return new VoiceEmbedding(_pipeline.ExtractEmbedding(samples, progress));
        });
    }

    /// <inheritdoc cref="ExtractEmbedding(IEnumerable{AudioClip}, IProgress{double}?)"/>
    public VoiceEmbedding ExtractEmbedding(AudioClip reference, IProgress<double>? progress = null) => ExtractEmbedding([reference], progress);

    /// <summary>
    /// OpenVoice's convert: <paramref name="source"/> spoken in <paramref name="targetEmbedding"/>'s voice, at
    /// <see cref="SampleRate"/>, hop · frames samples.
    /// </summary>
    /// <param name="sourceEmbedding">the source speaker's embedding; null extracts it from <paramref name="source"/>.</param>
    /// <param name="tau">the posterior sampling temperature (OpenVoice's default 0.3).</param>
    /// <param name="seed">the seed of the posterior draw (the same seed gives the same output).</param>
    /// <param name="progress">the fraction of the conversion done, from 0 to 1.</param>
    public AudioClip Convert(AudioClip source, VoiceEmbedding targetEmbedding, VoiceEmbedding? sourceEmbedding = null,
        float tau = ToneColorDefaults.Tau, long seed = 0, IProgress<double>? progress = null) =>
        Convert(source, targetEmbedding, sourceEmbedding, tau, new NoiseSource.Seeded(seed), progress);

    /// <summary><see cref="Convert(AudioClip, VoiceEmbedding, VoiceEmbedding?, float, long, IProgress{double}?)"/> with the posterior draw given: a seed, or a recorded draw [1, inter, frames] to replay (parity checks).</summary>
    public AudioClip Convert(AudioClip source, VoiceEmbedding targetEmbedding, VoiceEmbedding? sourceEmbedding, float tau, NoiseSource noise,
        IProgress<double>? progress = null)
    {
        var chunks = ConvertInChunks(source, targetEmbedding, sourceEmbedding, tau, noise, progress).ToList();
        var all = new float[chunks.Sum(c => c.Samples.Length)];
        int at = 0;
        foreach (var c in chunks)
        {
            c.Samples.CopyTo(all, at);
            at += c.Samples.Length;
        }
        return AudioClips.Mono(all, SampleRate);
    }

    /// <summary>
    /// Several sources spoken in one target voice, as <see cref="Convert(AudioClip, VoiceEmbedding, VoiceEmbedding?, float, long, IProgress{double}?)"/>
    /// gives each alone with the same <paramref name="seed"/>: on the device backend their chunks run through batch plans of up to
    /// <paramref name="maxBatch"/> utterances (one length bucket per plan); the reference backend converts them in turn.
    /// Each source's own embedding is extracted from it. Returns one clip per source, in order.
    /// </summary>
    public IReadOnlyList<AudioClip> ConvertBatch(IReadOnlyList<AudioClip> sources, VoiceEmbedding targetEmbedding, float tau = ToneColorDefaults.Tau,
        long seed = 0, int maxBatch = 4, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(targetEmbedding);
        return ConvertBatch([.. sources.Select(s => (s, targetEmbedding))], tau, seed, maxBatch, progress);
    }

    /// <summary>
    /// Several sources, each in its own target voice (a server's requests for different voices in one batch), as
    /// <see cref="Convert(AudioClip, VoiceEmbedding, VoiceEmbedding?, float, long, IProgress{double}?)"/> gives each alone
    /// with the same <paramref name="seed"/>; on the device backend through batch plans of up to <paramref name="maxBatch"/>.
    /// </summary>
    public IReadOnlyList<AudioClip> ConvertBatch(IReadOnlyList<(AudioClip Source, VoiceEmbedding Target)> items, float tau = ToneColorDefaults.Tau,
        long seed = 0, int maxBatch = 4, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (tau < 0 || float.IsNaN(tau)) throw new VoxTileException($"tau must be ≥ 0, got {tau}");
        if (maxBatch < 1) throw new VoxTileException($"the batch must hold at least one utterance, got {maxBatch}");
        var samples = items.Select(it => ToModelRate(it.Source)).ToList();
        return Locked(() =>
        {
            _pipeline.Progress = null;
            var batch = samples.Select((s, i) => new ConversionItem(s, _pipeline.ExtractEmbedding([s]), items[i].Target.Values, new NoiseSource.Seeded(seed))).ToList();
            IReadOnlyList<float[]> outputs = _device is not null
                ? _device.ConvertBatch(_pipeline.Model, batch, tau, maxBatch, progress)
                : [.. batch.Select((it, i) =>
                {
                    var y = _pipeline.Convert(it.Source, it.SeSource, it.SeTarget, tau, it.Noise);
                    progress.ReportCount(i + 1, batch.Count, "source");
                    return y;
                })];
            return (IReadOnlyList<AudioClip>)[.. outputs.Select(o => AudioClips.Mono(o, SampleRate))];
        });
    }

    /// <summary>
    /// <see cref="Convert"/> as a stream: consecutive pieces of the output, each as soon as it is computed, so a long
    /// clip can be written or played while the rest converts. On the device backend a piece is a chunk of about 12 s
    /// (1024 spectrogram frames, overlapped by the receptive field and cropped exactly, so the pieces concatenate to
    /// <see cref="Convert"/>'s result); the reference backend gives one piece.
    /// </summary>
    public IEnumerable<AudioClip> ConvertInChunks(AudioClip source, VoiceEmbedding targetEmbedding, VoiceEmbedding? sourceEmbedding = null,
        float tau = ToneColorDefaults.Tau, long seed = 0, IProgress<double>? progress = null) =>
        ConvertInChunks(source, targetEmbedding, sourceEmbedding, tau, new NoiseSource.Seeded(seed), progress);

    /// <summary><see cref="ConvertInChunks(AudioClip, VoiceEmbedding, VoiceEmbedding?, float, long, IProgress{double}?)"/> with the posterior draw given: a seed, or a recorded draw [1, inter, frames] to replay (parity checks).</summary>
    public IEnumerable<AudioClip> ConvertInChunks(AudioClip source, VoiceEmbedding targetEmbedding, VoiceEmbedding? sourceEmbedding, float tau,
        NoiseSource noise, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(targetEmbedding);
        ArgumentNullException.ThrowIfNull(noise);
        if (tau < 0 || float.IsNaN(tau)) throw new VoxTileException($"tau must be ≥ 0, got {tau}");
        var samples = ToModelRate(source);
        var seSource = sourceEmbedding?.Values;
        var pieces = Locked(() =>
        {
            seSource ??= _pipeline.ExtractEmbedding([samples]);
            _pipeline.Progress = progress;
            return _pipeline.ConvertInChunks(samples, seSource, targetEmbedding.Values, tau, noise);
        });
        return Stream(pieces, progress);
    }

    // Each chunk runs under the lock; between chunks another caller may run (its own progress is set then).
    private IEnumerable<AudioClip> Stream(IEnumerable<float[]> pieces, IProgress<double>? progress)
    {
        using var e = pieces.GetEnumerator();
        while (true)
        {
            float[]? piece = Locked(() =>
            {
                _pipeline.Progress = progress;
                return e.MoveNext() ? e.Current : null;
            });
            if (piece is null) yield break;
            yield return AudioClips.Mono(piece, SampleRate);
        }
    }

    private float[] ToModelRate(AudioClip clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        var samples = _pipeline.ToModelRate(clip);
        if (samples.Length < _pipeline.Model.MinSamples)
            throw new VoxTileException($"{clip.Duration * 1000:F1} ms of audio is shorter than the converter's minimum of {_pipeline.Model.MinLength}");
        return samples;
    }

    private T Locked<T>(Func<T> work) => _calls.Run(work);

    public void Dispose() => _calls.Dispose();
}
