using VoxTile.IR;
using VoxTile.IR.Interp;

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
    public MeloResult Synthesize(MeloInput input, MeloSynthesisOptions options, MeloNoise noise, int? frames = null, Tensor? durations = null)
    {
        input.Validate(Model.Config);
        int tx = input.Length;
        if (durations is not null) durations = CheckDurations(durations, tx);
        int bucket = frames ?? (durations is null ? MeloSynthesizer.SuggestFrames(tx, options.LengthScale)
            : MeloSynthesizer.RoundUpFrames((int)Math.Max(1, durations.Data.Sum())));
        if (bucket < 1) throw new VoxTileException($"the frame bucket must be positive (got {bucket})");
        var outputs = Run(input, options, noise, bucket, durations);
        int length = Length(outputs);
        if (length > bucket)
        {
            bucket = MeloSynthesizer.RoundUpFrames(length);
            outputs = Run(input, options, noise, bucket, durations);
            length = Length(outputs);
            if (length > bucket) throw new InvalidOperationException($"the utterance needs {length} frames after a rerun at {bucket}");
        }
        // Zero-padded recorded noise past its end would silently stand in for the draw of frames it does not cover.
        if (noise is MeloNoise.Replay r && length > r.Prior.Shape[2])
            throw new VoxTileException($"the recorded prior noise covers {r.Prior.Shape[2]} frames but the utterance needs {length}");
        return Trim(outputs, length, bucket, tx);
    }

    private IReadOnlyList<Tensor> Run(MeloInput input, MeloSynthesisOptions options, MeloNoise noise, int bucket, Tensor? durations)
    {
        int tx = input.Length, inter = Model.Config.InterChannels;
        if (TokenStep < 1) throw new VoxTileException($"the token step must be positive (got {TokenStep})");
        int tb = TokenBucket(tx, TokenStep);
        var drawn = noise.Draw(tb, bucket, inter);
        if (noise is MeloNoise.Replay && !drawn.Durations.Shape.SequenceEqual([1, 2, tx]))
            throw new VoxTileException($"the duration noise has shape {drawn.Durations.ShapeString}, the input needs [1,2,{tx}]");
        if (drawn.Prior.Rank != 3 || drawn.Prior.Shape[0] != 1 || drawn.Prior.Shape[1] != inter)
            throw new VoxTileException($"the prior noise has shape {drawn.Prior.ShapeString}, expected [1,{inter},frames]");
        var feeds = new Dictionary<string, Tensor>(StringComparer.Ordinal)
        {
            ["phonemes"] = Ids(input.Phonemes, tb),
            ["tones"] = Ids(input.Tones, tb),
            ["languages"] = Ids(input.Languages, tb),
            ["bert"] = Fit(input.Bert, tb),
            ["ja_bert"] = Fit(input.JaBert, tb),
            ["sid"] = new([1], [input.SpeakerId]),
            ["tokens"] = new([1], [tx]),
            ["noise_0"] = Fit(drawn.Durations, tb),
            ["noise_1"] = Fit(drawn.Prior, bucket),
        };
        if (durations is not null) feeds["durations"] = Fit(durations, tb);
        var spec = new MeloGraphSpec(tb, bucket, options, ForcedDurations: durations is not null, OutputRate: OutputRate == Model.SampleRate ? null : OutputRate);
        if (Backend is not null) return Backend.Run(Model, spec, feeds, Observe, Progress);

        var g = Model.BuildGraph(spec, drawn);
        var observe = Observe;
        var progress = Progress;
        int total = g.Nodes.Length, done = 0;
        return Interpreter.Run(g, [.. g.Inputs.Select(i => feeds[i.Name!])], (n, t) =>
        {
            if (observe is not null && n.Name is { } name) observe(name, t);
            if (progress is not null && (++done % 16 == 0 || done == total)) progress.Report((double)done / total);
        }, Profile);
    }

    // Output order of MeloSynthesizer.BuildGraph: durations, attn, m_p, logs_p, z_p, z, audio, y_length.
    private static int Length(IReadOnlyList<Tensor> outputs) => (int)outputs[7].Data[0];

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
