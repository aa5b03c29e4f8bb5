using System.Globalization;
using VoxTile.IR;
using VoxTile.Cli.Dump;
using VoxTile.Lowering;
using VoxTile.Lowering.Costs;
using VoxTile.Lowering.Passes;
using VoxTile.Lowering.Plan;
using VoxTile.Lowering.Targets;
using VoxTile.Models.Pipelines;

namespace VoxTile.Cli.Commands;

/// <summary>
/// <c>voxtile bench clone-model --seconds 5</c>: the modeled number of concurrent real-time voice clones per target.
/// A clone is MeloTTS speaking <c>--seconds</c> of speech, then the converter turning that speech into the target
/// voice; both embeddings are cached per voice (OpenVoice's base-speaker embedding and the target's), so neither
/// extract_se runs per clone. For each target both parts are compiled at the released sizes (the demo's random
/// weights) and their plans' figures combined (<see cref="MeshCost.Pipeline"/>): every chip runs MeloTTS then the
/// converter on its per-chip batch, with both models' weights replicated. Prints figures; asserts nothing.
/// </summary>
internal static class BenchCloneModel
{
    /// <summary>The targets the clone figure is asked for when --targets is not given.</summary>
    public static IReadOnlyList<TargetSpec> DefaultTargets { get; } = [TargetSpec.WormholeN150, TargetSpec.WormholeN300, TargetSpec.WormholeT3000];

    public static void Run(double seconds, IReadOnlyList<TargetSpec> targets, string weights)
    {
        var cards = targets.Where(t => t.IsTenstorrent).ToList();
        if (cards.Count == 0) throw new VoxTileException("bench clone-model: --targets names no Tenstorrent target (the CPU runtime has no mesh or trace to model)");
        var tts = CompileSubjectOptions.Load(null, demo: true, CompileSubject.Tts, seconds, null, cards[0]);
        var convert = CompileSubjectOptions.Load(null, demo: true, CompileSubject.Convert, seconds, null, cards[0]);
        var lowering = CompileCommand.Lowering(weights);
        Console.WriteLine($"voxtile bench clone-model: {seconds.ToString("0.##", CultureInfo.InvariantCulture)} s clones, MeloTTS English and the OpenVoice V2 converter "
            + $"at the released sizes (random weights), {weights} weights; modeled from each target's compiled plans (nothing runs on a card)");
        Console.WriteLine($"{"target",-16} {"part",-10} {"batch",9} {"device ms",9} {"roofline",9} {"ratio",6} {"traced ms",9} {"untraced",9} {"utt/s",8} {"streams",8} {"host ops",8} {"DRAM/chip",9}");
        var summary = new List<string>();
        foreach (var target in cards)
        {
            var ttsPlan = Compile(tts, target, lowering);
            var convPlan = Compile(convert, target, lowering);
            var parts = new (string Name, MeshFigures Figures, int HostOps)[]
            {
                ("melotts", MeshCost.Of(ttsPlan, target, seconds), ttsPlan.Summary.HostOps),
                ("convert", MeshCost.Of(convPlan, target, seconds), convPlan.Summary.HostOps),
                ("clone", MeshCost.Pipeline([ttsPlan, convPlan], target, seconds), ttsPlan.Summary.HostOps + convPlan.Summary.HostOps),
            };
            foreach (var (name, m, hostOps) in parts)
                Console.WriteLine($"{target.Name,-16} {name,-10} {$"{m.Chips}×{m.BatchPerChip}",9} {m.DeviceSecondsPerChip * 1e3,9:F2} {m.RooflineSecondsPerChip * 1e3,9:F2} "
                    + $"{MeshSummary.Ratio(m.DeviceSecondsPerChip, m.RooflineSecondsPerChip),6} {m.Run.TracedSeconds * 1e3,9:F2} {m.Run.UntracedSeconds * 1e3,9:F2} "
                    + $"{m.UtterancesPerSecond,8:F1} {m.RealTimeStreams,8:F1} {hostOps,8} {m.PeakDramBytesPerChip / 1e9,7:F2} GB{(m.FitsDram ? "" : " (does not fit)")}");
            var clone = parts[^1].Figures;
            Console.WriteLine($"{target.Name}: {clone.RealTimeStreams:F1} concurrent real-time clones traced ({clone.UntracedRealTimeStreams:F1} untraced), "
                + $"{clone.Chips} chip{(clone.Chips == 1 ? "" : "s")} × batch {clone.BatchPerChip}, one batch every {clone.Run.TracedSeconds * 1e3:F2} ms");
            summary.Add($"{target.Name}_clones={clone.RealTimeStreams.ToString("F2", CultureInfo.InvariantCulture)}"
                + $" {target.Name}_clones_untraced={clone.UntracedRealTimeStreams.ToString("F2", CultureInfo.InvariantCulture)}");
        }
        Console.WriteLine($"bench clone-model seconds={seconds.ToString(CultureInfo.InvariantCulture)} {string.Join(' ', summary)}");
    }

    /// <summary>The part compiled for one target without packing its weights (the figures need their sizes only).</summary>
    private static DevicePlan Compile(CompileSubject subject, TargetSpec target, LoweringOptions lowering) =>
        Compiler.Compile(subject.Graph, subject.Options(target, lowering) with { PackWeights = false }).Plan;
}
