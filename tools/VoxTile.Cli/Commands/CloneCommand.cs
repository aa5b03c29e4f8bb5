using System.CommandLine;
using System.Diagnostics;
using VoxTile.IR;
using VoxTile.IR.IO;
using VoxTile.Models.Audio;
using VoxTile.Models.MeloTTS;
using VoxTile.Models.OpenVoice;

namespace VoxTile.Cli.Commands;

/// <summary>
/// <c>voxtile clone</c>: OpenVoice V2 end to end — MeloTTS speaks the text in its base voice, the speech is brought to
/// the converter's rate, and the tone color converter gives it the reference speaker's voice.
/// </summary>
internal static class CloneCommand
{
    public static Command Create()
    {
        var tts = new Option<string?>("--tts") { Description = "MeloTTS folder (config.json + checkpoint.pth)" };
        var converter = new Option<string?>("--converter") { Description = "Converter folder (checkpoints_v2/converter)" };
        var demo = new Option<bool>("--demo") { Description = "Random-weight models of the released sizes and generated voices" };
        var reference = new Option<string[]>("--reference") { Description = "Reference WAV(s) of the voice to clone", AllowMultipleArgumentsPerToken = true };
        var targetSe = new Option<string?>("--target-se") { Description = "Target tone color embedding (.npy) instead of --reference" };
        var sourceSe = new Option<string?>("--source-se") { Description = "The base speaker's embedding (.npy, e.g. OpenVoice's base_speakers/ses/en-us saved as .npy); extracted from the synthesized speech when absent" };
        var tau = new Option<float>("--tau") { Description = "Posterior sampling temperature of the converter", DefaultValueFactory = _ => 0.3f };
        var output = new Option<string>("--output", "-o") { Description = "Output .wav at the converter's rate (22.05 kHz) or .npy", Required = true };
        var melo = new MeloOptions();
        var cmd = new Command("clone", "Text (phonemes) to speech in a cloned voice: MeloTTS, then the tone color converter")
        { tts, converter, demo, reference, targetSe, sourceSe, tau, output };
        foreach (var o in melo.All) cmd.Options.Add(o);
        cmd.SetAction(r => CommandRunner.Run(() =>
        {
            var outPath = r.GetValue(output)!;
            OutputFile.EnsureWritable(outPath, ".wav", ".npy");
            bool isDemo = r.GetValue(demo);
            var refs = r.GetValue(reference) ?? [];
            if (refs.Length > 0 && r.GetValue(targetSe) is not null) throw new VoxTileException("give either --reference or --target-se, not both");
            if (!isDemo && refs.Length == 0 && r.GetValue(targetSe) is null) throw new VoxTileException("give the voice to clone: --reference REF.wav… or --target-se se.npy");
            var synth = MeloOptions.LoadModel(r.GetValue(tts), isDemo && r.GetValue(tts) is null);
            var conv = new ToneColorPipeline(ModelOptions.Load(r.GetValue(converter), isDemo && r.GetValue(converter) is null));
            var input = melo.Input(r, synth, isDemo);
            var style = melo.Style(r);
            var noise = melo.NoiseSource(r);
            var sw = Stopwatch.StartNew();
            var audio = Terminal.Progress.Run("cloning", p =>
            {
                var speech = new MeloPipeline(synth) { Progress = p }.Synthesize(input, style, noise);
                var atRate = speech.SampleRate == conv.Model.SampleRate ? speech.Audio
                    : Resampler.Resample(speech.Audio, speech.SampleRate, conv.Model.SampleRate);
                if (atRate.Length < conv.Model.MinSamples) throw new VoxTileException("the synthesized speech is shorter than one STFT window of the converter");
                conv.Progress = p;
                var seSrc = r.GetValue(sourceSe) is { } ss ? Npy.Read(ss) : conv.ExtractEmbedding([atRate]);
                Tensor seTgt = r.GetValue(targetSe) is { } ts ? Npy.Read(ts)
                    : refs.Length > 0 ? conv.ExtractEmbedding(refs.Select(f => ModelOptions.ReadAudio(f, conv)))
                    : conv.ExtractEmbedding([Demo.DemoVoice.Generate(conv.Model.SampleRate, 3.0, pitch: 210, tract: 1.17, seed: 2)]);
                return conv.Convert(atRate, seSrc, seTgt, r.GetValue(tau), new NoiseSource.Seeded(r.GetValue(melo.Seed)));
            });
            OutputFile.WriteAudio(outPath, audio, conv.Model.SampleRate);
            Console.WriteLine($"wrote {outPath}: {(double)audio.Length / conv.Model.SampleRate:F2} s at {conv.Model.SampleRate} Hz ({sw.Elapsed.TotalSeconds:F1} s on the reference backend)");
            return 0;
        }));
        return cmd;
    }
}
