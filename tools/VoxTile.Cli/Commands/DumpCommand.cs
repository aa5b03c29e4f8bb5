using System.CommandLine;
using VoxTile.Cli.Dump;
using VoxTile.Cli.Terminal;
using VoxTile.Cli.Usage;
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
        var module = new Option<string?>("--module") { Description = "Only the ops of this model module and what is inside it (enc_q, flow.flows.2, dec.ups.0), with the values they read" };
        var range = new Option<string?>("--range") { Description = "Only ops A to B-1 in schedule order (A:B, A: or :B; the HTML view numbers them #A)" };
        var cmd = new Command("dump", "Print a device plan, or the converter (or MeloTTS, --part tts) lowered to a stage")
        { plan, model, demo, stage, format, explain, part, target, seconds, phonemes, batch, weights, output, module, range };
        HelpExamples.Add(cmd, "voxtile dump --demo --seconds 1 --format dot --module dec.ups.0");
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
            var (from, to) = r.GetValue(range) is { } rg ? OpRange.Parse(rg) : (0, int.MaxValue);
            var selection = new DumpSelection(r.GetValue(module), from, to, r.GetValue(range) is not null);

            var text = Progress.Run("dumping", p =>
            {
                if (r.GetValue(plan) is { } path)
                {
                    if (r.GetValue(model) is not null || r.GetValue(demo)) throw new VoxTileException("give a plan file or --model/--demo, not both");
                    if (st != "planned") throw new VoxTileException($"a plan holds only the planned stage, not '{st}'");
                    p.Stage(1, 2, "reading the plan");
                    var read = PlanFile.Read(path);
                    p.Stage(2, 2, $"rendering {fmt}");
                    return Render(read, fmt, why, selection);
                }
                var spec = TargetSpec.Parse(r.GetValue(target)!);
                var lowering = CompileCommand.Lowering(r.GetValue(weights)!);
                // Stages: the graph, each pass (and the plan building when planned), the rendering.
                int passes = st == "nn" ? 0 : PassRegistry.Parse(Compiler.StagePipeline(st)).Passes.Count;
                int stages = passes + (st == "planned" ? 3 : 2);
                p.Stage(1, stages, "building the graph");
                var subject = CompileCommand.Subject(r, model, demo, part, seconds, phonemes, batch, spec);
                if (st == "planned")
                {
                    var options = subject.Options(spec, lowering) with { PackWeights = false, StageStarting = (k, _, name) => p.Stage(1 + k, stages, name) };
                    var compiled = Compiler.Compile(subject.Graph, options).Plan;
                    p.Stage(stages, stages, $"rendering {fmt}");
                    return Render(compiled, fmt, why, selection);
                }
                var lowered = Compiler.Lower(subject.Graph, Compiler.StagePipeline(st), new PassContext(spec, lowering), (k, _, name) => p.Stage(1 + k, stages, name));
                p.Stage(stages, stages, $"rendering {fmt}");
                var view = DumpView.Of(lowered, st);
                return Render(view, fmt, selection, () => Printer.Print(lowered));
            });
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

    private static string Render(DevicePlan plan, string format, bool explain, DumpSelection selection) =>
        Render(DumpView.Of(plan), format, selection, () => PlanText.Print(plan, explain));

    /// <summary>The view in <paramref name="format"/>, limited to the selection when there is one; <paramref name="text"/> prints the whole graph text.</summary>
    private static string Render(DumpView view, string format, DumpSelection selection, Func<string> text)
    {
        var shown = selection.Apply(view);
        return format switch
        {
            "dot" => DotRenderer.Render(shown),
            "html" => HtmlRenderer.Render(shown),
            _ => ReferenceEquals(shown, view) ? text() : TextSelection.Filter(text(), shown),
        };
    }
}
