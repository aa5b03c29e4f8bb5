using System.Diagnostics;
using System.Globalization;
using VoxTile.IR;
using VoxTile.Lowering.Targets;
using VoxTile.Models.Config;
using VoxTile.Models.MeloTTS;
using VoxTile.Models.OpenVoice;
using VoxTile.Models.Pipelines;
using VoxTile.Models.Device;

namespace VoxTile.Cli.Commands;

/// <summary>
/// <c>voxtile bench clone --seconds 5</c>: OpenVoice V2 end to end on the device runtime at the released sizes (random
/// weights): MeloTTS synthesis with the on-device 44.1 → 22.05 kHz resampling, the source embedding extracted from the
/// synthesized speech, and voice_conversion to a fixed target embedding. The text is a repeated English phoneme string
/// of 25 tokens per second (blanks included, the slow end of typical speech); a random model predicts arbitrary
/// lengths, so a first run measures them and length_scale is set so that the speech lasts the asked seconds. The frame
/// bucket is the one those tokens get at speed 1 (<see cref="MeloSynthesizer.SuggestFrames"/>), as for a trained model
/// speaking ~3 frames per token, not the longer one the random model's stretched durations would ask for. Then the
/// whole path runs once more to compile and warm up at that length, and the best of the timed runs is kept, per stage.
/// Prints figures; asserts nothing.
/// </summary>
internal static class BenchClone
{
    // "the quick brown fox jumps over the lazy dog" in MeloTTS's English symbols.
    private const string Sentence = "dh ah k w ih k b r aw n f aa k s jh ah m p s ow v er dh ah l ey z iy d ao g";

    public static void Run(double seconds, int threads, int repeats, TargetSpec target, string dtype)
    {
        var melo = MeloSynthesizer.Random(MeloConfig.ReleasedEnglish, MeloOptions.DemoSeed);
        var conv = ToneColorConverter.Random(ConverterConfig.ReleasedV2, ModelOptions.DemoSeed);
        int phones = Math.Max(1, (int)Math.Round(25 * seconds / 2));
        var words = Sentence.Split(' ');
        var ph = string.Join(' ', Enumerable.Range(0, phones).Select(i => words[i % words.Length]));
        var input = MeloInput.WithoutBert(MeloText.For(melo.Config).Encode(ph, string.Join(' ', Enumerable.Repeat("0", phones)), "EN"), speakerId: 0);
        var options = new DeviceBackendOptions { Target = target, DType = dtype, Threads = threads };
        using var meloBackend = new DeviceMeloBackend(options);
        using var convBackend = new DeviceConverterBackend(options);
        var clone = new ClonePipeline(melo, conv, meloBackend, convBackend);
        var seTarget = DeviceConverterBackend.Draw([1, conv.Config.GinChannels, 1], 7);

        int bucket = MeloSynthesizer.SuggestFrames(input.Length, 1.0);
        var first = clone.Speaking.Synthesize(input, MeloSynthesisOptions.Default, new MeloNoise.Seeded(0), bucket);
        double want = Math.Min(seconds * melo.SampleRate / melo.HopLength, bucket);
        var style = MeloSynthesisOptions.Default with { LengthScale = Math.Clamp(want / first.Frames, 0.05, 20) };
        // Whole frames per token make the length a step function of the scale: one more measured step lands near it.
        var second = clone.Speaking.Synthesize(input, style, new MeloNoise.Seeded(0), bucket);
        style = style with { LengthScale = Math.Clamp(style.LengthScale * want / second.Frames, 0.05, 20) };
        Console.WriteLine($"voxtile bench clone: released MeloTTS English and OpenVoice V2 converter (random weights), {input.Length} tokens, " +
            $"length_scale {style.LengthScale:F3} for {seconds:F1} s, device {dtype} on {target.Name}, {threads switch { > 0 => threads, _ => Environment.ProcessorCount }} thread(s), best of {repeats}");

        (double Synth, double Embed, double Convert, double Audio) Once()
        {
            var r = clone.Clone(input, style, new MeloNoise.Seeded(0), seTarget, frames: bucket);
            return (r.SynthesisSeconds, r.EmbeddingSeconds, r.ConversionSeconds, (double)r.Audio.Length / r.SampleRate);
        }

        var sw0 = Stopwatch.StartNew();
        var warm = Once();
        Console.WriteLine($"first run at that length (compiling and loading): {sw0.Elapsed.TotalSeconds:F2} s for {warm.Audio:F2} s of speech; " +
            $"MeloTTS compile {meloBackend.CompileSeconds:F2} s, load {meloBackend.LoadSeconds:F2} s; converter compile {convBackend.CompileSeconds:F2} s, load {convBackend.LoadSeconds:F2} s");
        var best = (Synth: double.MaxValue, Embed: double.MaxValue, Convert: double.MaxValue, Total: double.MaxValue, Audio: warm.Audio);
        for (int i = 0; i < repeats; i++)
        {
            var r = Once();
            double total = r.Synth + r.Embed + r.Convert;
            best = (Math.Min(best.Synth, r.Synth), Math.Min(best.Embed, r.Embed), Math.Min(best.Convert, r.Convert), Math.Min(best.Total, total), r.Audio);
        }
        Console.WriteLine($"{"stage",-44} {"best s",8} {"RTF",7}");
        void Row(string what, double s) => Console.WriteLine($"{what,-44} {s,8:F3} {s / best.Audio,7:F3}");
        Row($"MeloTTS + resampling ({bucket}-frame bucket)", best.Synth);
        Row("extract_se of the synthesized speech", best.Embed);
        Row($"voice_conversion ({convBackend.Executors.Last().Plan.Plan.Bucket.GetValueOrDefault("frames")}-frame bucket)", best.Convert);
        Row("total (best run)", best.Total);
        string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
        Console.WriteLine($"bench clone seconds={F(best.Audio)} synth_s={F(best.Synth)} embed_s={F(best.Embed)} convert_s={F(best.Convert)} total_s={F(best.Total)} rtf={F(best.Total / best.Audio)}");
    }
}
