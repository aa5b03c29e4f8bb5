using System.CommandLine;
using VoxTile.IR;
using VoxTile.Lowering.Targets;
using VoxTile.Models.Pipelines;

namespace VoxTile.Cli.Commands;

/// <summary>The options of <c>compile</c>, <c>dump</c> and <c>emit</c> that name a <see cref="CompileSubject"/>, and loading it (the demo's random weights included).</summary>
internal static class CompileSubjectOptions
{
    public static Option<string> PartOption()
    {
        var part = new Option<string>("--part")
        {
            Description = "What to compile: convert (the converter's voice_conversion), extract-se (its tone-color embedding) or tts (MeloTTS's synthesis)",
            DefaultValueFactory = _ => CompileSubject.Convert,
        };
        part.AcceptOnlyFromAmong(CompileSubject.Convert, CompileSubject.ExtractSe, CompileSubject.Tts);
        return part;
    }

    public static Option<string?> ModelOption() => new("--model")
    {
        Description = "The model folder (config.json + checkpoint.pth): OpenVoice V2's checkpoints_v2/converter for convert and extract-se, a MeloTTS model for tts",
    };

    public static Option<bool> DemoOption() => new("--demo")
    {
        Description = "Use random weights of the released size (nothing downloaded): the OpenVoice V2 converter, or MeloTTS English for tts",
    };

    public static Option<double> SecondsOption() => new("--seconds")
    {
        Description = "Audio length the plan is for: convert rounds it up to a bucket of 128 frames, extract-se takes it exactly; "
            + $"for tts it is the speech length, giving the frame bucket ⌈seconds · rate / hop⌉ rounded up to 32 frames (86.13 frames/s for the released English) "
            + $"and {CompileSubject.TokensPerSecond:0} tokens (phonemes with blanks) per second, the slow end of typical speech, so the utterance fits the bucket (at most {CompileSubject.MaxTtsSeconds:0} s)",
        DefaultValueFactory = _ => 10.0,
    };

    public static Option<int?> PhonemesOption() => new("--phonemes")
    {
        Description = "tts: the token count (phonemes with blanks) the plan takes, instead of the one --seconds gives",
    };

    public static Option<int> BatchOption() => new("--batch")
    {
        Description = $"Utterances per plan (1 to {CompileSubject.MaxBatch}): each input and output gets the batch as dim 0, one item per utterance of the bucket; on a mesh target this is the batch of each chip",
        DefaultValueFactory = _ => 1,
    };

    /// <summary>
    /// The subject the options name: from the model folder, or random weights of the released size with <paramref name="demo"/>,
    /// built for <paramref name="target"/> (MeloTTS's decoder masks differ between Tenstorrent targets and the cpu one).
    /// </summary>
    public static CompileSubject Load(string? dir, bool demo, string part, double seconds, int? phonemes, TargetSpec target, int batch = 1)
    {
        if (dir is not null && !demo) return CompileSubject.Load(dir, part, seconds, phonemes, batch, target.IsTenstorrent);
        CompileSubject.CheckSeconds(part, seconds);
        CompileSubject.CheckBatch(part, batch);
        if (part != CompileSubject.Tts && phonemes is not null) throw new VoxTileException("--phonemes is for --part tts");
        return part == CompileSubject.Tts
            ? CompileSubject.Melo(MeloOptions.LoadModel(dir, demo), seconds, phonemes, batch, target.IsTenstorrent)
            : CompileSubject.Converter(ModelOptions.Load(dir, demo), part, seconds, batch);
    }
}
