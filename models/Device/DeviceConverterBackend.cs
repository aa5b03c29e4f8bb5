using System.Diagnostics;
using VoxTile.IR;
using VoxTile.IR.Ops.Audio;
using VoxTile.IR.Ops.Random;
using VoxTile.Lowering;
using VoxTile.Lowering.Passes;
using VoxTile.Lowering.Plan;
using VoxTile.Lowering.Planning;
using VoxTile.Models.OpenVoice;
using VoxTile.Runtime.Cache;
using VoxTile.Runtime.Execution;
using VoxTile.Models.Api;

namespace VoxTile.Models.Device;

/// <summary>
/// voice_conversion on the device runtime: compile → plan → run. The clip goes through the plan in chunks of one
/// length bucket of frames (<see cref="ChunkSchedule"/>, context from <see cref="ReceptiveField"/>), so memory does
/// not grow with the input and a long clip reuses one plan. Each chunk's input is the window of samples its frames
/// read, cut from the clip with its real neighbours (the host only stages input: the reflect pad at the clip's two
/// ends is a mirrored copy of (n_fft − hop)/2 samples); the spectrogram, like everything after it, runs in the plan. Plans
/// come from the <see cref="PlanCache"/> (keyed by model, target, bucket, dtype, tau and compiler version) and stay
/// loaded, weights uploaded, for the backend's lifetime.
/// </summary>
public sealed class DeviceConverterBackend(DeviceBackendOptions options) : IConverterBackend, IDisposable
{
    private readonly Dictionary<(string Model, int Frames, float Tau, int Batch), Executor> _executors = [];
    private readonly Dictionary<(string Model, int Samples), Executor> _embedders = [];
    private readonly DevicePlanLoader _loader = new(options);

    /// <summary>The intermediates reported to an observer, as the device computes them.</summary>
    public static readonly string[] Intermediates = ["spec", "z", "z_p", "z_hat"];

    public DeviceBackendOptions Options { get; } = options;

    public string Name => $"device {Options.DType} on {Options.Target.Name}";

    /// <summary>The loaded voice_conversion plans (one per bucket used), for timings, checks and memory figures.</summary>
    public IReadOnlyCollection<Executor> Executors => _executors.Values;

    /// <summary>The loaded extract_se plans (one per segment length used).</summary>
    public IReadOnlyCollection<Executor> Embedders => _embedders.Values;

    /// <summary>Seconds spent compiling (cache misses) and loading plans.</summary>
    public double CompileSeconds => _loader.CompileSeconds;

    public double LoadSeconds => _loader.LoadSeconds;

    public float[] Convert(ToneColorConverter model, float[] source, Tensor seSource, Tensor seTarget, float tau, NoiseSource noise,
        Action<string, Tensor>? observe, IProgress<double>? progress) =>
        Concat(ConvertInChunks(model, source, seSource, seTarget, tau, noise, observe, progress), (long)model.FrameCount(source.Length) * model.Config.HopLength);

    public IEnumerable<float[]> ConvertInChunks(ToneColorConverter model, float[] source, Tensor seSource, Tensor seTarget, float tau, NoiseSource noise,
        Action<string, Tensor>? observe, IProgress<double>? progress)
    {
        var c = model.Config;
        if (source.Length < model.MinSamples) throw new VoxTileException($"audio of {source.Length} samples is shorter than the converter's minimum of {model.MinLength}");
        var eps = NoiseFor(noise, c.InterChannels, model.FrameCount(source.Length));
        return RunInChunks(model, source, seSource, seTarget, eps, tau, observe, progress);
    }

    /// <summary>voice_conversion of model-rate samples with a posterior draw [1, inter, F] (F the clip's frames): hop·F samples.</summary>
    public float[] Run(ToneColorConverter model, float[] samples, Tensor seSource, Tensor seTarget, Tensor noise, float tau,
        Action<string, Tensor>? observe = null, IProgress<double>? progress = null) =>
        Concat(RunInChunks(model, samples, seSource, seTarget, noise, tau, observe, progress), (long)model.FrameCount(samples.Length) * model.Config.HopLength);

    /// <summary>
    /// <see cref="Run"/> as a stream: each chunk's kept samples as soon as its plan has run, in order, so the caller can
    /// write (or play) a long clip while the rest converts. The pieces concatenate to <see cref="Run"/>'s result. The
    /// argument checks run at the first MoveNext.
    /// </summary>
    public IEnumerable<float[]> RunInChunks(ToneColorConverter model, float[] samples, Tensor seSource, Tensor seTarget, Tensor noise, float tau,
        Action<string, Tensor>? observe = null, IProgress<double>? progress = null)
    {
        var c = model.Config;
        int frames = model.FrameCount(samples.Length), hop = c.HopLength, inter = c.InterChannels;
        if (!noise.Shape.SequenceEqual([1, inter, frames])) throw new VoxTileException($"noise has shape {noise.ShapeString}, the source needs [1,{inter},{frames}]");
        if (Options.ChunkFrames % LengthBuckets.Frames != 0)
            throw new VoxTileException($"chunks must be a multiple of {LengthBuckets.Frames} frames, got {Options.ChunkFrames}");
        var schedule = ChunkSchedule.For(frames, Options.ChunkFrames, ReceptiveField.Frames(c));
        var padded = Spectrogram.ReflectPad(samples, ConversionGraph.Stft(model).Pad);
        var stitched = observe is null ? null : new Dictionary<string, float[]>();
        for (int k = 0; k < schedule.Chunks.Count; k++)
        {
            var chunk = schedule.Chunks[k];
            int bucket = schedule.Chunks.Count > 1 ? Options.ChunkFrames : Options.ExactLength ? frames : LengthBuckets.Round(frames);
            int real = Math.Min(bucket, frames - chunk.Start);
            var ex = ExecutorFor(model, bucket, tau);
            var inputs = ChunkInputs(model, padded, seSource, seTarget, noise, chunk, real, bucket);
            long t0 = Stopwatch.GetTimestamp();
            var outputs = ex.Run(inputs, stitched is null ? null : (name, t) => Stitch(stitched, name, t, chunk, frames, bucket));
            Options.Trace?.Span($"chunk {k + 1}/{schedule.Chunks.Count}", t0, Stopwatch.GetTimestamp(),
                new Dictionary<string, object> { ["frames"] = $"{chunk.Start}..{chunk.Start + real}", ["kept"] = $"{chunk.KeepFrom}..{chunk.KeepTo}", ["bucket"] = bucket });
            var kept = outputs[0].Data.AsSpan((chunk.KeepFrom - chunk.Start) * hop, (chunk.KeepTo - chunk.KeepFrom) * hop).ToArray();
            progress.ReportCount(k + 1, schedule.Chunks.Count, "chunk");
            if (k == schedule.Chunks.Count - 1 && stitched is not null)
                foreach (var (name, data) in stitched) observe!(name, new Tensor([1, data.Length / frames, frames], data));
            yield return kept;
        }
    }

    private static float[] Concat(IEnumerable<float[]> pieces, long length)
    {
        var all = new float[length];
        long at = 0;
        foreach (var p in pieces)
        {
            Array.Copy(p, 0, all, at, p.Length);
            at += p.Length;
        }
        if (at != length) throw new InvalidOperationException($"the chunks gave {at} samples, not {length}");
        return all;
    }

    /// <summary>The loaded plan for <paramref name="batch"/> chunks of <paramref name="frames"/> frames: from this backend, else the cache, else compiled.</summary>
    public Executor ExecutorFor(ToneColorConverter model, int frames, float tau, int batch = 1)
    {
        var hash = ModelFingerprint.Of(model);
        if (_executors.TryGetValue((hash, frames, tau, batch), out var ex)) return ex;
        var bucket = new Dictionary<string, int> { ["frames"] = frames };
        if (batch > 1) bucket["batch"] = batch;
        ex = _loader.Load($"voice_conversion for {(batch > 1 ? $"{batch} × " : "")}{frames} frames", () => ConversionGraph.Build(model, frames, tau, batch),
            $"OpenVoice V2 converter (voice_conversion, tau {tau}): {model.Description}", hash, bucket,
            $"graph=voice_conversion(spec);tau={tau:R}", Intermediates);
        _executors[(hash, frames, tau, batch)] = ex;
        return ex;
    }

    /// <summary>
    /// Several conversions at once: every chunk of every item (<see cref="ChunkSchedule"/>) is a unit of work, and the
    /// units of one bucket run through a batch plan up to <paramref name="maxBatch"/> at a time (a smaller group gets a
    /// plan of its own size, so nothing is computed for padding). Each item's noise is its own draw (a seed draws what a
    /// single run of that item draws), and each unit's window, embeddings, noise and mask are its item's, so item k's
    /// output is what <see cref="Convert"/> gives for it alone. Returns hop · frames samples per item, in order.
    /// </summary>
    public IReadOnlyList<float[]> ConvertBatch(ToneColorConverter model, IReadOnlyList<ConversionItem> items, float tau, int maxBatch,
        IProgress<double>? progress = null)
    {
        if (maxBatch < 1) throw new VoxTileException($"the batch must hold at least one utterance, got {maxBatch}");
        var c = model.Config;
        int hop = c.HopLength, inter = c.InterChannels;
        var prepared = items.Select((item, i) =>
        {
            if (item.Source.Length < model.MinSamples)
                throw new VoxTileException($"item {i + 1}: audio of {item.Source.Length} samples is shorter than the converter's minimum of {model.MinLength}");
            int frames = model.FrameCount(item.Source.Length);
            var eps = NoiseFor(item.Noise, inter, frames);
            var schedule = ChunkSchedule.For(frames, Options.ChunkFrames, ReceptiveField.Frames(c));
            return (Item: item, Frames: frames, Noise: eps, Schedule: schedule, Padded: Spectrogram.ReflectPad(item.Source, ConversionGraph.Stft(model).Pad),
                Output: new float[(long)frames * hop]);
        }).ToList();
        var units = prepared.SelectMany((p, i) => p.Schedule.Chunks.Select(chunk =>
            (Item: i, Chunk: chunk, Bucket: p.Schedule.Chunks.Count > 1 ? Options.ChunkFrames : Options.ExactLength ? p.Frames : LengthBuckets.Round(p.Frames)))).ToList();
        int done = 0;
        foreach (var group in units.GroupBy(u => u.Bucket))
        {
            var all = group.ToList();
            for (int at = 0; at < all.Count; at += maxBatch)
            {
                var run = all.GetRange(at, Math.Min(maxBatch, all.Count - at));
                int bucket = group.Key, n = run.Count;
                var ex = ExecutorFor(model, bucket, tau, n);
                var parts = run.Select(u =>
                {
                    var p = prepared[u.Item];
                    int real = Math.Min(bucket, p.Frames - u.Chunk.Start);
                    return ChunkInputs(model, p.Padded, p.Item.SeSource, p.Item.SeTarget, p.Noise, u.Chunk, real, bucket);
                }).ToList();
                var inputs = ConversionGraph.InputNames.ToDictionary(name => name, name => Tensor.StackBatch(parts.Select(x => x[name]).ToList()), StringComparer.Ordinal);
                long t0 = Stopwatch.GetTimestamp();
                var audio = ex.Run(inputs)[0];
                Options.Trace?.Span($"batch of {n} × {bucket} frames", t0, Stopwatch.GetTimestamp(), new Dictionary<string, object> { ["batch"] = n, ["bucket"] = bucket });
                long itemSamples = (long)hop * bucket;
                for (int b = 0; b < n; b++)
                {
                    var (item, chunk, _) = run[b];
                    int from = (chunk.KeepFrom - chunk.Start) * hop, count = (chunk.KeepTo - chunk.KeepFrom) * hop;
                    Array.Copy(audio.Data, b * itemSamples + from, prepared[item].Output, (long)chunk.KeepFrom * hop, count);
                }
                done += n;
                progress.ReportCount(done, units.Count, "chunk");
            }
        }
        return [.. prepared.Select(p => p.Output)];
    }

    /// <summary>The posterior draw [1, inter, frames] of one item: replayed as given, or drawn from its seed as a single run draws it.</summary>
    private static Tensor NoiseFor(NoiseSource noise, int inter, int frames) => noise switch
    {
        NoiseSource.Replay r when r.Noise.Shape.SequenceEqual([1, inter, frames]) => r.Noise,
        NoiseSource.Replay r => throw new VoxTileException($"noise has shape {r.Noise.ShapeString}, the source needs [1,{inter},{frames}]"),
        NoiseSource.Seeded s => Draw([1, inter, frames], s.Seed),
        _ => throw new ArgumentOutOfRangeException(nameof(noise)),
    };

    /// <summary>The plan inputs of one chunk (batch 1): its window of the padded clip, the embeddings, its noise frames and its mask.</summary>
    private Dictionary<string, Tensor> ChunkInputs(ToneColorConverter model, float[] padded, Tensor seSource, Tensor seTarget, Tensor noise,
        ChunkSchedule.Chunk chunk, int real, int bucket)
    {
        int gin = model.Config.GinChannels;
        return new Dictionary<string, Tensor>(StringComparer.Ordinal)
        {
            ["samples"] = SampleWindow(padded, chunk.Start * model.Config.HopLength, ConversionGraph.WindowSamples(model, bucket)),
            ["se_src"] = seSource.Reshape(1, gin, 1),
            ["se_tgt"] = seTarget.Reshape(1, gin, 1),
            ["noise"] = Window(noise, chunk.Start, real, bucket),
            ["mask"] = Mask(real, bucket),
        };
    }

    /// <summary>
    /// extract_se on one segment, on the device: the embedding graph compiled for the segment's exact length (padded
    /// frames would enter ref_enc's GRU and change the embedding), one plan per length, cached like the others.
    /// </summary>
    public Tensor ExtractSegment(ToneColorConverter model, float[] samples)
    {
        if (samples.Length < model.MinSamples) throw new VoxTileException($"audio of {samples.Length} samples is shorter than the converter's minimum of {model.MinLength}");
        var hash = ModelFingerprint.Of(model);
        if (!_embedders.TryGetValue((hash, samples.Length), out var ex))
        {
            int frames = model.FrameCount(samples.Length);
            ex = _loader.Load($"extract_se for {samples.Length} samples", () => model.BuildEmbeddingGraph(samples.Length),
                $"OpenVoice V2 converter (extract_se, {samples.Length} samples): {model.Description}", hash,
                new Dictionary<string, int> { ["samples"] = samples.Length, ["frames"] = frames },
                $"graph=extract_se;samples={samples.Length}", []);
            _embedders[(hash, samples.Length)] = ex;
        }
        long t0 = Stopwatch.GetTimestamp();
        var se = ex.Run(new Dictionary<string, Tensor> { ["samples"] = new Tensor([1, samples.Length], samples) })[0];
        Options.Trace?.Span($"extract_se {samples.Length} samples", t0, Stopwatch.GetTimestamp(), new Dictionary<string, object> { ["samples"] = samples.Length });
        return se.Reshape(1, model.Config.GinChannels, 1);
    }

    /// <summary>Samples [start, start + length) of the padded clip as [1, length], zeros past its end (a padded bucket's silence).</summary>
    private static Tensor SampleWindow(float[] padded, int start, int length)
    {
        var t = new Tensor([1, length]);
        int n = Math.Max(0, Math.Min(length, padded.Length - start));
        Array.Copy(padded, start, t.Data, 0, n);
        return t;
    }

    public static Tensor Draw(int[] shape, long seed)
    {
        var t = new Tensor(shape);
        RandnLike.Fill(t.Data, seed);
        return t;
    }

    /// <summary>Frames [start, start + real) of x [1, C, F], zero-padded to [1, C, bucket].</summary>
    private static Tensor Window(Tensor x, int start, int real, int bucket)
    {
        int ch = x.Shape[1], f = x.Shape[2];
        var y = new Tensor([1, ch, bucket]);
        for (int i = 0; i < ch; i++) Array.Copy(x.Data, (long)i * f + start, y.Data, (long)i * bucket, real);
        return y;
    }

    private static Tensor Mask(int real, int bucket)
    {
        var m = new Tensor([1, 1, bucket]);
        Array.Fill(m.Data, 1f, 0, real);
        return m;
    }

    /// <summary>Collects a kept intermediate's frames into the whole clip's [C, F], whatever layout the plan gave it.</summary>
    private static void Stitch(Dictionary<string, float[]> into, string name, Tensor t, ChunkSchedule.Chunk chunk, int frames, int bucket)
    {
        var s = t.Shape;
        bool channelsLast = s[^2] == bucket && s.Take(s.Length - 2).All(d => d == 1);
        bool channelsFirst = s[^1] == bucket && s.Take(s.Length - 2).All(d => d == 1);
        if (!channelsLast && !channelsFirst) return;
        int ch = channelsLast ? s[^1] : s[^2];
        if (!into.TryGetValue(name, out var dst)) into[name] = dst = new float[(long)ch * frames];
        for (int f = chunk.KeepFrom; f < chunk.KeepTo; f++)
        {
            int local = f - chunk.Start;
            for (int c = 0; c < ch; c++)
                dst[(long)c * frames + f] = channelsLast ? t.Data[(long)local * ch + c] : t.Data[(long)c * bucket + local];
        }
    }

    public void Dispose()
    {
        foreach (var e in _executors.Values.Concat(_embedders.Values)) e.Dispose();
        _executors.Clear();
        _embedders.Clear();
    }
}
