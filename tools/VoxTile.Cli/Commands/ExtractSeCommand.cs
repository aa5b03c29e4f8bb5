using System.CommandLine;
using VoxTile.IR;
using VoxTile.IR.IO;
using VoxTile.Models.Audio;
using VoxTile.Models.OpenVoice;
using VoxTile.Models.Device;

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
            var options = dev.Build(r, out var trace);
            using var backend = options is null ? null : new DeviceConverterBackend(options);
            var pipeline = new ToneColorPipeline(ModelOptions.Load(r.GetValue(model), r.GetValue(demo))) { Backend = backend };
            var clips = r.GetValue(refs)!.Select(p => Prepare(p, pipeline, r.GetValue(vad))).ToList();
            var se = Terminal.Progress.Run("tone colour", p =>
            {
                pipeline.Progress = p;
                return pipeline.ExtractEmbedding(clips);
            });
            Npy.Write(outPath, se);
            if (backend is not null) dev.Report(r, "device", backend.Options, backend.Embedders, backend.CompileSeconds, backend.LoadSeconds, trace);
            Console.WriteLine($"wrote {outPath}: tone colour embedding [{string.Join(",", se.Shape)}] from {clips.Count} reference(s), {clips.Sum(c => c.Length) / (double)pipeline.Model.SampleRate:F1} s");
            return 0;
        }));
        return cmd;
    }

    internal static float[] Prepare(string path, ToneColorPipeline pipeline, bool vad)
    {
        var samples = ModelOptions.ReadAudio(path, pipeline);
        if (!vad) return samples;
        var trimmed = new Vad().TrimSilence(samples, pipeline.Model.SampleRate, path);
        if (trimmed.Length < pipeline.Model.MinSamples) throw new VoxTileException($"{path}: too little speech left after --vad");
        return trimmed;
    }
}
