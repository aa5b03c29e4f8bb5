using System.CommandLine;
using VoxTile.IR;
using VoxTile.Models.Audio;
using VoxTile.Models.Config;
using VoxTile.Models.OpenVoice;

namespace VoxTile.Cli.Commands;

/// <summary>Options shared by the converter commands: where the model comes from, and reading audio.</summary>
internal static class ModelOptions
{
    public const long DemoSeed = 2024;

    /// <summary>Less speech than this in a reference gets a warning: an embedding from a few frames runs but is no one's voice.</summary>
    public const double MinReferenceSpeechSeconds = 1.0;

    public static Option<string?> Model() => new("--model")
    {
        Description = "Converter folder with config.json and checkpoint.pth (OpenVoice V2's checkpoints_v2/converter)",
    };

    public static Option<bool> Demo() => new("--demo")
    {
        Description = "Use a random-weight converter of the released V2 shape (nothing downloaded) and generated voices",
    };

    /// <summary>The converter from <paramref name="option"/>'s folder (--model, or clone's --converter), or the demo's random weights.</summary>
    public static ToneColorConverter Load(string? dir, bool demo, string option = "--model")
    {
        if (dir is not null && demo) throw new VoxTileException($"give either {option} or --demo, not both");
        if (dir is not null) return ToneColorConverter.Load(dir);
        if (demo)
        {
            Terminal.Progress.Note("demo: random-weight converter of the released OpenVoice V2 shape (no checkpoint loaded); the output shows the pipeline runs, it is not a cloned voice");
            return ToneColorConverter.Random(ConverterConfig.ReleasedV2, DemoSeed);
        }
        throw new VoxTileException($"{option} DIR is required: the converter folder (OpenVoice V2's checkpoints_v2/converter), or --demo for a random-weight model");
    }

    /// <summary>
    /// Reads a reference of the target voice as <see cref="ReadAudio"/> does, and warns (with its speech duration, by the
    /// energy detector) when it holds under <see cref="MinReferenceSpeechSeconds"/> of speech: too short, or near-silent.
    /// </summary>
    public static AudioClip ReadReference(string path, ToneColorConverter model)
    {
        var clip = ReadAudio(path, model);
        double speech = new Vad().Segments(clip.Samples, clip.SampleRate).Sum(s => s.End - s.Start) / (double)clip.SampleRate;
        if (speech < MinReferenceSpeechSeconds)
            Terminal.Progress.Warn($"{path} holds {speech:F2} s of speech in {clip.Duration:F2} s of audio; "
                + $"a tone colour from under {MinReferenceSpeechSeconds:F0} s of speech is unreliable (give a few seconds of clear speech)");
        return clip;
    }

    /// <summary>Reads a WAV; refuses audio shorter than the converter's minimum once at the model's rate, naming the file.</summary>
    public static AudioClip ReadAudio(string path, ToneColorConverter model)
    {
        if (!File.Exists(path)) throw new VoxTileException($"{path}: no such file");
        var clip = WavFile.Read(path);
        if (Resampler.OutputLength(clip.Samples.Length, clip.SampleRate, model.SampleRate) < model.MinSamples)
            throw new VoxTileException($"{path}: {clip.Duration * 1000:F1} ms of audio is shorter than the converter's minimum of {model.MinLength}");
        return clip;
    }
}
