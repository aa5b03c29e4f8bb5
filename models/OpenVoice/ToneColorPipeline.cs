using VoxTile.IR;
using VoxTile.IR.Interp;
using VoxTile.Models.Audio;
using VoxTile.Models.Api;

namespace VoxTile.Models.OpenVoice;

/// <summary>
/// OpenVoice's ToneColorConverter API on top of the graphs: extract_se (one embedding per ~10 s part, averaged) and
/// convert (source audio → target voice), run by the reference interpreter, or by <see cref="Backend"/> when one is set.
/// </summary>
public sealed class ToneColorPipeline(ToneColorConverter model)
{
    public ToneColorConverter Model { get; } = model;

    /// <summary>Runs voice_conversion and extract_se instead of the reference interpreter when set.</summary>
    public IConverterBackend? Backend { get; init; }

    /// <summary>Called with each named intermediate value (spec, z, z_p, z_hat, audio, se) as it is computed.</summary>
    public Action<string, Tensor>? Observe { get; init; }

    /// <summary>Reports the fraction of graph values computed, per graph run.</summary>
    public IProgress<double>? Progress { get; set; }

    /// <summary>When set, collects the interpreter's time per op.</summary>
    public IR.Interp.OpProfile? Profile { get; set; }

    /// <summary>Brings a clip to the model's sampling rate (band-limited resampling when the rates differ).</summary>
    public float[] ToModelRate(AudioClip clip) =>
        clip.SampleRate == Model.SampleRate ? clip.Samples : Resampler.Resample(clip.Samples, clip.SampleRate, Model.SampleRate);

    /// <summary>The tone colour embedding [1, gin, 1] of one segment of model-rate samples.</summary>
    public Tensor ExtractSegment(float[] samples)
    {
        if (Backend is not null) return Backend.ExtractSegment(Model, samples);
        var g = Model.BuildEmbeddingGraph(samples.Length);
        return Run(g, [new Tensor([1, samples.Length], samples)])[0];
    }

    /// <summary>
    /// extract_se over several references: each is split into n = round(duration / 10 s) equal parts (at least one),
    /// every part gives an embedding, and the result is their arithmetic mean, as OpenVoice does.
    /// </summary>
    public Tensor ExtractEmbedding(IEnumerable<float[]> references, IProgress<double>? progress = null)
    {
        var parts = references.SelectMany(r => ReferenceSegmenter.Split(r, Model.SampleRate)).ToList();
        if (parts.Count == 0) throw new VoxTileException("no reference audio given");
        var sum = new double[Model.Config.GinChannels];
        for (int i = 0; i < parts.Count; i++)
        {
            if (parts[i].Length < Model.MinSamples)
                throw new VoxTileException($"a reference part of {parts[i].Length} samples is shorter than the converter's minimum of {Model.MinLength}");
            var se = ExtractSegment(parts[i]);
            for (int k = 0; k < sum.Length; k++) sum[k] += se.Data[k];
            progress.ReportCount(i + 1, parts.Count, "reference segment");
        }
        return new Tensor([1, sum.Length, 1], [.. sum.Select(v => (float)(v / parts.Count))]);
    }

    /// <summary>voice_conversion on model-rate samples: returns hop·frames output samples.</summary>
    public float[] Convert(float[] source, Tensor seSource, Tensor seTarget, float tau, NoiseSource noise)
    {
        int gin = Model.Config.GinChannels;
        CheckEmbedding(seSource, gin, "source");
        CheckEmbedding(seTarget, gin, "target");
        if (Backend is not null) return Backend.Convert(Model, source, seSource.Reshape(1, gin, 1), seTarget.Reshape(1, gin, 1), tau, noise, Observe, Progress);
        var g = Model.BuildConversionGraph(source.Length, tau, noise);
        var inputs = new List<Tensor> { new([1, source.Length], source), seSource.Reshape(1, gin, 1), seTarget.Reshape(1, gin, 1) };
        if (noise is NoiseSource.Replay r)
        {
            int frames = Model.FrameCount(source.Length);
            if (!r.Noise.Shape.SequenceEqual([1, Model.Config.InterChannels, frames]))
                throw new VoxTileException($"noise has shape {r.Noise.ShapeString}, the source needs [1,{Model.Config.InterChannels},{frames}]");
            inputs.Add(r.Noise);
        }
        return Run(g, inputs)[0].Data;
    }

    /// <summary>
    /// <see cref="Convert"/> as a stream of consecutive pieces of the output: with a device backend one per chunk of the
    /// clip (<see cref="Device.ChunkSchedule"/>), as each is computed; the reference interpreter gives one piece.
    /// </summary>
    public IEnumerable<float[]> ConvertInChunks(float[] source, Tensor seSource, Tensor seTarget, float tau, NoiseSource noise)
    {
        if (Backend is null) return [Convert(source, seSource, seTarget, tau, noise)];
        int gin = Model.Config.GinChannels;
        CheckEmbedding(seSource, gin, "source");
        CheckEmbedding(seTarget, gin, "target");
        return Backend.ConvertInChunks(Model, source, seSource.Reshape(1, gin, 1), seTarget.Reshape(1, gin, 1), tau, noise, Observe, Progress);
    }

    private static void CheckEmbedding(Tensor se, int gin, string what)
    {
        if (se.Length != gin) throw new VoxTileException($"the {what} embedding has shape {se.ShapeString}; this model needs {gin} values ([1,{gin},1])");
    }

    private Tensor[] Run(Graph g, IReadOnlyList<Tensor> inputs)
    {
        var observe = Observe;
        var progress = Progress;
        int total = g.Nodes.Length, done = 0;
        return Interpreter.Run(g, inputs, (n, t) =>
        {
            if (observe is not null && n.Name is { } name) observe(name, t);
            if (progress is not null && (++done % 8 == 0 || done == total)) progress.ReportCount(done, total, "op");
        }, Profile);
    }
}
