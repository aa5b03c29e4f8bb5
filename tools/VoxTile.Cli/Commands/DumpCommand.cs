using System.CommandLine;
using VoxTile.Cli.Dump;
using VoxTile.IR;
using VoxTile.IR.Text;
using VoxTile.Lowering;
using VoxTile.Lowering.Passes;
using VoxTile.Lowering.Plan;
using VoxTile.Lowering.Planning;
using VoxTile.Lowering.Targets;

namespace VoxTile.Cli.Commands;

/// <summary>
/// <c>voxtile dump</c>: a device plan, or the converter (or MeloTTS, <c>--part tts</c>) at one stage of the lowering, as parseable graph text (with
/// every value's memory config; the planned stage lists the schedule's spills and deallocations), Graphviz dot, or
/// a self-contained HTML page with L1 use over time.
/// </summary>
internal static class DumpCommand
{
    public static Command Create()
    {
        var plan = new Argument<string?>("plan") { Description = "A device plan (.vtp) written by voxtile compile", Arity = ArgumentArity.ZeroOrOne };
        var model = CompileSubjectOptions.ModelOption();
        var demo = CompileSubjectOptions.DemoOption();
        var stage = new Option<string>("--stage") { Description = "nn, decomposed, ttnn, fused or planned", DefaultValueFactory = _ => "planned" };
        var format = new Option<string>("--format") { Description = "text, dot or html", DefaultValueFactory = _ => "text" };
        var explain = new Option<bool>("--explain") { Description = "Say for every value why the planner placed it where it is" };
        var part = CompileCommand.PartOption();
        var target = CompileCommand.TargetOption();
        var seconds = CompileCommand.SecondsOption();
        var phonemes = CompileSubjectOptions.PhonemesOption();
        var batch = CompileSubjectOptions.BatchOption();
        var weights = CompileCommand.WeightsOption();
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file instead of the standard output" };
        var cmd = new Command("dump", "Print a device plan, or the converter (or MeloTTS, --part tts) lowered to a stage")
        { plan, model, demo, stage, format, explain, part, target, seconds, phonemes, batch, weights, output };
        cmd.SetAction(r => CommandRunner.Run(() =>
        {
            var fmt = r.GetValue(format)!;
            if (fmt is not ("text" or "dot" or "html")) throw new VoxTileException($"--format must be text, dot or html, got '{fmt}'");
            var st = r.GetValue(stage)!;
            Compiler.StagePipeline(st); // rejects an unknown stage
            bool why = r.GetValue(explain);
            if (why && st != "planned") throw new VoxTileException("--explain needs the planned stage: earlier stages have no placements");
            var outPath = r.GetValue(output);
            if (outPath is not null) OutputFile.EnsureWritable(outPath);

            string text;
            if (r.GetValue(plan) is { } path)
            {
                if (r.GetValue(model) is not null || r.GetValue(demo)) throw new VoxTileException("give a plan file or --model/--demo, not both");
                if (st != "planned") throw new VoxTileException($"a plan holds only the planned stage, not '{st}'");
                text = Render(PlanFile.Read(path), fmt, why);
            }
            else
            {
                var spec = TargetSpec.Parse(r.GetValue(target)!);
                var lowering = CompileCommand.Lowering(r.GetValue(weights)!);
                var subject = CompileCommand.Subject(r, model, demo, part, seconds, phonemes, batch);
                if (st == "planned")
                {
                    var options = subject.Options(spec, lowering) with { PackWeights = false };
                    text = Render(Compiler.Compile(subject.Graph, options).Plan, fmt, why);
                }
                else
                {
                    var lowered = Compiler.Lower(subject.Graph, Compiler.StagePipeline(st), new PassContext(spec, lowering));
                    text = fmt switch
                    {
                        "dot" => DotRenderer.Render(DumpView.Of(lowered, st)),
                        "html" => HtmlRenderer.Render(DumpView.Of(lowered, st)),
                        _ => Printer.Print(lowered),
                    };
                }
            }
            if (outPath is null) Console.Out.Write(text);
            else
            {
                IR.IO.AtomicFile.Write(outPath, s =>
                {
                    using var w = new StreamWriter(s, leaveOpen: true);
                    w.Write(text);
                });
                Console.WriteLine($"wrote {outPath}");
            }
            return 0;
        }));
        return cmd;
    }

    private static string Render(DevicePlan plan, string format, bool explain) => format switch
    {
        "dot" => DotRenderer.Render(DumpView.Of(plan)),
        "html" => HtmlRenderer.Render(DumpView.Of(plan)),
        _ => PlanText.Print(plan, explain),
    };
}
