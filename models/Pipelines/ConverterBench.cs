using System.Diagnostics;
using VoxTile.IR;
using VoxTile.IR.Interp;
using VoxTile.Models.Device;
using VoxTile.Models.OpenVoice;
using VoxTile.Models.Api;

namespace VoxTile.Models.Pipelines;

/// <summary>
/// voice_conversion timed as <c>voxtile bench converter</c> times it: seeded random inputs of a length, each backend
/// compiled, loaded and warmed up once, then the best of a few runs. It measures; whoever calls it prints and compares.
/// </summary>
public static class ConverterBench
{
    /// <param name="Spec">the spectrogram of <paramref name="Samples"/>: what ONNX Runtime's converter takes as its input.</param>
    public sealed record Inputs(Tensor Samples, Tensor Spec, Tensor SeSource, Tensor SeTarget, Tensor Noise, int Frames, double AudioSeconds);

    /// <param name="Flops">the work of one run (all its plans).</param>
    public sealed record Timing(double CompileSeconds, double LoadSeconds, double BestSeconds, double Flops);

    /// <summary>Uniform [0, 1) samples, embeddings and noise from seed 0, for <paramref name="seconds"/> of audio.</summary>
    public static Inputs RandomInputs(ToneColorConverter model, double seconds)
    {
        var c = model.Config;
        var rng = new Random(0);
        Tensor Rand(params int[] s)
        {
            var t = new Tensor(s);
            for (int i = 0; i < t.Length; i++) t.Data[i] = (float)rng.NextDouble();
            return t;
        }
        var samples = Rand(1, Math.Max(model.MinSamples, (int)(c.SamplingRate * seconds)));
        int frames = model.FrameCount((int)samples.Length);
        return new Inputs(samples, ConversionGraph.Stft(model).Evaluate([samples]), Rand(1, c.GinChannels, 1), Rand(1, c.GinChannels, 1),
            Rand(1, c.InterChannels, frames), frames, (double)frames * c.HopLength / c.SamplingRate);
    }

    /// <summary>
    /// The device backend with <paramref name="options"/>: one run to compile, load and warm up, then the best of
    /// <paramref name="repeats"/>; <paramref name="progress"/> counts the runs, the warm-up included;
    /// <paramref name="afterEachRun"/> (untimed) runs after each timed run, so a peer can be timed alternately.
    /// </summary>
    public static Timing TimeDevice(ToneColorConverter model, Inputs inputs, DeviceBackendOptions options, int repeats, IProgress<double>? progress = null, string? label = null, Action? afterEachRun = null)
    {
        using var backend = new DeviceConverterBackend(options);
        // Each run is a span on the trace's "runs" track when options.Trace is set, so a reader can tell the
        // warm-up (first-use weight transforms included) from the timed runs.
        double Once(string run)
        {
            long start = Stopwatch.GetTimestamp();
            backend.Run(model, inputs.Samples.Data, inputs.SeSource, inputs.SeTarget, inputs.Noise, ToneColorDefaults.Tau);
            long end = Stopwatch.GetTimestamp();
            options.Trace?.Span(label is null ? run : $"{label}: {run}", start, end);
            return Stopwatch.GetElapsedTime(start, end).TotalSeconds;
        }
        int runs = Math.Max(1, repeats) + 1;
        Once("warm-up");
        progress.ReportCount(1, runs, "run");
        double best = double.MaxValue;
        for (int i = 0; i < Math.Max(1, repeats); i++)
        {
            best = Math.Min(best, Once($"run {i + 1}"));
            afterEachRun?.Invoke();
            progress.ReportCount(i + 2, runs, "run");
        }
        return new Timing(backend.CompileSeconds, backend.LoadSeconds, best, backend.Executors.Sum(e => e.Flops));
    }

    /// <summary>One run of the fp32 reference interpreter, in seconds.</summary>
    public static double TimeReference(ToneColorConverter model, Inputs inputs)
    {
        var g = model.BuildConversionGraph((int)inputs.Samples.Length, ToneColorDefaults.Tau, new NoiseSource.Replay(inputs.Noise));
        var sw = Stopwatch.StartNew();
        Interpreter.Run(g, [inputs.Samples, inputs.SeSource, inputs.SeTarget, inputs.Noise]);
        return sw.Elapsed.TotalSeconds;
    }
}
