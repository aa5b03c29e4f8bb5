using System.CommandLine;
using System.Diagnostics;
using VoxTile.Cli.Dump;
using VoxTile.IR;
using VoxTile.IR.Text;
using VoxTile.Lowering;
using VoxTile.Lowering.Passes;
using VoxTile.Lowering.Plan;
using VoxTile.Lowering.Planning;
using VoxTile.Lowering.Targets;
using VoxTile.Models.OpenVoice;

namespace VoxTile.Cli.Commands;

/// <summary><c>voxtile compile</c>: the converter lowered, memory-planned and written as a device plan (.vtp).</summary>
internal static class CompileCommand
{
    public const float Tau = 0.3f;
    public const long NoiseSeed = 0;

    public static Command Create()
    {
        var model = ModelOptions.Model();
        var demo = ModelOptions.Demo();
        var target = TargetOption();
        var seconds = SecondsOption();
        var weights = WeightsOption();
        var part = PartOption();
        var pipeline = new Option<string>("--pipeline") { Description = "The passes to run, as text", DefaultValueFactory = _ => Compiler.DefaultPipeline };
        var printAfter = new Option<string[]>("--print-ir-after") { Description = "Print the graph after these passes (PASS or all)", AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the device plan (.vtp)", Required = true };
        var cmd = new Command("compile", "Lower the converter to TTNN ops, plan its memory, and write the device plan")
        { model, demo, target, seconds, weights, part, pipeline, printAfter, output };
        cmd.SetAction(r => CommandRunner.Run(() =>
        {
            var outPath = r.GetValue(output)!;
            OutputFile.EnsureWritable(outPath, ".vtp");
            var spec = TargetSpec.Parse(r.GetValue(target)!);
            var lowering = Lowering(r.GetValue(weights)!) with
            {
                PrintIrAfter = (r.GetValue(printAfter) ?? []).SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToHashSet(StringComparer.Ordinal),
            };
            var sw = Stopwatch.StartNew();
            var conv = ModelOptions.Load(r.GetValue(model), r.GetValue(demo));
            var (graph, bucket) = BuildGraph(conv, r.GetValue(part)!, r.GetValue(seconds));
            var built = sw.Elapsed;
            var result = Compiler.Compile(graph, Options(conv, spec, lowering, bucket, r.GetValue(part)!) with
            {
                Pipeline = r.GetValue(pipeline)!,
                PrintIrAfter = (pass, g) => Console.Out.Write($"// ---- after {pass} ----\n{Printer.Print(g)}"),
            });
            var compiled = sw.Elapsed;
            PlanFile.Write(outPath, result.Plan);
            var written = sw.Elapsed;
            SummaryTable.Write(result.Plan, Console.Out);
            Console.WriteLine($"wrote {outPath}: {result.Plan.Steps.Count} steps, {result.Plan.Tensors.Count} tensors, {result.Plan.Blob.Length / 1e6:F1} MB of weights");
            Console.WriteLine($"compiled in {written.TotalSeconds:F2} s: graph {built.TotalSeconds:F2} s, "
                + string.Join(", ", result.PassTimes.Select(p => $"{p.Pass} {p.Time.TotalSeconds:F2} s"))
                + $", plan building {(compiled - built - result.PassTimes.Aggregate(TimeSpan.Zero, (a, p) => a + p.Time)).TotalSeconds:F2} s, write {(written - compiled).TotalSeconds:F2} s");
            return 0;
        }));
        return cmd;
    }

    internal static Option<string> TargetOption() => new("--target")
    {
        Description = $"The device: {string.Join(", ", TargetSpec.All.Select(t => t.Name))}",
        DefaultValueFactory = _ => TargetSpec.WormholeN150.Name,
    };

    internal static Option<double> SecondsOption() => new("--seconds")
    {
        Description = "Audio length the plan is for (rounded up to a bucket of 128 frames for convert)",
        DefaultValueFactory = _ => 10.0,
    };

    internal static Option<string> WeightsOption() => new("--weights")
    {
        Description = "Weight dtype on the device: bf16 or bfp8_b",
        DefaultValueFactory = _ => "bf16",
    };

    internal static Option<string> PartOption()
    {
        var part = new Option<string>("--part") { Description = "convert (voice_conversion) or extract-se", DefaultValueFactory = _ => "convert" };
        part.AcceptOnlyFromAmong("convert", "extract-se");
        return part;
    }

    internal static LoweringOptions Lowering(string weights) => weights switch
    {
        "bf16" => new LoweringOptions { WeightDType = DType.BF16 },
        "bfp8_b" => new LoweringOptions { WeightDType = DType.BFP8_B },
        _ => throw new VoxTileException($"--weights must be bf16 or bfp8_b, got '{weights}'"),
    };

    internal static CompileOptions Options(ToneColorConverter conv, TargetSpec target, LoweringOptions lowering, IReadOnlyDictionary<string, int> bucket, string part) => new()
    {
        Target = target,
        Model = $"OpenVoice V2 converter ({part}): {conv.Description}",
        Lowering = lowering,
        Bucket = bucket,
        Settings = new Dictionary<string, string> { ["part"] = part, ["tau"] = Tau.ToString("R", System.Globalization.CultureInfo.InvariantCulture) },
    };

    /// <summary>
    /// The graph for <paramref name="seconds"/> of audio. voice_conversion is built for the length bucket holding
    /// it (a multiple of 128 frames); extract-se for the exact length, since padded frames would enter the GRU.
    /// </summary>
    internal static (Graph Graph, IReadOnlyDictionary<string, int> Bucket) BuildGraph(ToneColorConverter conv, string part, double seconds)
    {
        if (!(seconds > 0) || seconds > 3600) throw new VoxTileException($"--seconds must be in (0, 3600], got {seconds}");
        int samples = Math.Max(conv.MinSamples, (int)Math.Round(seconds * conv.SampleRate));
        if (part == "extract-se")
            return (conv.BuildEmbeddingGraph(samples), new Dictionary<string, int> { ["samples"] = samples, ["frames"] = conv.FrameCount(samples) });
        int frames = LengthBuckets.Round(conv.FrameCount(samples));
        samples = frames * conv.Config.HopLength;
        while (conv.FrameCount(samples) > frames) samples--;
        while (conv.FrameCount(samples) < frames) samples++;
        var graph = conv.BuildConversionGraph(samples, Tau, new NoiseSource.Seeded(NoiseSeed));
        return (graph, new Dictionary<string, int> { ["samples"] = samples, ["frames"] = frames });
    }
}
