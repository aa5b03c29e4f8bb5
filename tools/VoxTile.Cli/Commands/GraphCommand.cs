using System.CommandLine;
using VoxTile.Cli.Usage;
using VoxTile.IR;
using VoxTile.IR.Text;
using VoxTile.Models.OpenVoice;

namespace VoxTile.Cli.Commands;

/// <summary><c>voxtile graph</c>: print the converter's model-level graph in the IR's text form.</summary>
internal static class GraphCommand
{
    public static Command Create()
    {
        var model = ModelOptions.Model();
        var demo = ModelOptions.Demo();
        var seconds = new Option<double>("--seconds") { Description = "Input length the graph is built for, in seconds", DefaultValueFactory = _ => 1.0 }.Within(0.0, 3600.0, minExclusive: true, unit: "s");
        var part = new Option<string>("--part") { Description = "convert (voice_conversion) or extract-se", DefaultValueFactory = _ => "convert" };
        part.AcceptOnlyFromAmong("convert", "extract-se");
        var cmd = new Command("graph", "Print the converter's nn-level graph (parseable text form)") { model, demo, seconds, part };
        cmd.SetAction(r => CommandRunner.Run(() =>
        {
            var conv = ModelOptions.Load(r.GetValue(model), r.GetValue(demo));
            int samples = (int)Math.Round(r.GetValue(seconds) * conv.SampleRate);
            Graph g = r.GetValue(part) == "extract-se"
                ? conv.BuildEmbeddingGraph(samples)
                : conv.BuildConversionGraph(samples, 0.3f, new NoiseSource.Seeded(0));
            Console.Out.Write(Printer.Print(g));
            return 0;
        }));
        return cmd;
    }
}
