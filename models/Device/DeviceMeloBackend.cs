using System.Diagnostics;
using VoxTile.IR;
using VoxTile.Models.MeloTTS;
using VoxTile.Runtime.Cache;
using VoxTile.Runtime.Execution;

namespace VoxTile.Models.Device;

/// <summary>
/// MeloTTS on the device runtime: the synthesis graph of a <see cref="MeloGraphSpec"/> (token count, frame bucket,
/// style, forced durations) compiled to a plan — from the <see cref="PlanCache"/> when it is there — and run whole: the
/// text encoder, both duration predictors, the alignment path, the flow and the decoder, with the utterance's length
/// computed and applied as masks on the device. Plans stay loaded, weights uploaded, for the backend's lifetime.
/// <para>
/// Durations are whole frames, ceil(exp(logw)·length_scale): a value near a whole frame flips with rounding, and a
/// flipped duration shifts every later frame. So by default (<see cref="DurationsInF32"/>) a bf16 backend predicts them
/// with an f32 plan of the front alone (text encoder and both duration predictors, Tx-sized and cheap) and runs the
/// rest in bf16 with those durations (the forced-durations graph): mixed precision by plan, the durations passed from
/// one plan to the next as a device tensor, never read by the host.
/// </para>
/// </summary>
public sealed class DeviceMeloBackend(DeviceBackendOptions options) : IMeloBackend, IDisposable
{
    private readonly Dictionary<(string Model, MeloGraphSpec Spec), Executor> _executors = [];
    private readonly DevicePlanLoader _loader = new(options);
    private readonly DevicePlanLoader _f32Loader = new(options with { DType = "f32" });

    /// <summary>The intermediates reported to an observer, as the device computes them (the outputs are reported too).</summary>
    public static readonly string[] Intermediates = ["logw"];

    public DeviceBackendOptions Options { get; } = options;

    public string Name => $"device {Options.DType} on {Options.Target.Name}";

    /// <summary>The loaded plans (one per graph used: with a split, the f32 front and the forced back), for timings, checks and memory figures.</summary>
    public IReadOnlyCollection<Executor> Executors => _executors.Values;

    public double CompileSeconds => _loader.CompileSeconds + _f32Loader.CompileSeconds;

    public double LoadSeconds => _loader.LoadSeconds + _f32Loader.LoadSeconds;

    /// <summary>Predict durations with an f32 plan of the front when the backend's dtype is narrower (see the class summary).</summary>
    public bool DurationsInF32 { get; init; } = true;

    /// <summary>Whether <paramref name="spec"/> runs as an f32 front and a forced back.</summary>
    public bool Splits(MeloGraphSpec spec) => DurationsInF32 && Options.DType != "f32" && !spec.ForcedDurations && !spec.DurationsOnly;

    /// <summary>Seconds spent running plans (all runs).</summary>
    public double RunSeconds { get; private set; }

    public IReadOnlyList<Tensor> Run(MeloSynthesizer model, MeloGraphSpec spec, IReadOnlyDictionary<string, Tensor> inputs,
        Action<string, Tensor>? observe, IProgress<double>? progress)
    {
        if (Splits(spec))
        {
            // One front plan per token bucket and style: the frame bucket does not enter it.
            var frontSpec = spec with { DurationsOnly = true, Frames = 1, OutputRate = null };
            var front = RunPlan(ExecutorFor(model, frontSpec), frontSpec, inputs, observe);
            observe?.Invoke("logw", front[1]);
            var withDurations = new Dictionary<string, Tensor>(inputs) { ["durations"] = front[0] };
            spec = spec with { ForcedDurations = true };
            inputs = withDurations;
        }
        var outputs = RunPlan(ExecutorFor(model, spec), spec, inputs, observe);
        if (observe is not null && !spec.DurationsOnly)
            for (int i = 0; i < outputs.Count; i++) observe(i < MeloSynthesizer.OutputNames.Count ? MeloSynthesizer.OutputNames[i] : MeloSynthesizer.ResampledOutput, outputs[i]);
        progress?.Report(1.0);
        return outputs;
    }

    private IReadOnlyList<Tensor> RunPlan(Executor ex, MeloGraphSpec spec, IReadOnlyDictionary<string, Tensor> inputs, Action<string, Tensor>? observe)
    {
        long t0 = Stopwatch.GetTimestamp();
        var outputs = ex.Run(inputs, observe);
        RunSeconds += Stopwatch.GetElapsedTime(t0).TotalSeconds;
        string batch = spec.Batch == 1 ? "" : $", batch {spec.Batch}";
        var args = new Dictionary<string, object> { ["tokens"] = spec.Phonemes, ["bucket"] = spec.Frames };
        if (spec.Batch != 1) args["batch"] = spec.Batch;
        Options.Trace?.Span(spec.DurationsOnly ? $"melo_durations {spec.Phonemes} tokens{batch}" : $"melo_tts {spec.Phonemes} tokens, {spec.Frames} frames{batch}", t0, Stopwatch.GetTimestamp(), args);
        return outputs;
    }

    /// <summary>The loaded plan of <paramref name="spec"/>'s graph: from this backend, else the cache, else compiled.</summary>
    public Executor ExecutorFor(MeloSynthesizer model, MeloGraphSpec spec)
    {
        var hash = ModelFingerprint.Of(model);
        if (_executors.TryGetValue((hash, spec), out var ex)) return ex;
        var o = spec.Options;
        var settings = FormattableString.Invariant(
            $"graph=melo_tts;tokens={spec.Phonemes};forced={spec.ForcedDurations};durations_only={spec.DurationsOnly};sdp_ratio={o.SdpRatio:R};noise_scale={o.NoiseScale:R};noise_scale_w={o.NoiseScaleW:R};length_scale={o.LengthScale:R};rate={spec.OutputRate}");
        // A batch of one keeps the key it always had, so plans cached before batches stay valid.
        if (spec.Batch != 1) settings += $";batch={spec.Batch}";
        // Noise is always fed (MeloPipeline draws seeded noise on the host, item by item), so the replay graph is the one compiled.
        var noise = new MeloNoise.Replay(new Tensor([spec.Batch, 2, spec.Phonemes]), new Tensor([spec.Batch, model.Config.InterChannels, spec.Frames]));
        string graph = spec.DurationsOnly ? "melo_durations" : "melo_tts";
        var loader = spec.DurationsOnly && Splits(spec with { DurationsOnly = false }) ? _f32Loader : _loader;
        string batch = spec.Batch == 1 ? "" : $", batch {spec.Batch}";
        var bucket = spec.DurationsOnly ? new Dictionary<string, int> { ["tokens"] = spec.Phonemes }
            : new Dictionary<string, int> { ["tokens"] = spec.Phonemes, ["frames"] = spec.Frames };
        if (spec.Batch != 1) bucket["batch"] = spec.Batch;
        ex = loader.Load(spec.DurationsOnly ? $"{graph} for {spec.Phonemes} tokens{batch}" : $"{graph} for {spec.Phonemes} tokens and {spec.Frames} frames{batch}", () => model.BuildGraph(spec with { FrameViewMasks = Options.Target.IsTenstorrent }, noise),
            $"MeloTTS ({(spec.ForcedDurations ? "forced durations, " : spec.DurationsOnly ? "durations only, " : "")}{spec.Phonemes} tokens{batch}): {model.Description}",
            hash, bucket, settings, Intermediates);
        _executors[(hash, spec)] = ex;
        return ex;
    }

    public void Dispose()
    {
        foreach (var e in _executors.Values) e.Dispose();
        _executors.Clear();
    }
}
