using System.CommandLine;
using VoxTile.Cli.Usage;
using System.Diagnostics;
using VoxTile.Cli.Demo;
using VoxTile.IR;
using VoxTile.IR.IO;
using VoxTile.Models.Api;
using VoxTile.Models.Audio;
using VoxTile.Models.OpenVoice;

namespace VoxTile.Cli.Commands;

/// <summary>
/// <c>voxtile convert</c>: speak the source recording in the target voice (OpenVoice's ToneColorConverter.convert).
/// By default voice_conversion is compiled for the device, planned and run by the runtime (plans cached per model
/// and length bucket); <c>--backend reference</c> keeps the fp32 interpreter. It parses the switches and runs the .NET
/// API's <see cref="VoiceConverter"/>, as a program would.
/// </summary>
internal static class ConvertCommand
{
    public static Command Create()
    {
        var model = ModelOptions.Model();
        var demo = ModelOptions.Demo();
        var source = new Option<string[]>("--source")
        {
            Description = "The speech to convert (WAV; any rate, resampled to the model's); several files convert together, each written under -o DIR as NAME.wav",
            AllowMultipleArgumentsPerToken = true,
        };
        var reference = new Option<string[]>("--reference") { Description = "Reference WAV(s) of the target voice", AllowMultipleArgumentsPerToken = true };
        var targetSe = new Option<string?>("--target-se") { Description = "Target tone colour embedding (.npy from extract-se) instead of --reference" };
        var sourceSe = new Option<string?>("--source-se") { Description = "Source tone colour embedding (.npy, or a released se .pth); extracted from --source when absent" };
        var tau = new Option<float>("--tau") { Description = "Posterior sampling temperature (OpenVoice's default 0.3)", DefaultValueFactory = _ => 0.3f }.Within(0f, 10f);
        var seed = new Option<long>("--seed") { Description = "Seed of the posterior noise draw", DefaultValueFactory = _ => 0 };
        var noise = new Option<string?>("--noise") { Description = "Replay a recorded posterior noise draw (.npy [1, inter, frames]) for parity checks" };
        var dev = new DeviceOptions();
        var chunk = new Option<int>("--chunk-frames") { Description = "Device: spectrogram frames per chunk for long inputs (a multiple of 128)", DefaultValueFactory = _ => 1024 }
            .Within(128, 1 << 20).Must(v => v % 128 == 0, "a multiple of 128");
        var exact = new Option<bool>("--exact-length") { Description = "Device: compile for the clip's exact length instead of its 128-frame bucket (no padded tail; a plan per length)" };
        var output = new Option<string>("--output", "-o") { Description = "Output .wav (16-bit PCM at the model rate) or .npy (float32 samples); with several --source files, a folder (created if missing)", Required = true };
        var batch = new Option<int>("--batch") { Description = "Device: utterances per plan run when several --source files convert (their chunks of one length bucket run together)", DefaultValueFactory = _ => 4 }
            .Within(1, Models.Pipelines.CompileSubject.MaxBatch);
        var seconds = new Option<double>("--demo-seconds") { Description = "Length of the generated demo source voice in seconds (0.1 to 600)", DefaultValueFactory = _ => 2.0 }.Within(0.1, 600.0, unit: "s");
        var cmd = new Command("convert", "Convert the tone colour of a recording to a target voice")
        { model, demo, source, reference, targetSe, sourceSe, tau, seed, noise, chunk, exact, output, batch, seconds };
        foreach (var o in dev.All) cmd.Options.Add(o);
        HelpExamples.Add(cmd, "voxtile convert --demo --demo-seconds 1 -o demo.wav");
        cmd.SetAction(r => CommandRunner.Run(() =>
        {
            var sources = r.GetValue(source) ?? [];
            if (sources.Length > 1) return ConvertMany(r, sources, model, demo, reference, targetSe, sourceSe, tau, seed, noise, chunk, exact, output, batch, dev);
            var outPath = r.GetValue(output)!;
            OutputFile.EnsureWritable(outPath, ".wav", ".npy");
            bool isDemo = r.GetValue(demo);
            var refs = r.GetValue(reference) ?? [];
            var tgtPath = r.GetValue(targetSe);
            if (!isDemo && sources.Length == 0) throw new VoxTileException("--source is required (or --demo)");
            if (!isDemo && refs.Length == 0 && tgtPath is null) throw new VoxTileException("give the target voice: --reference REF.wav… or --target-se se.npy");
            if (refs.Length > 0 && tgtPath is not null) throw new VoxTileException("give either --reference or --target-se, not both");
            var options = dev.Build(r, out var perfetto) is { } o ? o with { ChunkFrames = r.GetValue(chunk), ExactLength = r.GetValue(exact) } : null;
            using var converter = VoiceConverter.Create(ModelOptions.Load(r.GetValue(model), isDemo), options);
            int rate = converter.SampleRate;
            AudioClip src;
            if (sources.Length == 1) src = ModelOptions.ReadAudio(sources[0], converter.Model);
            else
            {
                src = AudioClips(DemoVoice.Generate(rate, r.GetValue(seconds), pitch: 115, tract: 1.0, seed: 1), rate);
                Terminal.Progress.Note($"demo: source is a generated {r.GetValue(seconds):F1} s voice at 115 Hz; target a generated voice at 210 Hz");
            }
            var seSource = r.GetValue(sourceSe) is { } ss ? VoiceEmbedding.Load(ss) : null;
            NoiseSource noiseSource = r.GetValue(noise) is { } np ? new NoiseSource.Replay(Npy.Read(np)) : new NoiseSource.Seeded(r.GetValue(seed));
            if (r.GetValue(dev.Profile) && converter.Device is null) converter.Profile = new IR.Interp.OpProfile();
            var sw = Stopwatch.StartNew();
            var result = Terminal.Progress.Run("converting", p =>
            {
                var target = tgtPath is not null ? VoiceEmbedding.Load(tgtPath)
                    : converter.ExtractEmbedding(refs.Length > 0 ? refs.Select(f => ModelOptions.ReadReference(f, converter.Model))
                        : [AudioClips(DemoVoice.Generate(rate, 3.0, pitch: 210, tract: 1.17, seed: 2), rate)]);
                return converter.Convert(src, target, seSource, r.GetValue(tau), noiseSource, p);
            });
            OutputFile.WriteAudio(outPath, result.Samples, rate);
            if (converter.Profile is not null)
            {
                Console.Error.WriteLine("voxtile: profile of the fp32 reference interpreter:");
                Console.Error.Write(converter.Profile.ToString());
            }
            if (converter.Device is { } device)
                dev.Report(r, "converter", device.Options, device.Embedders.Concat(device.Executors), device.CompileSeconds, device.LoadSeconds, perfetto);
            double setup = converter.Device is { } d ? d.CompileSeconds + d.LoadSeconds : 0;
            Console.WriteLine(RunSummary.Line(outPath, (double)result.Samples.Length / rate, rate, sw.Elapsed.TotalSeconds, setup, RunSummary.Engine(converter.Device?.Options)));
            return 0;
        }));
        return cmd;
    }

    /// <summary>
    /// Several sources in one target voice: each written as DIR/NAME.wav (NAME the source file's), all outputs checked
    /// before any work and each written whole once computed; on the device their chunks run in batches of up to --batch.
    /// </summary>
    private static int ConvertMany(ParseResult r, string[] sources, Option<string?> model, Option<bool> demo, Option<string[]> reference,
        Option<string?> targetSe, Option<string?> sourceSe, Option<float> tau, Option<long> seed, Option<string?> noise, Option<int> chunk,
        Option<bool> exact, Option<string> output, Option<int> batch, DeviceOptions dev)
    {
        if (r.GetValue(noise) is not null) throw new VoxTileException("--noise replays one source's draw: give one --source with it");
        if (r.GetValue(sourceSe) is not null) throw new VoxTileException("--source-se names one source's embedding: with several --source files each one's is extracted from it");
        var refs = r.GetValue(reference) ?? [];
        var tgtPath = r.GetValue(targetSe);
        if (refs.Length == 0 && tgtPath is null && !r.GetValue(demo)) throw new VoxTileException("give the target voice: --reference REF.wav… or --target-se se.npy");
        if (refs.Length > 0 && tgtPath is not null) throw new VoxTileException("give either --reference or --target-se, not both");
        var dir = r.GetValue(output)!;
        if (File.Exists(dir)) throw new VoxTileException($"output {dir} is a file: with several --source files -o names a folder");
        var outputs = sources.Select(src => Path.Combine(dir, Path.GetFileNameWithoutExtension(src) + ".wav")).ToList();
        var clash = outputs.GroupBy(o => o, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null) throw new VoxTileException($"two --source files would both write {clash.Key}: rename one");
        Directory.CreateDirectory(dir);
        foreach (var o in outputs) OutputFile.EnsureWritable(o, ".wav");
        var options = dev.Build(r, out var perfetto) is { } opt ? opt with { ChunkFrames = r.GetValue(chunk), ExactLength = r.GetValue(exact) } : null;
        using var converter = VoiceConverter.Create(ModelOptions.Load(r.GetValue(model), r.GetValue(demo)), options);
        int rate = converter.SampleRate;
        var clips = sources.Select(f => ModelOptions.ReadAudio(f, converter.Model)).ToList();
        var sw = Stopwatch.StartNew();
        var results = Terminal.Progress.Run($"converting {clips.Count} sources", p =>
        {
            var target = tgtPath is not null ? VoiceEmbedding.Load(tgtPath)
                : converter.ExtractEmbedding(refs.Length > 0 ? refs.Select(f => ModelOptions.ReadReference(f, converter.Model))
                    : [AudioClips(DemoVoice.Generate(rate, 3.0, pitch: 210, tract: 1.17, seed: 2), rate)]);
            return converter.ConvertBatch(clips, target, r.GetValue(tau), r.GetValue(seed), r.GetValue(batch), p);
        });
        for (int i = 0; i < results.Count; i++) OutputFile.WriteAudio(outputs[i], results[i].Samples, rate);
        if (converter.Device is { } device)
            dev.Report(r, "converter", device.Options, device.Embedders.Concat(device.Executors), device.CompileSeconds, device.LoadSeconds, perfetto);
        double setup = converter.Device is { } d ? d.CompileSeconds + d.LoadSeconds : 0;
        double seconds = results.Sum(c => (double)c.Samples.Length / rate);
        Console.WriteLine(RunSummary.Line(dir, seconds, rate, sw.Elapsed.TotalSeconds, setup, RunSummary.Engine(converter.Device?.Options))
            + $" ({results.Count} files)");
        return 0;
    }

    private static AudioClip AudioClips(float[] samples, int rate) => new(samples, rate, 1, "generated");
}
