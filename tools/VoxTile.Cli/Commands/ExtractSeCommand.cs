using System.CommandLine;
using VoxTile.IR;
using VoxTile.Models.Api;
using VoxTile.Models.Audio;
using VoxTile.Models.OpenVoice;

namespace VoxTile.Cli.Commands;

/// <summary>
/// <c>voxtile extract-se</c>: the tone colour embedding of one or more reference recordings. By default each ~10 s part
/// runs on the device runtime (ref_enc compiled for the part's exact length, plans cached); <c>--backend reference</c>
/// keeps the fp32 interpreter.
/// </summary>
internal static class ExtractSeCommand
{
    public static Command Create()
    {
        var model = ModelOptions.Model();
        var demo = ModelOptions.Demo();
        var refs = new Argument<string[]>("references") { Description = "Reference WAV files of the target voice", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the embedding (.npy, float32 [1, gin, 1])", Required = true };
        var vad = new Option<bool>("--vad") { Description = "Trim silences first with an energy-based detector (off by default, to match OpenVoice's extract_se on the whole file)" };
        var dev = new DeviceOptions();
        var cmd = new Command("extract-se", "Extract a tone colour embedding (OpenVoice's extract_se): long references are split into ~10 s parts and averaged") { model, demo, refs, output, vad };
        foreach (var o in dev.All) cmd.Options.Add(o);
        cmd.SetAction(r => CommandRunner.Run(() =>
        {
            var outPath = r.GetValue(output)!;
            OutputFile.EnsureWritable(outPath, ".npy");
            using var converter = VoiceConverter.Create(ModelOptions.Load(r.GetValue(model), r.GetValue(demo)), dev.Build(r, out var trace));
            var clips = r.GetValue(refs)!.Select(p => Prepare(p, converter.Model, r.GetValue(vad))).ToList();
            var se = Terminal.Progress.Run("tone colour", p => converter.ExtractEmbedding(clips, p));
            se.Save(outPath);
            if (converter.Device is { } device) dev.Report(r, "tone colour", device.Options, device.Embedders, device.CompileSeconds, device.LoadSeconds, trace);
            Console.WriteLine($"wrote {outPath}: tone colour embedding [1,{se.Channels},1] from {clips.Count} reference(s), {clips.Sum(c => c.Duration):F1} s");
            return 0;
        }));
        return cmd;
    }

    /// <summary>The reference as read, or with <paramref name="vad"/> its speech alone (silences cut by the energy detector).</summary>
    internal static AudioClip Prepare(string path, ToneColorConverter model, bool vad)
    {
        var clip = ModelOptions.ReadReference(path, model);
        if (!vad) return clip;
        var trimmed = clip with { Samples = new Vad().TrimSilence(clip.Samples, clip.SampleRate, path) };
        if (Resampler.OutputLength(trimmed.Samples.Length, clip.SampleRate, model.SampleRate) < model.MinSamples)
            throw new VoxTileException($"{path}: too little speech left after --vad");
        return trimmed;
    }
}
