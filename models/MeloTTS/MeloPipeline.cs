using VoxTile.IR;
using VoxTile.IR.Interp;

namespace VoxTile.Models.MeloTTS;

/// <summary>
/// Runs <see cref="MeloSynthesizer"/>'s graph with the reference interpreter and trims the static-bucket outputs to the
/// utterance's length, the only place the length is read. An utterance longer than its bucket is run again once with a
/// bucket that fits (the durations do not depend on the bucket, so the second run is final).
/// </summary>
public sealed class MeloPipeline(MeloSynthesizer model)
{
    public MeloSynthesizer Model { get; } = model;

    /// <summary>Called with each named value (durations, attn, m_p, logs_p, z_p, z, audio, …) as it is computed, untrimmed.</summary>
    public Action<string, Tensor>? Observe { get; init; }

    /// <summary>Reports the fraction of graph values computed, per graph run.</summary>
    public IProgress<double>? Progress { get; set; }

    public OpProfile? Profile { get; set; }

    /// <param name="frames">the frame bucket; null picks <see cref="MeloSynthesizer.SuggestFrames"/>.</param>
    public MeloResult Synthesize(MeloInput input, MeloSynthesisOptions options, MeloNoise noise, int? frames = null)
    {
        input.Validate(Model.Config);
        int tx = input.Length;
        int bucket = frames ?? MeloSynthesizer.SuggestFrames(tx, options.LengthScale);
        if (bucket < 1) throw new VoxTileException($"the frame bucket must be positive (got {bucket})");
        var outputs = Run(input, options, noise, bucket);
        int length = Length(outputs);
        if (length > bucket)
        {
            bucket = MeloSynthesizer.RoundUpFrames(length);
            outputs = Run(input, options, noise, bucket);
            length = Length(outputs);
            if (length > bucket) throw new InvalidOperationException($"the utterance needs {length} frames after a rerun at {bucket}");
        }
        // Zero-padded recorded noise past its end would silently stand in for the draw of frames it does not cover.
        if (noise is MeloNoise.Replay r && length > r.Prior.Shape[2])
            throw new VoxTileException($"the recorded prior noise covers {r.Prior.Shape[2]} frames but the utterance needs {length}");
        return Trim(outputs, length, bucket, tx);
    }

    private Tensor[] Run(MeloInput input, MeloSynthesisOptions options, MeloNoise noise, int bucket)
    {
        var g = Model.BuildGraph(input.Length, bucket, options, noise);
        int tx = input.Length;
        var feeds = new List<Tensor>
        {
            Ids(input.Phonemes), Ids(input.Tones), Ids(input.Languages), input.Bert, input.JaBert, new([1], [input.SpeakerId]),
        };
        if (noise is MeloNoise.Replay r)
        {
            int inter = Model.Config.InterChannels;
            if (!r.Durations.Shape.SequenceEqual([1, 2, tx]))
                throw new VoxTileException($"the duration noise has shape {r.Durations.ShapeString}, the input needs [1,2,{tx}]");
            if (r.Prior.Rank != 3 || r.Prior.Shape[0] != 1 || r.Prior.Shape[1] != inter)
                throw new VoxTileException($"the prior noise has shape {r.Prior.ShapeString}, expected [1,{inter},frames]");
            feeds.Add(r.Durations);
            feeds.Add(Fit(r.Prior, bucket));
        }
        var observe = Observe;
        var progress = Progress;
        int total = g.Nodes.Length, done = 0;
        var outputs = Interpreter.Run(g, feeds, (n, t) =>
        {
            if (observe is not null && n.Name is { } name) observe(name, t);
            if (progress is not null && (++done % 16 == 0 || done == total)) progress.Report((double)done / total);
        }, Profile);
        return outputs;
    }

    // Output order of MeloSynthesizer.BuildGraph: durations, attn, m_p, logs_p, z_p, z, audio, y_length.
    private static int Length(Tensor[] outputs) => (int)outputs[7].Data[0];

    private MeloResult Trim(Tensor[] o, int frames, int bucket, int tx)
    {
        int hop = Model.HopLength, inter = Model.Config.InterChannels;
        Tensor Latent(Tensor t) => Frames(t, inter, bucket, frames);
        var attn = new Tensor([frames, tx], o[1].Data.AsSpan(0, frames * tx).ToArray());
        var audio = o[6].Data.AsSpan(0, frames * hop).ToArray();
        return new MeloResult(audio, Model.SampleRate, frames, bucket, o[0].Reshape(tx), attn, Latent(o[2]), Latent(o[3]), Latent(o[4]), Latent(o[5]));
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

    private static Tensor Ids(IReadOnlyList<int> ids) => new([1, ids.Count], [.. ids.Select(i => (float)i)]);
}
