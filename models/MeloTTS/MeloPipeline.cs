using VoxTile.IR;
using VoxTile.IR.Interp;
using VoxTile.Models.Api;

namespace VoxTile.Models.MeloTTS;

/// <summary>
/// Runs <see cref="MeloSynthesizer"/>'s graph — with the reference interpreter, or with <see cref="Backend"/> when one is
/// set — and trims the static-bucket outputs to the utterance's length, the only place the length is read. An
/// utterance longer than its bucket is run again once with a bucket that fits (the durations do not depend on the
/// bucket, so the second run is final). Noise reaches the graph as tensors (<see cref="MeloNoise.Draw"/>). The tokens
/// are padded to a token bucket as well (<see cref="TokenStep"/>), masked in the graph, so sentences of similar length
/// share one compiled plan.
/// </summary>
public sealed class MeloPipeline(MeloSynthesizer model)
{
    public MeloSynthesizer Model { get; } = model;

    /// <summary>Runs the graph instead of the reference interpreter when set.</summary>
    public IMeloBackend? Backend { get; init; }

    /// <summary>Called with each named value (durations, attn, m_p, logs_p, z_p, z, audio, …) as it is computed, untrimmed.</summary>
    public Action<string, Tensor>? Observe { get; init; }

    /// <summary>Reports the fraction of graph values computed, per graph run.</summary>
    public IProgress<double>? Progress { get; set; }

    public OpProfile? Profile { get; set; }

    /// <summary>When set, the graph also resamples the speech to this rate (on the device, with a device backend); see <see cref="MeloResult.Resampled"/>.</summary>
    public int? OutputRate { get; init; }

    /// <summary>Token buckets are multiples of this (1: a graph per exact token count).</summary>
    public int TokenStep { get; init; } = DefaultTokenStep;

    public const int DefaultTokenStep = 16;

    /// <summary>The token bucket of <paramref name="tokens"/> tokens: rounded up to a multiple of <paramref name="step"/>.</summary>
    public static int TokenBucket(int tokens, int step = DefaultTokenStep) => (Math.Max(tokens, 1) + step - 1) / step * step;

    /// <summary>Who runs the graph, for messages.</summary>
    public string BackendName => Backend?.Name ?? "reference";

    /// <param name="frames">the frame bucket; null picks <see cref="MeloSynthesizer.SuggestFrames"/> (or, with forced
    /// durations, the bucket of their sum).</param>
    /// <param name="durations">whole-frame durations per token ([Tx] or [1, 1, Tx]) to use instead of predicting them.</param>
    public MeloResult Synthesize(MeloInput input, MeloSynthesisOptions options, MeloNoise noise, int? frames = null, Tensor? durations = null) =>
        SynthesizeBatch([input], options, noise, frames, durations is null ? null : [durations])[0];

    /// <summary>
    /// Several utterances in one run of a batch graph: padded to the token bucket of the longest and to one frame
    /// bucket that holds every item (rerun once at a bucket that fits when one does not), each trimmed to its own
    /// length. Item b draws what <c>noise.Item(b)</c> gives a single run (a <see cref="MeloNoise.Seeded"/> source
    /// gives every item its seed), so each result is the one <see cref="Synthesize"/> gives that item at the same buckets.
    /// </summary>
    /// <param name="frames">the frame bucket; null picks the largest of the items' suggestions (see <see cref="Synthesize"/>).</param>
    /// <param name="durations">per item, whole-frame durations to force ([Tx] or [1, 1, Tx]); all or none.</param>
    public IReadOnlyList<MeloResult> SynthesizeBatch(IReadOnlyList<MeloInput> inputs, MeloSynthesisOptions options, MeloNoise noise,
        int? frames = null, IReadOnlyList<Tensor>? durations = null)
    {
        if (inputs.Count == 0) throw new VoxTileException("the batch holds no utterance");
        if (durations is not null && durations.Count != inputs.Count)
            throw new VoxTileException($"{durations.Count} forced durations for a batch of {inputs.Count}");
        foreach (var input in inputs) input.Validate(Model.Config);
        if (noise.SeedsFor(inputs.Count) is null && noise is MeloNoise.Replay && inputs.Count > 1)
            throw new VoxTileException("a batch replays recorded noise item by item (MeloNoise.PerItem)");
        var forced = durations?.Select((d, b) => CheckDurations(d, inputs[b].Length)).ToArray();
        int bucket = frames ?? inputs.Select((input, b) => forced is null ? MeloSynthesizer.SuggestFrames(input.Length, options.LengthScale)
            : MeloSynthesizer.RoundUpFrames((int)Math.Max(1, forced[b].Data.Sum()))).Max();
        if (bucket < 1) throw new VoxTileException($"the frame bucket must be positive (got {bucket})");
        var outputs = Run(inputs, options, noise, bucket, forced);
        int longest = Lengths(outputs).Max();
        if (longest > bucket)
        {
            bucket = MeloSynthesizer.RoundUpFrames(longest);
            outputs = Run(inputs, options, noise, bucket, forced);
            longest = Lengths(outputs).Max();
            if (longest > bucket) throw new InvalidOperationException($"the utterance needs {longest} frames after a rerun at {bucket}");
        }
        var lengths = Lengths(outputs);
        var results = new MeloResult[inputs.Count];
        for (int b = 0; b < inputs.Count; b++)
        {
            // Zero-padded recorded noise past its end would silently stand in for the draw of frames it does not cover.
            if (noise.Item(b) is MeloNoise.Replay r && lengths[b] > r.Prior.Shape[2])
                throw new VoxTileException($"the recorded prior noise covers {r.Prior.Shape[2]} frames but the utterance needs {lengths[b]}");
            results[b] = Trim(inputs.Count == 1 ? outputs : [.. outputs.Select(o => Item(o, b, inputs.Count))], lengths[b], bucket, inputs[b].Length);
        }
        return results;
    }

    private IReadOnlyList<Tensor> Run(IReadOnlyList<MeloInput> inputs, MeloSynthesisOptions options, MeloNoise noise, int bucket, Tensor[]? durations)
    {
        int batch = inputs.Count, inter = Model.Config.InterChannels;
        if (TokenStep < 1) throw new VoxTileException($"the token step must be positive (got {TokenStep})");
        int tb = TokenBucket(inputs.Max(i => i.Length), TokenStep);
        var noise0 = new Tensor[batch];
        var noise1 = new Tensor[batch];
        for (int b = 0; b < batch; b++)
        {
            int tx = inputs[b].Length;
            var source = noise.Item(b);
            var drawn = source.Draw(tb, bucket, inter);
            if (source is MeloNoise.Replay && !drawn.Durations.Shape.SequenceEqual([1, 2, tx]))
                throw new VoxTileException($"the duration noise has shape {drawn.Durations.ShapeString}, the input needs [1,2,{tx}]");
            if (drawn.Prior.Rank != 3 || drawn.Prior.Shape[0] != 1 || drawn.Prior.Shape[1] != inter)
                throw new VoxTileException($"the prior noise has shape {drawn.Prior.ShapeString}, expected [1,{inter},frames]");
            noise0[b] = Fit(drawn.Durations, tb);
            noise1[b] = Fit(drawn.Prior, bucket);
        }
        var feeds = new Dictionary<string, Tensor>(StringComparer.Ordinal)
        {
            ["phonemes"] = Tensor.StackBatch([.. inputs.Select(i => Ids(i.Phonemes, tb))]),
            ["tones"] = Tensor.StackBatch([.. inputs.Select(i => Ids(i.Tones, tb))]),
            ["languages"] = Tensor.StackBatch([.. inputs.Select(i => Ids(i.Languages, tb))]),
            ["bert"] = Tensor.StackBatch([.. inputs.Select(i => Fit(i.Bert, tb))]),
            ["ja_bert"] = Tensor.StackBatch([.. inputs.Select(i => Fit(i.JaBert, tb))]),
            ["sid"] = new([batch], [.. inputs.Select(i => (float)i.SpeakerId)]),
            ["tokens"] = new([batch], [.. inputs.Select(i => (float)i.Length)]),
            ["noise_0"] = Tensor.StackBatch(noise0),
            ["noise_1"] = Tensor.StackBatch(noise1),
        };
        if (durations is not null) feeds["durations"] = Tensor.StackBatch([.. durations.Select(d => Fit(d, tb))]);
        var spec = new MeloGraphSpec(tb, bucket, options, ForcedDurations: durations is not null, OutputRate: OutputRate == Model.SampleRate ? null : OutputRate,
            Batch: batch);
        if (Backend is not null) return Backend.Run(Model, spec, feeds, Observe, Progress);

        var g = Model.BuildGraph(spec, new MeloNoise.Replay(feeds["noise_0"], feeds["noise_1"]));
        var observe = Observe;
        var progress = Progress;
        int total = g.Nodes.Length, done = 0;
        return Interpreter.Run(g, [.. g.Inputs.Select(i => feeds[i.Name!])], (n, t) =>
        {
            if (observe is not null && n.Name is { } name) observe(name, t);
            if (progress is not null && (++done % 16 == 0 || done == total)) progress.ReportCount(done, total, "op");
        }, Profile);
    }

    /// <summary>Item <paramref name="b"/> of a batch output [B, ...] as [1, ...].</summary>
    private static Tensor Item(Tensor t, int b, int batch)
    {
        long n = t.Length / batch;
        return new Tensor([1, .. t.Shape[1..]], t.Data.AsSpan((int)(b * n), (int)n).ToArray());
    }

    // Output order of MeloSynthesizer.BuildGraph: durations, attn, m_p, logs_p, z_p, z, audio, y_length [B].
    private static int[] Lengths(IReadOnlyList<Tensor> outputs) => [.. outputs[7].Data.Select(v => (int)v)];

    private MeloResult Trim(IReadOnlyList<Tensor> o, int frames, int bucket, int tx)
    {
        int hop = Model.HopLength, inter = Model.Config.InterChannels, tb = o[0].Shape[^1];
        Tensor Latent(Tensor t) => Frames(t, inter, bucket, frames);
        var attn = new Tensor([frames, tx]);
        for (int f = 0; f < frames; f++) Array.Copy(o[1].Data, (long)f * tb, attn.Data, (long)f * tx, tx);
        var audio = o[6].Data.AsSpan(0, frames * hop).ToArray();
        float[]? resampled = OutputRate is not { } rate ? null
            : rate == Model.SampleRate ? audio
            : o[8].Data.AsSpan(0, (int)Audio.Resampler.OutputLength(frames * hop, Model.SampleRate, rate)).ToArray();
        return new MeloResult(audio, Model.SampleRate, frames, bucket, new Tensor([tx], o[0].Data.AsSpan(0, tx).ToArray()), attn, Latent(o[2]), Latent(o[3]), Latent(o[4]), Latent(o[5]))
        {
            Resampled = resampled,
            ResampledRate = OutputRate,
        };
    }

    /// <summary>Forced durations as [1, 1, Tx] of whole, non-negative frame counts.</summary>
    private static Tensor CheckDurations(Tensor d, int tx)
    {
        if (d.Length != tx || d.Rank > 3) throw new VoxTileException($"the forced durations have shape {d.ShapeString}, the input needs {tx} values");
        foreach (var v in d.Data)
            if (!(v >= 0) || v != MathF.Floor(v) || v > 1 << 20) throw new VoxTileException($"a forced duration of {v} is not a whole number of frames");
        return d.Reshape(1, 1, tx);
    }
    /// <summary>The first <paramref name="frames"/> of each channel of a [1, C, bucket] tensor.</summary>
    private static Tensor Frames(Tensor t, int channels, int bucket, int frames)
    {
        var y = new Tensor([1, channels, frames]);
        for (int c = 0; c < channels; c++) Array.Copy(t.Data, (long)c * bucket, y.Data, (long)c * frames, frames);
        return y;
    }

    /// <summary>[1, C, T] zero-padded or cut to [1, C, bucket].</summary>
    private static Tensor Fit(Tensor t, int bucket)
    {
        int c = t.Shape[1], n = t.Shape[2];
        if (n == bucket) return t;
        var y = new Tensor([1, c, bucket]);
        for (int i = 0; i < c; i++) Array.Copy(t.Data, (long)i * n, y.Data, (long)i * bucket, Math.Min(n, bucket));
        return y;
    }

    /// <summary>Ids as [1, <paramref name="length"/>] f32, zero-padded (the padding is masked).</summary>
    private static Tensor Ids(IReadOnlyList<int> ids, int length)
    {
        var t = new Tensor([1, length]);
        for (int i = 0; i < ids.Count; i++) t.Data[i] = ids[i];
        return t;
    }
}
