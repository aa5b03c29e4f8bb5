using System.CommandLine;
using VoxTile.Cli.Terminal;
using VoxTile.Cli.Usage;
using System.Diagnostics;
using VoxTile.Models.Api;
using VoxTile.Models.MeloTTS;
using VoxTile.Models.Device;
using VoxTile.Models.Audio;

namespace VoxTile.Cli.Commands;

/// <summary>
/// <c>voxtile tts</c>: MeloTTS speech from phonemes and tones (the base speaker OpenVoice V2 clones from). By default the
/// whole synthesis — text encoder, duration predictors, alignment, flow, decoder — is compiled for the device and run
/// by the runtime (plans cached per model, token count, frame bucket and style); <c>--backend reference</c> keeps the
/// fp32 interpreter. It parses the switches and runs the .NET API's <see cref="SpeechSynthesizer"/>, as a program would.
/// </summary>
internal static class TtsCommand
{
    public static Command Create()
    {
        var model = new Option<string?>("--model") { Description = "MeloTTS folder with config.json and checkpoint.pth" };
        var demo = new Option<bool>("--demo") { Description = "A random-weight MeloTTS of the released size and a built-in phoneme string" };
        var output = new Option<string>("--output", "-o") { Description = "Output .wav (44.1 kHz for the released model) or .npy; \"-\" streams 16-bit WAV to standard output, each piece as soon as it is ready", Required = true };
        var melo = new MeloOptions();
        var dev = new DeviceOptions();
        var cmd = new Command("tts", "Synthesize speech with MeloTTS from English text (--text) or phonemes and tones (BERT features default to zeros)")
        { model, demo, output };
        foreach (var o in melo.All.Concat(dev.All)) cmd.Options.Add(o);
        HelpExamples.Add(cmd, "voxtile tts --demo --text \"Hello world.\" -o hello.wav");
        HelpExamples.Add(cmd, "voxtile tts --demo --phonemes \"_ hh ah l ow _\" --tones \"0 0 1 0 2 0\" -o hello.wav");
        cmd.SetAction(r => CommandRunner.Run(() =>
        {
            var outPath = r.GetValue(output)!;
            bool streaming = outPath == OutputFile.StandardOutputPath;
            if (!streaming) OutputFile.EnsureWritable(outPath, ".wav", ".npy");
            bool isDemo = r.GetValue(demo);
            var synth = MeloOptions.LoadModel(r.GetValue(model), isDemo);
            var inputs = melo.Inputs(r, synth, isDemo);
            var style = melo.Style(r);
            var noise = melo.NoiseSource(r);
            var durations = melo.ForcedDurations(r);
            using var tts = SpeechSynthesizer.Create(synth, dev.Build(r, out var trace));
            if (r.GetValue(dev.Profile) && tts.Device is null) tts.Profile = new IR.Interp.OpProfile();
            if (streaming) return Stream(tts, inputs, style, noise, durations, gap: melo.Text.Given(r), r.GetValue(dev.Profile));
            var sw = Stopwatch.StartNew();
            // Text is spoken sentence by sentence: the display counts them.
            var results = Terminal.Progress.Run("synthesizing", p => inputs.Select((input, k) =>
                tts.Synthesize(input, style, noise, durations, inputs.Count > 1 ? p.Part(k + 1, inputs.Count, "sentence") : p)).ToList());
            var elapsed = sw.Elapsed.TotalSeconds;
            var result = results[^1];
            var audio = !melo.Text.Given(r) ? result.Audio
                : Models.MeloTTS.Text.TextUtterances.Join([.. results.Select(x => x.Audio)], Models.MeloTTS.Text.TextUtterances.GapSamples(result.SampleRate, 1.0 / style.LengthScale));
            OutputFile.WriteAudio(outPath, audio, result.SampleRate);
            if (tts.Profile is not null)
            {
                Console.Error.WriteLine("voxtile: profile of the fp32 reference interpreter:");
                Console.Error.Write(tts.Profile.ToString());
            }
            if (tts.Device is { } device) dev.Report(r, "MeloTTS", device.Options, device.Executors, device.CompileSeconds, device.LoadSeconds, trace);
            if (dev.IsVerbose(r)) Console.Error.WriteLine($"voxtile: {inputs.Sum(i => i.Length)} tokens → {results.Sum(x => x.Frames)} frames{Run(tts.Device)}");
            double setup = tts.Device is { } d ? d.CompileSeconds + d.LoadSeconds : 0;
            Console.WriteLine(RunSummary.Line(outPath, (double)audio.Length / result.SampleRate, result.SampleRate, elapsed, setup, RunSummary.Engine(tts.Device?.Options)));
            return 0;
        }));
        return cmd;
    }

    /// <summary>
    /// <c>-o -</c>: each piece is synthesized, written to standard output (with the gap after it, for text) and dropped,
    /// so the first audio comes out after one piece and a long text never holds all its audio; the summary goes to stderr.
    /// </summary>
    private static int Stream(SpeechSynthesizer tts, IReadOnlyList<MeloInput> inputs, MeloSynthesisOptions style, MeloNoise noise,
        IR.Tensor? durations, bool gap, bool profile)
    {
        using var stdout = OutputFile.StandardOutput();
        var wav = new WavStreamWriter(stdout, tts.SampleRate);
        var sw = Stopwatch.StartNew();
        double firstAudio = 0;
        var gapSamples = gap ? new float[Models.MeloTTS.Text.TextUtterances.GapSamples(tts.SampleRate, 1.0 / style.LengthScale)] : [];
        for (int i = 0; i < inputs.Count; i++)
        {
            var result = tts.Synthesize(inputs[i], style, noise, durations);
            wav.Write(result.Audio);
            wav.Write(gapSamples);
            if (i == 0) firstAudio = sw.Elapsed.TotalSeconds;
        }
        if (profile) Console.Error.WriteLine($"voxtile: time to first audio {firstAudio:F2} s ({inputs.Count} piece{(inputs.Count == 1 ? "" : "s")})");
        double setup = tts.Device is { } d ? d.CompileSeconds + d.LoadSeconds : 0;
        Console.Error.WriteLine(RunSummary.Line("standard output", (double)wav.Samples / tts.SampleRate, tts.SampleRate, sw.Elapsed.TotalSeconds, setup, RunSummary.Engine(tts.Device?.Options)));
        return 0;
    }

    /// <summary>How much of a device run was compiling and loading, which a second run with the plan cached does not repeat.</summary>
    internal static string Run(DeviceMeloBackend? b) =>
        b is null ? "" : $": compile {b.CompileSeconds:F1} s, load {b.LoadSeconds:F1} s, run {b.RunSeconds:F2} s";
}
