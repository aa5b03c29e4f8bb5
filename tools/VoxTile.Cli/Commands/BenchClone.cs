using System.Diagnostics;
using System.Globalization;
using VoxTile.Lowering.Targets;
using VoxTile.Models.Config;
using VoxTile.Models.Device;
using VoxTile.Models.MeloTTS;
using VoxTile.Models.OpenVoice;
using VoxTile.Models.Pipelines;

namespace VoxTile.Cli.Commands;

/// <summary>
/// <c>voxtile bench clone --seconds 5</c>: OpenVoice V2 end to end on the device runtime at the released sizes (random
/// weights): MeloTTS synthesis with the on-device 44.1 → 22.05 kHz resampling, the source embedding extracted from the
/// synthesized speech, and voice_conversion to a fixed target embedding, measured by <see cref="CloneBench"/> (text,
/// length fitting, a warm-up run that compiles and loads, the best of the timed runs per stage). Prints figures;
/// asserts nothing.
/// </summary>
internal static class BenchClone
{
    public static void Run(double seconds, int threads, int repeats, TargetSpec target, string dtype, bool allowHost)
    {
        var melo = MeloSynthesizer.Random(MeloConfig.ReleasedEnglish, MeloOptions.DemoSeed);
        var conv = ToneColorConverter.Random(ConverterConfig.ReleasedV2, ModelOptions.DemoSeed);
        var options = new DeviceBackendOptions
        {
            Target = target, DType = dtype, Threads = threads, AllowHost = allowHost, Note = Terminal.Progress.Note, Stage = Terminal.Progress.Stage,
        };
        using var meloBackend = new DeviceMeloBackend(options);
        using var convBackend = new DeviceConverterBackend(options);
        var clone = new ClonePipeline(melo, conv, meloBackend, convBackend);
        var seTarget = DeviceConverterBackend.Draw([1, conv.Config.GinChannels, 1], 7);
        var input = CloneBench.Text(melo, seconds);
        var (style, bucket) = CloneBench.FitLength(clone, input, seconds);
        Console.WriteLine($"voxtile bench clone: released MeloTTS English and OpenVoice V2 converter (random weights), {input.Length} tokens, " +
            $"length_scale {style.LengthScale:F3} for {seconds:F1} s, device {dtype} on {target.Name}, {threads switch { > 0 => threads, _ => Environment.ProcessorCount }} thread(s), best of {repeats}");

        var sw0 = Stopwatch.StartNew();
        var warm = Terminal.Progress.Run("benchmarking clone: the first run", _ => CloneBench.Once(clone, input, style, bucket, seTarget));
        Console.WriteLine($"first run at that length (compiling and loading): {sw0.Elapsed.TotalSeconds:F2} s for {warm.AudioSeconds:F2} s of speech; " +
            $"MeloTTS compile {meloBackend.CompileSeconds:F2} s, load {meloBackend.LoadSeconds:F2} s; converter compile {convBackend.CompileSeconds:F2} s, load {convBackend.LoadSeconds:F2} s");
        var (best, total) = Terminal.Progress.Run("benchmarking clone", p => CloneBench.Best(clone, input, style, bucket, seTarget, repeats, p));
        Console.WriteLine($"{"stage",-44} {"best s",8} {"RTF",7}");
        void Row(string what, double s) => Console.WriteLine($"{what,-44} {s,8:F3} {s / best.AudioSeconds,7:F3}");
        Row($"MeloTTS + resampling ({bucket}-frame bucket)", best.Synthesis);
        Row("extract_se of the synthesized speech", best.Embedding);
        Row($"voice_conversion ({convBackend.Executors.Last().Plan.Plan.Bucket.GetValueOrDefault("frames")}-frame bucket)", best.Conversion);
        Row("total (best run)", total);
        string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
        Console.WriteLine($"bench clone seconds={F(best.AudioSeconds)} synth_s={F(best.Synthesis)} embed_s={F(best.Embedding)} convert_s={F(best.Conversion)} total_s={F(total)} rtf={F(total / best.AudioSeconds)}");
    }
}
