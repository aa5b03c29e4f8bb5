using System.CommandLine;
using System.Diagnostics;
using VoxTile.Cli.Dump;
using VoxTile.Cli.Terminal;
using VoxTile.IR;
using VoxTile.IR.Text;
using VoxTile.Lowering;
using VoxTile.Lowering.Costs;
using VoxTile.Lowering.Passes;
using VoxTile.Lowering.Plan;
using VoxTile.Lowering.Planning;
using VoxTile.Lowering.Targets;
using VoxTile.Models.Pipelines;
using VoxTile.Runtime.Execution;

namespace VoxTile.Cli.Commands;

/// <summary><c>voxtile compile</c>: the converter (or MeloTTS) lowered, memory-planned and written as a device plan (.vtp).</summary>
internal static class CompileCommand
{
    public static Command Create()
    {
        var model = CompileSubjectOptions.ModelOption();
        var demo = CompileSubjectOptions.DemoOption();
        var target = TargetOption();
        var seconds = SecondsOption();
        var phonemes = CompileSubjectOptions.PhonemesOption();
        var batch = CompileSubjectOptions.BatchOption();
        var weights = WeightsOption();
        var part = PartOption();
        var pipeline = new Option<string>("--pipeline") { Description = "The passes to run, as text", DefaultValueFactory = _ => Compiler.DefaultPipeline };
        var printAfter = new Option<string[]>("--print-ir-after") { Description = "Print the graph after these passes (PASS or all)", AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the device plan (.vtp)", Required = true };
        var opBudget = new Option<int?>("--op-budget")
        {
            Description = $"Most ops the plan may have where cutting a conv into explicit slices models cheaper than TTNN slicing it through DRAM (0: always through DRAM); by default {PlannerOptions.Default.OpBudget} for the converter, none for tts (the modeled cost alone decides)",
        };
        var allowHost = new Option<bool>("--allow-host") { Description = "Write the plan even if some steps have no CPU kernel (they run on the host with their fp32 reference)" };
        var cmd = new Command("compile", "Lower the converter (or MeloTTS, --part tts) to TTNN ops, plan its memory, and write the device plan")
        { model, demo, target, seconds, phonemes, batch, weights, part, pipeline, printAfter, output, opBudget, allowHost };
        cmd.SetAction(r => CommandRunner.Run(() =>
        {
            var outPath = r.GetValue(output)!;
            OutputFile.EnsureWritable(outPath, ".vtp");
            var spec = TargetSpec.Parse(r.GetValue(target)!);
            var lowering = Lowering(r.GetValue(weights)!) with
            {
                PrintIrAfter = (r.GetValue(printAfter) ?? []).SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToHashSet(StringComparer.Ordinal),
            };
            if (r.GetValue(opBudget) is < 0) throw new VoxTileException($"--op-budget must be 0 or more, got {r.GetValue(opBudget)}");
            var sw = Stopwatch.StartNew();
            TimeSpan built = default, compiled = default;
            // Stages: the graph, each pass, plan building, the CPU kernel check, the write.
            int stages = PassRegistry.Parse(r.GetValue(pipeline)!).Passes.Count + 4;
            var (subject, result, host) = Terminal.Progress.Run("compiling", p =>
            {
                p.Stage(1, stages, "building the graph");
                var subject = Subject(r, model, demo, part, seconds, phonemes, batch, spec);
                built = sw.Elapsed;
                var result = Compiler.Compile(subject.Graph, subject.Options(spec, lowering, r.GetValue(opBudget)) with
                {
                    Pipeline = r.GetValue(pipeline)!,
                    PrintIrAfter = (pass, g) => Console.Out.Write($"// ---- after {pass} ----\n{Printer.Print(g)}"),
                    StageStarting = (k, _, stage) => p.Stage(1 + k, stages, stage),
                });
                compiled = sw.Elapsed;
                p.Stage(stages - 1, stages, "checking the CPU kernels");
                var host = NativeCoverage.HostSteps(PlanLoader.Load(result.Plan, spec, outPath));
                if (host.Count > 0 && !r.GetValue(allowHost)) throw new VoxTileException(host[0].Refusal(host.Count));
                p.Stage(stages, stages, "writing the plan");
                PlanFile.Write(outPath, result.Plan);
                return (subject, result, host);
            });
            var written = sw.Elapsed;
            SummaryTable.Write(result.Plan, Console.Out);
            int ops = result.Plan.Steps.Count(st => !st.IsDeallocate);
            MeshSummary.Write(MeshCost.Of(result.Plan, spec, r.GetValue(seconds)), spec, ops, Console.Out);
            if (host.Count > 0) Console.WriteLine($"host steps {host.Count} (no CPU kernel, allowed): {string.Join(", ", host.Take(5).Select(h => $"step {h.Step} {h.Op}"))}{(host.Count > 5 ? ", ..." : "")}");
            Console.WriteLine($"wrote {outPath}: {result.Plan.Steps.Count} steps, {result.Plan.Tensors.Count} tensors, {result.Plan.Blob.Length / 1e6:F1} MB of weights"
                + $" ({string.Join(", ", subject.Bucket.Select(b => $"{b.Key} {b.Value}"))})");
            Console.WriteLine($"compiled in {written.TotalSeconds:F2} s: graph {built.TotalSeconds:F2} s, "
                + string.Join(", ", result.PassTimes.Select(p => $"{p.Pass} {p.Time.TotalSeconds:F2} s"))
                + $", plan building {(compiled - built - result.PassTimes.Aggregate(TimeSpan.Zero, (a, p) => a + p.Time)).TotalSeconds:F2} s, write {(written - compiled).TotalSeconds:F2} s");
            return 0;
        }));
        return cmd;
    }

    /// <summary>The part the options name, built from the model (or the demo's random weights).</summary>
    internal static CompileSubject Subject(ParseResult r, Option<string?> model, Option<bool> demo, Option<string> part, Option<double> seconds, Option<int?> phonemes,
        Option<int> batch, TargetSpec target)
        => CompileSubjectOptions.Load(r.GetValue(model), r.GetValue(demo), r.GetValue(part)!, r.GetValue(seconds), r.GetValue(phonemes), target, r.GetValue(batch));

    /// <summary>
    /// --target: a card (compile, dump and emit default to wormhole_n150) or the CPU runtime's own target (what the
    /// run commands default to: its plans fuse everything the CPU kernels take, so they run fastest there).
    /// </summary>
    internal static Option<string> TargetOption(TargetSpec? byDefault = null) => new("--target")
    {
        Description = $"The target: {string.Join(", ", TargetSpec.All.Select(t => t.Name))}",
        DefaultValueFactory = _ => (byDefault ?? TargetSpec.WormholeN150).Name,
    };

    internal static Option<double> SecondsOption() => CompileSubjectOptions.SecondsOption();

    internal static Option<string> WeightsOption() => new("--weights")
    {
        Description = "Weight dtype on the device: bf16 or bfp8_b",
        DefaultValueFactory = _ => "bf16",
    };

    internal static Option<string> PartOption() => CompileSubjectOptions.PartOption();

    internal static LoweringOptions Lowering(string weights) => weights switch
    {
        "bf16" => new LoweringOptions { WeightDType = DType.BF16 },
        "bfp8_b" => new LoweringOptions { WeightDType = DType.BFP8_B },
        _ => throw new VoxTileException($"--weights must be bf16 or bfp8_b, got '{weights}'"),
    };
}
