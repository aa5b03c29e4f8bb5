using System.CommandLine;
using VoxTile.Cli.Usage;
using System.Diagnostics;
using VoxTile.IR;
using VoxTile.Models.Api;
using VoxTile.Models.Audio;
using VoxTile.Models.MeloTTS;
using VoxTile.Models.OpenVoice;
using VoxTile.Models.Pipelines;
using VoxTile.Models.Device;
using VoxTile.Runtime.Cache;

namespace VoxTile.Cli.Commands;

/// <summary>
/// <c>voxtile clone</c>: OpenVoice V2 end to end — MeloTTS speaks the text in its base voice, the speech is brought to
/// the converter's rate, and the tone color converter gives it the reference speaker's voice. On the device backend
/// (the default) the synthesis plan also resamples its 44.1 kHz speech to the converter's 22.05 kHz (a polyphase FIR as
/// a strided conv1d in the same graph), and voice_conversion and the embeddings run as convert runs them
/// (<see cref="ClonePipeline"/>, which <c>bench clone</c> and the .NET API's VoiceCloner run too).
/// </summary>
internal static class CloneCommand
{
    public static Command Create()
    {
        var tts = new Option<string?>("--tts") { Description = "MeloTTS folder (config.json + checkpoint.pth)" };
        var converter = new Option<string?>("--converter") { Description = "Converter folder (checkpoints_v2/converter)" };
        var demo = new Option<bool>("--demo") { Description = "Random-weight models of the released sizes and generated voices" };
        var reference = new Option<string[]>("--reference") { Description = "Reference WAV(s) of the voice to clone", AllowMultipleArgumentsPerToken = true };
        var targetSe = new Option<string?>("--target-se") { Description = "Target tone color embedding (.npy from extract-se, or a released se .pth) instead of --reference" };
        var sourceSe = new Option<string?>("--source-se") { Description = "The base speaker's embedding: OpenVoice's released checkpoints_v2/base_speakers/ses/*.pth (en-us.pth, …) or an .npy; extracted from the synthesized speech when absent" };
        var tau = new Option<float>("--tau") { Description = "Posterior sampling temperature of the converter", DefaultValueFactory = _ => 0.3f }.Within(0f, 10f);
        var output = new Option<string>("--output", "-o") { Description = "Output .wav at the converter's rate (22.05 kHz) or .npy; \"-\" streams 16-bit WAV to standard output, each piece of --text converted and written as soon as it is ready", Required = true };
        var melo = new MeloOptions();
        var dev = new DeviceOptions();
        var cmd = new Command("clone", "Text (--text, or phonemes) to speech in a cloned voice: MeloTTS, then the tone color converter")
        { tts, converter, demo, reference, targetSe, sourceSe, tau, output };
        foreach (var o in melo.All.Concat(dev.All)) cmd.Options.Add(o);
        cmd.SetAction(r => CommandRunner.Run(() =>
        {
            var outPath = r.GetValue(output)!;
            bool streaming = outPath == OutputFile.StandardOutputPath;
            if (!streaming) OutputFile.EnsureWritable(outPath, ".wav", ".npy");
            bool isDemo = r.GetValue(demo);
            var refs = r.GetValue(reference) ?? [];
            if (refs.Length > 0 && r.GetValue(targetSe) is not null) throw new VoxTileException("give either --reference or --target-se, not both");
            if (!isDemo && refs.Length == 0 && r.GetValue(targetSe) is null) throw new VoxTileException("give the voice to clone: --reference REF.wav… or --target-se se.npy");
            var convModel = ModelOptions.Load(r.GetValue(converter), isDemo && r.GetValue(converter) is null, "--converter");
            var synth = MeloOptions.LoadModel(r.GetValue(tts), isDemo && r.GetValue(tts) is null, "--tts");
            var options = dev.Build(r, out var trace);
            using var meloBackend = options is null ? null : new DeviceMeloBackend(options);
            // Each backend counts its own plan-cache hits (same folder).
            using var convBackend = options is null ? null : new DeviceConverterBackend(options with { Cache = PlanCache.Default() });
            var clone = new ClonePipeline(synth, convModel, meloBackend, convBackend);
            var conv = clone.Converting;
            var inputs = melo.Inputs(r, synth, isDemo);
            var style = melo.Style(r);
            var noise = melo.NoiseSource(r);
            var durations = melo.ForcedDurations(r);
            var tauValue = r.GetValue(tau);
            var seSource = r.GetValue(sourceSe) is { } ss ? VoiceEmbedding.Load(ss).ToTensor() : null;
            var conversionNoise = new NoiseSource.Seeded(r.GetValue(melo.Seed));
            Tensor TargetEmbedding() => r.GetValue(targetSe) is { } ts ? VoiceEmbedding.Load(ts).ToTensor()
                : refs.Length > 0 ? conv.ExtractEmbedding(refs.Select(f => conv.ToModelRate(ModelOptions.ReadReference(f, conv.Model))))
                : conv.ExtractEmbedding([Demo.DemoVoice.Generate(conv.Model.SampleRate, 3.0, pitch: 210, tract: 1.17, seed: 2)]);
            int gap = Models.MeloTTS.Text.TextUtterances.GapSamples(conv.Model.SampleRate, 1.0 / style.LengthScale);
            var sw = Stopwatch.StartNew();
            if (streaming && melo.Text.Given(r))
            {
                using var stdout = OutputFile.StandardOutput();
                var wav = new WavStreamWriter(stdout, conv.Model.SampleRate);
                double firstAudio = 0;
                foreach (var piece in clone.CloneEach(inputs, gap, style, noise, TargetEmbedding(), seSource, tauValue, conversionNoise))
                {
                    wav.Write(piece.Audio);
                    if (firstAudio == 0) firstAudio = sw.Elapsed.TotalSeconds;
                }
                if (r.GetValue(dev.Profile)) Console.Error.WriteLine($"voxtile: time to first audio {firstAudio:F2} s ({inputs.Count} piece{(inputs.Count == 1 ? "" : "s")})");
                Console.Error.WriteLine(RunSummary.Line("standard output", (double)wav.Samples / conv.Model.SampleRate, conv.Model.SampleRate, sw.Elapsed.TotalSeconds,
                    SetupSeconds(meloBackend, convBackend), RunSummary.Engine(options)));
                return 0;
            }
            var result = Terminal.Progress.Run("cloning", p =>
            {
                clone.Progress = p;
                var seTarget = TargetEmbedding();
                return !melo.Text.Given(r)
                    ? clone.Clone(inputs[0], style, noise, seTarget, seSource, tauValue, conversionNoise, durations: durations)
                    : clone.Clone(inputs, gap, style, noise, seTarget, seSource, tauValue, conversionNoise);
            });
            double targetSeconds = sw.Elapsed.TotalSeconds - result.SynthesisSeconds - result.EmbeddingSeconds - result.ConversionSeconds;
            if (streaming) WriteStream(result.Audio, result.SampleRate, r.GetValue(dev.Profile) ? sw.Elapsed.TotalSeconds : null);
            else OutputFile.WriteAudio(outPath, result.Audio, result.SampleRate);
            if (meloBackend is not null) dev.Report(r, "MeloTTS", meloBackend.Options, meloBackend.Executors, meloBackend.CompileSeconds, meloBackend.LoadSeconds, null);
            if (convBackend is not null) dev.Report(r, "converter", convBackend.Options, convBackend.Embedders.Concat(convBackend.Executors), convBackend.CompileSeconds, convBackend.LoadSeconds, trace);
            if (dev.IsVerbose(r))
                Console.Error.WriteLine($"voxtile: clone: synthesis and resampling {result.SynthesisSeconds:F1} s{TtsCommand.Run(meloBackend)}; embeddings and conversion {targetSeconds + result.EmbeddingSeconds + result.ConversionSeconds:F1} s" +
                    (convBackend is null ? "" : $": compile {convBackend.CompileSeconds:F1} s, load {convBackend.LoadSeconds:F1} s"));
            var summary = RunSummary.Line(streaming ? "standard output" : outPath, (double)result.Audio.Length / result.SampleRate, result.SampleRate,
                sw.Elapsed.TotalSeconds, SetupSeconds(meloBackend, convBackend), RunSummary.Engine(options));
            if (streaming) Console.Error.WriteLine(summary);
            else Console.WriteLine(summary);
            return 0;
        }));
        return cmd;
    }

    /// <summary>Phoneme input is one utterance: streamed whole once converted (its one piece is the first audio).</summary>
    private static void WriteStream(float[] audio, int sampleRate, double? firstAudio)
    {
        using var stdout = OutputFile.StandardOutput();
        new WavStreamWriter(stdout, sampleRate).Write(audio);
        if (firstAudio is { } t) Console.Error.WriteLine($"voxtile: time to first audio {t:F2} s (1 piece)");
    }

    private static double SetupSeconds(DeviceMeloBackend? melo, DeviceConverterBackend? converter) =>
        (melo is null ? 0 : melo.CompileSeconds + melo.LoadSeconds) + (converter is null ? 0 : converter.CompileSeconds + converter.LoadSeconds);
}
