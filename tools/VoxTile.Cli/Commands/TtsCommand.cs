using System.CommandLine;
using System.Diagnostics;
using VoxTile.Models.MeloTTS;

namespace VoxTile.Cli.Commands;

/// <summary><c>voxtile tts</c>: MeloTTS speech from phonemes and tones (the base speaker OpenVoice V2 clones from).</summary>
internal static class TtsCommand
{
    public static Command Create()
    {
        var model = new Option<string?>("--model") { Description = "MeloTTS folder with config.json and checkpoint.pth" };
        var demo = new Option<bool>("--demo") { Description = "A random-weight MeloTTS of the released size and a built-in phoneme string" };
        var output = new Option<string>("--output", "-o") { Description = "Output .wav (44.1 kHz for the released model) or .npy", Required = true };
        var melo = new MeloOptions();
        var cmd = new Command("tts", "Synthesize speech with MeloTTS from phonemes and tones (BERT features default to zeros; text-to-phoneme is not built in)")
        { model, demo, output };
        foreach (var o in melo.All) cmd.Options.Add(o);
        cmd.SetAction(r => CommandRunner.Run(() =>
        {
            var outPath = r.GetValue(output)!;
            OutputFile.EnsureWritable(outPath, ".wav", ".npy");
            bool isDemo = r.GetValue(demo);
            var synth = MeloOptions.LoadModel(r.GetValue(model), isDemo);
            var input = melo.Input(r, synth, isDemo);
            var style = melo.Style(r);
            var noise = melo.NoiseSource(r);
            var sw = Stopwatch.StartNew();
            var pipeline = new MeloPipeline(synth);
            var result = Terminal.Progress.Run("synthesizing", p =>
            {
                pipeline.Progress = p;
                return pipeline.Synthesize(input, style, noise);
            });
            OutputFile.WriteAudio(outPath, result.Audio, result.SampleRate);
            double secs = (double)result.Audio.Length / result.SampleRate;
            Console.WriteLine($"wrote {outPath}: {secs:F2} s at {result.SampleRate} Hz, {input.Length} tokens → {result.Frames} frames ({sw.Elapsed.TotalSeconds:F1} s on the reference backend)");
            return 0;
        }));
        return cmd;
    }
}
