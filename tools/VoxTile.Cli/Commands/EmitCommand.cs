using System.CommandLine;
using VoxTile.Cli.Usage;
using VoxTile.IR;
using VoxTile.IR.IO;
using VoxTile.Lowering;
using VoxTile.Lowering.Emit;
using VoxTile.Lowering.Passes;
using VoxTile.Cli.Terminal;
using VoxTile.Lowering.Plan;
using VoxTile.Lowering.Targets;
using VoxTile.Models.Audio;
using VoxTile.Models.Pipelines;

namespace VoxTile.Cli.Commands;

/// <summary>
/// <c>voxtile emit</c>: a device plan (from a .vtp, or compiled here from the converter or MeloTTS) as a standalone TTNN Python
/// program with its weights beside it; optionally the inputs file it runs on and the reference file its
/// <c>--check</c> compares against.
/// </summary>
internal static class EmitCommand
{
    public static Command Create()
    {
        var planPath = new Option<string?>("--plan") { Description = "A device plan (.vtp) written by voxtile compile" };
        var model = CompileSubjectOptions.ModelOption();
        var demo = CompileSubjectOptions.DemoOption();
        var target = CompileCommand.TargetOption();
        var seconds = CompileCommand.SecondsOption();
        var phonemes = CompileSubjectOptions.PhonemesOption();
        var batch = CompileSubjectOptions.BatchOption();
        var weights = CompileCommand.WeightsOption();
        var part = CompileCommand.PartOption();
        var lang = new Option<string>("--lang") { Description = "The language to emit: python (TTNN's Python API)", DefaultValueFactory = _ => "python" };
        var output = new Option<string>("--output", "-o")
        {
            Description = "The program to write (.py); its weights go beside it as NAME.weights.npz. The program itself takes --inputs, --check, "
                + "--runs N (timed replays of its captured trace after one warm-up run), --no-trace and --trace-region-size",
            Required = true,
        };
        var inputs = new Option<string[]>("--input")
        {
            Description = "A plan input as NAME=FILE (.npy, or .wav resampled to the model's rate; e.g. samples=source.wav se_src=src_se.npy se_tgt=my_se.npy)",
            AllowMultipleArgumentsPerToken = true,
        };
        var inputsNpz = new Option<string?>("--inputs-npz") { Description = "Write the plan's inputs (--input values, noise from its seed, seeded stand-ins for the rest) to this .npz" };
        var referenceNpz = new Option<string?>("--reference-npz") { Description = "Write VoxTile's reference values for those inputs (fp32 interpreter over the plan) for the program's --check" };
        var referenceValues = new Option<string>("--reference-values") { Description = "What the reference file holds: named (outputs and named intermediates) or outputs", DefaultValueFactory = _ => "named" };
        var sampleRate = new Option<int?>("--sample-rate") { Description = "Sample rate of the plan's audio (for .wav inputs and the program's --wav); the model's when compiling the converter" }.Within(1, 768_000);
        var seed = new Option<long>("--seed") { Description = "Seed of the stand-in values for inputs not given", DefaultValueFactory = _ => 0 };
        var cmd = new Command("emit", "Write a device plan as a TTNN Python program for a Tenstorrent card or mesh (the target's chips, the batch sharded over them; "
            + "traced execution, --runs N replays): validated against the ttnn API reference, not run on hardware here")
        { planPath, model, demo, target, seconds, phonemes, batch, weights, part, lang, output, inputs, inputsNpz, referenceNpz, referenceValues, sampleRate, seed };
        cmd.SetAction(r => CommandRunner.Run(() =>
        {
            var language = r.GetValue(lang)!;
            if (language != "python") throw new VoxTileException($"--lang {language} is not supported: voxtile emits python (TTNN's Python API) only");
            var outPath = r.GetValue(output)!;
            OutputFile.EnsureWritable(outPath, ".py");
            var values = r.GetValue(referenceValues)! switch
            {
                "named" => ReferenceValues.Named,
                "outputs" => ReferenceValues.Outputs,
                var v => throw new VoxTileException($"--reference-values must be named or outputs, got '{v}'"),
            };
            if (r.GetValue(inputsNpz) is { } ip) OutputFile.EnsureWritable(ip, ".npz");
            if (r.GetValue(referenceNpz) is { } rp) OutputFile.EnsureWritable(rp, ".npz");
            var given = ParseInputs(r.GetValue(inputs) ?? []);

            // Stages: reading or compiling the plan (the graph, each pass, plan building), the program and its weights,
            // the inputs, the reference values.
            bool writesInputs = r.GetValue(inputsNpz) is not null || r.GetValue(referenceNpz) is not null;
            if (given.Count > 0 && !writesInputs) throw new VoxTileException("--input needs --inputs-npz or --reference-npz to write the values to");
            bool compiles = r.GetValue(planPath) is null;
            int planStages = compiles ? PassRegistry.Parse(Compiler.DefaultPipeline).Passes.Count + 2 : 1;
            int stages = planStages + 1 + (writesInputs ? 1 : 0) + (r.GetValue(referenceNpz) is not null ? 1 : 0);
            var lines = new List<string>();
            Terminal.Progress.Run("emitting", p =>
            {
                DevicePlan plan;
                CompileSubject? subject = null;
                if (r.GetValue(planPath) is { } path)
                {
                    if (r.GetValue(model) is not null || r.GetValue(demo)) throw new VoxTileException("give --plan or --model/--demo, not both");
                    p.Stage(1, stages, "reading the plan");
                    plan = PlanFile.Read(path);
                }
                else
                {
                    var spec = TargetSpec.Parse(r.GetValue(target)!);
                    var lowering = CompileCommand.Lowering(r.GetValue(weights)!);
                    p.Stage(1, stages, "building the graph");
                    subject = CompileCommand.Subject(r, model, demo, part, seconds, phonemes, batch, spec);
                    plan = Compiler.Compile(subject.Graph, subject.Options(spec, lowering) with { StageStarting = (k, _, stage) => p.Stage(1 + k, stages, stage) }).Plan;
                }
                // WAV inputs are read at the model's audio rate: given, else the subject's, else the one the plan records.
                int? rate = r.GetValue(sampleRate) ?? subject?.SampleRate ?? PlanAudio.RecordedRate(plan);

                // Inputs first: a bad --input fails before the weights are written.
                IReadOnlyList<KeyValuePair<string, Tensor>> all = [];
                if (writesInputs)
                {
                    p.Stage(planStages + 1, stages, "reading the inputs");
                    var tensors = given.ToDictionary(g => g.Key, g => ReadInput(g.Key, g.Value, plan, rate), StringComparer.Ordinal);
                    all = PlanInputs.Complete(plan, tensors, r.GetValue(seed), Terminal.Progress.Note);
                }

                p.Stage(planStages + (writesInputs ? 2 : 1), stages, "writing the program and its weights");
                var weightsFile = Path.GetFileNameWithoutExtension(outPath) + ".weights.npz";
                var program = PythonEmitter.Write(plan, outPath, new PythonEmitOptions { WeightsFile = weightsFile, SampleRate = r.GetValue(sampleRate) });
                long weightBytes = program.Weights.Sum(w => w.Value.Length * 4);
                var audio = PlanAudio.Of(plan, r.GetValue(sampleRate));
                lines.Add($"wrote {outPath}: {plan.Steps.Count(s => !s.IsDeallocate)} ops and {plan.Steps.Count(s => s.IsDeallocate)} deallocations for {plan.Target}; "
                    + $"{program.Weights.Count} weights ({weightBytes / 1e6:F1} MB fp32) in {weightsFile}; outputs {string.Join(", ", PlanInputs.OutputNames(plan))}"
                    + (audio is null ? "" : $" (--wav writes {audio.Output} at {audio.Rate} Hz)"));
                if (r.GetValue(inputsNpz) is { } inPath)
                {
                    Npz.Write(inPath, all);
                    lines.Add($"wrote {inPath}: " + string.Join(", ", all.Select(a => $"{a.Key} [{string.Join(",", a.Value.Shape)}]")));
                }
                if (r.GetValue(referenceNpz) is { } refPath)
                {
                    var summary = ReferenceNpz.Write(refPath, plan, all, values, progress: p.Within(stages, stages, "reference values"));
                    lines.Add($"wrote {refPath}: {Count(summary.Outputs, "output")} and {Count(summary.Intermediates, "named intermediate")} from the reference interpreter, with the inputs they came from"
                        + (summary.Skipped > 0 ? $" ({Count(summary.Skipped, "more intermediate")} left out to keep the file small)" : ""));
                }
                return 0;
            });
            foreach (var line in lines) Console.WriteLine(line);
            return 0;
        }));
        return cmd;
    }

    private static string Count(int n, string what) => $"{n} {what}{(n == 1 ? "" : "s")}";

    private static List<KeyValuePair<string, string>> ParseInputs(string[] specs)
    {
        var list = new List<KeyValuePair<string, string>>();
        foreach (var s in specs)
        {
            int eq = s.IndexOf('=');
            if (eq <= 0 || eq == s.Length - 1) throw new VoxTileException($"--input {s}: expected NAME=FILE");
            var name = s[..eq];
            if (list.Any(l => l.Key == name)) throw new VoxTileException($"--input {name} is given twice");
            list.Add(new(name, s[(eq + 1)..]));
        }
        return list;
    }

    /// <summary>An input from a file: .npy as it is; .wav as mono samples at the plan's rate, zero-padded to the length the plan was compiled for.</summary>
    private static Tensor ReadInput(string name, string file, DevicePlan plan, int? rate)
    {
        if (!File.Exists(file)) throw new VoxTileException($"--input {name}: {file}: no such file");
        if (!file.EndsWith(".wav", StringComparison.OrdinalIgnoreCase)) return Npy.Read(file);
        var slot = PlanInputs.Of(plan).FirstOrDefault(s => s.Name == name)
            ?? throw new VoxTileException($"the plan has no input {name} (its inputs: {string.Join(", ", PlanInputs.Of(plan).Select(s => s.Name))})");
        if (rate is not { } sr) throw new VoxTileException($"--input {name}={file}: the plan records no audio rate (an older plan): give --sample-rate to read a WAV");
        var clip = WavFile.Read(file);
        var samples = clip.SampleRate == sr ? clip.Samples : Resampler.Resample(clip.Samples, clip.SampleRate, sr);
        long length = slot.Shape[^1];
        if (slot.Shape.Take(slot.Shape.Length - 1).Any(d => d != 1))
            throw new VoxTileException($"--input {name}: a WAV gives [1, samples], the plan's input is [{string.Join(",", slot.Shape)}]");
        if (samples.Length > length)
            throw new VoxTileException($"{file}: {samples.Length / (double)sr:F2} s is longer than the {length / (double)sr:F2} s the plan was compiled for; compile with a larger --seconds");
        if (samples.Length < length)
            Terminal.Progress.Note($"{file}: {samples.Length / (double)sr:F2} s padded with silence to the plan's {length / (double)sr:F2} s");
        var t = new Tensor(slot.Shape);
        samples.AsSpan().CopyTo(t.Data);
        return t;
    }
}
