using System.Diagnostics;
using VoxTile.IR;
using VoxTile.Models.MeloTTS;
using VoxTile.Runtime.Cache;
using VoxTile.Runtime.Execution;

namespace VoxTile.Runtime.Backends;

/// <summary>
/// MeloTTS on the device runtime: the synthesis graph of a <see cref="MeloGraphSpec"/> (token count, frame bucket,
/// style, forced durations) compiled to a plan — from the <see cref="PlanCache"/> when it is there — and run whole: the
/// text encoder, both duration predictors, the alignment path, the flow and the decoder, with the utterance's length
/// computed and applied as masks on the device. Plans stay loaded, weights uploaded, for the backend's lifetime.
/// </summary>
public sealed class DeviceMeloBackend(DeviceBackendOptions options) : IMeloBackend, IDisposable
{
    private readonly Dictionary<(string Model, MeloGraphSpec Spec), Executor> _executors = [];
    private readonly DevicePlanLoader _loader = new(options);

    /// <summary>The intermediates reported to an observer, as the device computes them (the outputs are reported too).</summary>
    public static readonly string[] Intermediates = ["logw"];

    public DeviceBackendOptions Options { get; } = options;

    public string Name => $"device {Options.DType} on {Options.Target.Name}";

    /// <summary>The loaded plans (one per graph used), for timings, checks and memory figures.</summary>
    public IReadOnlyCollection<Executor> Executors => _executors.Values;

    public double CompileSeconds => _loader.CompileSeconds;

    public double LoadSeconds => _loader.LoadSeconds;

    /// <summary>Seconds spent running plans (all runs).</summary>
    public double RunSeconds { get; private set; }

    public IReadOnlyList<Tensor> Run(MeloSynthesizer model, MeloGraphSpec spec, IReadOnlyDictionary<string, Tensor> inputs,
        Action<string, Tensor>? observe, IProgress<double>? progress)
    {
        var ex = ExecutorFor(model, spec);
        long t0 = Stopwatch.GetTimestamp();
        var outputs = ex.Run(inputs, observe);
        RunSeconds += Stopwatch.GetElapsedTime(t0).TotalSeconds;
        Options.Trace?.Span($"melo_tts {spec.Phonemes} tokens, {spec.Frames} frames", t0, Stopwatch.GetTimestamp(),
            new Dictionary<string, object> { ["tokens"] = spec.Phonemes, ["bucket"] = spec.Frames });
        if (observe is not null)
            for (int i = 0; i < outputs.Count; i++) observe(i < MeloSynthesizer.OutputNames.Count ? MeloSynthesizer.OutputNames[i] : MeloSynthesizer.ResampledOutput, outputs[i]);
        progress?.Report(1.0);
        return outputs;
    }

    /// <summary>The loaded plan of <paramref name="spec"/>'s graph: from this backend, else the cache, else compiled.</summary>
    public Executor ExecutorFor(MeloSynthesizer model, MeloGraphSpec spec)
    {
        var hash = ModelFingerprint.Of(model);
        if (_executors.TryGetValue((hash, spec), out var ex)) return ex;
        var o = spec.Options;
        var settings = FormattableString.Invariant(
            $"graph=melo_tts;tokens={spec.Phonemes};forced={spec.ForcedDurations};sdp_ratio={o.SdpRatio:R};noise_scale={o.NoiseScale:R};noise_scale_w={o.NoiseScaleW:R};length_scale={o.LengthScale:R};rate={spec.OutputRate}");
        // Noise is always fed (MeloPipeline draws seeded noise on the host), so the replay graph is the one compiled.
        var noise = new MeloNoise.Replay(new Tensor([1, 2, spec.Phonemes]), new Tensor([1, model.Config.InterChannels, spec.Frames]));
        ex = _loader.Load($"melo_tts for {spec.Phonemes} tokens and {spec.Frames} frames", () => model.BuildGraph(spec, noise),
            $"MeloTTS ({(spec.ForcedDurations ? "forced durations, " : "")}{spec.Phonemes} tokens): {model.Description}", hash, spec.Frames, settings, Intermediates);
        _executors[(hash, spec)] = ex;
        return ex;
    }

    public void Dispose()
    {
        foreach (var e in _executors.Values) e.Dispose();
        _executors.Clear();
    }
}
