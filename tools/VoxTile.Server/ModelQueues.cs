using System.Diagnostics;
using VoxTile.Lowering.Planning;
using VoxTile.Models.Api;
using VoxTile.Models.Audio;
using VoxTile.Models.MeloTTS;
using VoxTile.Server.Batching;

namespace VoxTile.Server;

/// <summary>One sentence to synthesize in a base speaker's voice at a speed.</summary>
internal sealed record SynthesisJob(MeloInput Input, double Speed);

/// <summary>One recording to speak in a target voice.</summary>
internal sealed record ConversionJob(AudioClip Source, VoiceEmbedding Target, float Tau);

/// <summary>
/// The models and the three queues in front of them: sentences to synthesize (batched by token bucket and speed),
/// recordings to convert (batched by frame bucket and tau, each its own target voice), and references to embed (one at
/// a time: extraction has no batch plan). Each queue has one worker, but one batch runs at a time across them: the
/// runtime's native kernel pool is one per process (as a card runs one program at a time), and two plans dispatching
/// to it at once corrupt each other's work.
/// </summary>
internal sealed class ModelQueues : IAsyncDisposable
{
    private static readonly Lock Device = new(); // process-wide: the native kernel pool is one per process and already uses every core

    public ModelQueues(SpeechSynthesizer tts, VoiceConverter converter, ServerOptions options)
    {
        Tts = tts;
        Converter = converter;
        var batched = new BatcherOptions(options.MaxBatch, options.MaxQueue, options.BatchWindow);
        Synthesis = new DynamicBatcher<SynthesisJob, float[]>(Timed<SynthesisJob, float[]>("synthesis", Synthesize),
            j => (j.Speed, MeloPipeline.TokenBucket(j.Input.Length)), batched, Sizes("synthesis"), Depths("synthesis"));
        Conversion = new DynamicBatcher<ConversionJob, AudioClip>(Timed<ConversionJob, AudioClip>("conversion", jobs => Convert(jobs, options.MaxBatch)),
            j => (j.Tau, LengthBuckets.Round(converter.Model.FrameCount(ModelSamples(j.Source)))), batched, Sizes("conversion"), Depths("conversion"));
        Embedding = new DynamicBatcher<IReadOnlyList<AudioClip>, VoiceEmbedding>(Timed<IReadOnlyList<AudioClip>, VoiceEmbedding>("embedding", jobs => [.. jobs.Select(r => converter.ExtractEmbedding(r))]),
            _ => 0, batched with { MaxBatch = 1 }, Sizes("embedding"), Depths("embedding"));
    }

    public SpeechSynthesizer Tts { get; }
    public VoiceConverter Converter { get; }
    public DynamicBatcher<SynthesisJob, float[]> Synthesis { get; }
    public DynamicBatcher<ConversionJob, AudioClip> Conversion { get; }
    public DynamicBatcher<IReadOnlyList<AudioClip>, VoiceEmbedding> Embedding { get; }

    /// <summary>The samples <paramref name="clip"/> has once at the converter's rate.</summary>
    public int ModelSamples(AudioClip clip) => (int)Resampler.OutputLength(clip.Samples.Length, clip.SampleRate, Converter.SampleRate);

    private IReadOnlyList<float[]> Synthesize(IReadOnlyList<SynthesisJob> jobs)
    {
        var style = MeloSynthesisOptions.Default with { LengthScale = 1.0 / jobs[0].Speed };
        var results = Tts.SynthesizeBatch([.. jobs.Select(j => j.Input)], style, new MeloNoise.Seeded(0));
        return [.. results.Select(r => r.Audio)];
    }

    private IReadOnlyList<AudioClip> Convert(IReadOnlyList<ConversionJob> jobs, int maxBatch) =>
        Converter.ConvertBatch([.. jobs.Select(j => (j.Source, j.Target))], jobs[0].Tau, seed: 0, maxBatch);

    private Func<IReadOnlyList<TJob>, IReadOnlyList<TResult>> Timed<TJob, TResult>(string stage, Func<IReadOnlyList<TJob>, IReadOnlyList<TResult>> run) =>
        jobs =>
        {
            lock (Device)
            {
                var clock = Stopwatch.StartNew();
                try { return run(jobs); }
                finally { ServerMetrics.BatchSeconds.WithLabels(stage).Observe(clock.Elapsed.TotalSeconds); }
            }
        };

    private static Action<int> Sizes(string stage) => n => ServerMetrics.BatchSize.WithLabels(stage).Observe(n);
    private static Action<int> Depths(string stage) => n => ServerMetrics.QueueDepth.WithLabels(stage).Set(n);

    public async ValueTask DisposeAsync()
    {
        await Synthesis.DisposeAsync();
        await Conversion.DisposeAsync();
        await Embedding.DisposeAsync();
    }
}
