using System.Globalization;
using VoxTile.IR;
using VoxTile.Lowering;
using VoxTile.Lowering.Emit;
using VoxTile.Lowering.Passes;
using VoxTile.Lowering.Planning;
using VoxTile.Lowering.Targets;
using VoxTile.Models.Config;
using VoxTile.Models.MeloTTS;
using VoxTile.Models.OpenVoice;

namespace VoxTile.Models.Pipelines;

/// <summary>
/// What <c>voxtile compile</c>, <c>dump</c> and <c>emit</c> lower: one part (the converter's voice_conversion or
/// extract_se, or MeloTTS's synthesis) as a static graph for a length, with the bucket it was built for and the facts
/// the plan records. The bucket rules are the ones the device backends run by.
/// </summary>
/// <param name="SampleRate">the rate of the model's audio (WAV inputs are read at it).</param>
/// <param name="OutputRate">the rate of the plan's first output when that output is audio (the emitted program's --wav), else null.</param>
public sealed record CompileSubject(
    string Part,
    Graph Graph,
    IReadOnlyDictionary<string, int> Bucket,
    string Model,
    IReadOnlyDictionary<string, string> Settings,
    int SampleRate,
    int? OutputRate)
{
    public const string Convert = "convert", ExtractSe = "extract-se", Tts = "tts";

    /// <summary>The seed of the noise a compiled plan draws (its randn_like).</summary>
    public const long NoiseSeed = 0;

    /// <summary>Speech tokens (phonemes with add_blank's blanks) per second at the slow end of typical speech (spec §5.2: 25–31).</summary>
    public const double TokensPerSecond = 25;

    /// <summary>
    /// The longest speech a MeloTTS plan is built for: MeloTTS speaks a text sentence by sentence, and by 40 s the
    /// flow's [T, T] attention rows no longer fit a Wormhole's L1 (its softmax and matmuls are not sliced).
    /// </summary>
    public const double MaxTtsSeconds = 30;

    /// <summary>The subject for <paramref name="part"/>: the converter (convert, extract-se) or MeloTTS (tts) in <paramref name="dir"/>.</summary>
    /// <param name="frameViewMasks">tts: build the decoder's masks for a Tenstorrent target (<see cref="MeloGraphSpec.FrameViewMasks"/>).</param>
    public static CompileSubject Load(string dir, string part, double seconds, int? phonemes, int batch = 1, bool frameViewMasks = false)
    {
        CheckSeconds(part, seconds);
        CheckBatch(part, batch);
        if (part != Tts && phonemes is not null) throw new VoxTileException("--phonemes is for --part tts");
        try
        {
            return part == Tts ? Melo(MeloSynthesizer.Load(dir), seconds, phonemes, batch, frameViewMasks) : Converter(ToneColorConverter.Load(dir), part, seconds, batch);
        }
        catch (VoxTileException) when (OtherModel(dir, part) is { } hint)
        {
            throw new VoxTileException(hint);
        }
    }

    /// <summary>Why a folder that did not load is the wrong model for <paramref name="part"/>, when its config is the other model's.</summary>
    private static string? OtherModel(string dir, string part)
    {
        var config = Path.Combine(dir, "config.json");
        if (!File.Exists(config)) return null;
        try
        {
            if (part == Tts)
            {
                ConverterConfig.Load(config);
                return $"{dir} holds the OpenVoice tone color converter, not MeloTTS: --part tts takes a MeloTTS folder (--part convert or extract-se compile this one)";
            }
            MeloConfig.Load(config);
            return $"{dir} holds MeloTTS, not the tone color converter: compile it with --part tts";
        }
        catch (VoxTileException)
        {
            return null;
        }
    }

    /// <summary>
    /// voice_conversion is built for the length bucket holding <paramref name="seconds"/> of audio (a multiple of 128
    /// frames), for <paramref name="batch"/> utterances of that bucket; extract-se for the exact length, since padded
    /// frames would enter the GRU.
    /// </summary>
    public static CompileSubject Converter(ToneColorConverter conv, string part, double seconds, int batch = 1)
    {
        CheckSeconds(part, seconds);
        CheckBatch(part, batch);
        int samples = Math.Max(conv.MinSamples, (int)Math.Round(seconds * conv.SampleRate));
        var settings = new Dictionary<string, string> { ["part"] = part, ["tau"] = ToneColorDefaults.Tau.ToString("R", CultureInfo.InvariantCulture) };
        var model = $"OpenVoice V2 converter ({part}): {conv.Description}";
        if (part == ExtractSe)
            return new(part, conv.BuildEmbeddingGraph(samples), new Dictionary<string, int> { ["samples"] = samples, ["frames"] = conv.FrameCount(samples) },
                model, settings, conv.SampleRate, null);
        if (part != Convert) throw new VoxTileException($"--part must be {Convert}, {ExtractSe} or {Tts}, got '{part}'");
        int frames = LengthBuckets.Round(conv.FrameCount(samples));
        samples = conv.SamplesForFrames(frames);
        var graph = conv.BuildConversionGraph(samples, ToneColorDefaults.Tau, new NoiseSource.Seeded(NoiseSeed), batch);
        return new(part, graph, WithBatch(new Dictionary<string, int> { ["samples"] = samples, ["frames"] = frames }, batch), model, settings, conv.SampleRate, conv.SampleRate);
    }

    /// <summary>
    /// MeloTTS's synthesis for <paramref name="seconds"/> of speech: a bucket of ⌈seconds · rate / hop⌉ frames rounded
    /// up to 32, and <see cref="TokensPerSecond"/> tokens per second (or <paramref name="phonemes"/>), with the default
    /// style (TTS.tts_to_file's) and seeded noise baked in.
    /// </summary>
    public static CompileSubject Melo(MeloSynthesizer melo, double seconds, int? phonemes, int batch = 1, bool frameViewMasks = false)
    {
        CheckSeconds(Tts, seconds);
        CheckBatch(Tts, batch);
        int frames = MeloSynthesizer.RoundUpFrames((int)Math.Ceiling(seconds * melo.SampleRate / melo.HopLength));
        int tx = phonemes ?? Math.Max(1, (int)Math.Round(seconds * TokensPerSecond));
        if (tx < 1 || tx > frames) throw new VoxTileException($"--phonemes must be between 1 and the bucket's {frames} frames, got {tx}");
        var style = MeloSynthesisOptions.Default;
        var graph = melo.BuildGraph(new MeloGraphSpec(tx, frames, style, Batch: batch, FrameViewMasks: frameViewMasks), new MeloNoise.Seeded(NoiseSeed));
        var settings = new Dictionary<string, string>
        {
            ["part"] = Tts,
            ["phonemes"] = Str(tx),
            ["frames"] = Str(frames),
            ["length_scale"] = Str(style.LengthScale),
            ["noise_scale"] = Str(style.NoiseScale),
            ["noise_scale_w"] = Str(style.NoiseScaleW),
            ["sdp_ratio"] = Str(style.SdpRatio),
            ["noise_seed"] = Str(NoiseSeed),
        };
        return new(Tts, graph, WithBatch(new Dictionary<string, int> { ["phonemes"] = tx, ["frames"] = frames, ["samples"] = frames * melo.HopLength }, batch),
            $"MeloTTS synthesis: {melo.Description}", settings, melo.SampleRate, null);
    }

    /// <summary>The most utterances one plan is built for.</summary>
    public const int MaxBatch = 64;

    /// <summary>Refuses a batch below 1 or above <see cref="MaxBatch"/>, and any batch for extract-se (one segment of exact length).</summary>
    public static void CheckBatch(string part, int batch)
    {
        if (batch < 1 || batch > MaxBatch) throw new VoxTileException($"--batch must be between 1 and {MaxBatch}, got {batch}");
        if (batch > 1 && part == ExtractSe) throw new VoxTileException("--batch is for --part convert and tts: extract-se runs one reference segment at its exact length");
    }

    /// <summary>The bucket with its batch recorded (absent for one utterance, so batch-1 plans read as before).</summary>
    private static Dictionary<string, int> WithBatch(Dictionary<string, int> bucket, int batch)
    {
        if (batch > 1) bucket["batch"] = batch;
        return bucket;
    }

    /// <summary>Refuses a length that is not positive, or longer than an hour (than <see cref="MaxTtsSeconds"/> of speech for tts).</summary>
    public static void CheckSeconds(string part, double seconds)
    {
        double max = part == Tts ? MaxTtsSeconds : 3600;
        if (!(seconds > 0) || seconds > max)
            throw new VoxTileException($"--seconds must be in (0, {max:0}]{(part == Tts ? " for tts (MeloTTS speaks sentence by sentence)" : "")}, got {seconds.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>
    /// The op budget this part's plans are planned within unless one is given (<see cref="PlannerOptions.OpBudget"/>):
    /// the converter keeps issue 11's 1000 ops for its 5 s program; MeloTTS has no op target, so the modeled cost alone
    /// decides each conv (it counts the op-to-op gap of every program an explicit slice adds; what it costs is the
    /// untraced latency, each op's Python dispatch). Its 5 s plan holds ~1900 ops sliced through DRAM, so a budget of
    /// 1000 would leave every conv there even where explicit slices in L1 model faster (n150: 13.22 against 9.78 ms,
    /// traced 21.70 against 17.77 ms, untraced 87.2 against 126.5 ms).
    /// </summary>
    public int DefaultOpBudget => Part == Tts ? int.MaxValue : PlannerOptions.Default.OpBudget;

    /// <summary>
    /// The compile options for this subject. The plan records the model's audio rate (an emitted program reads .wav
    /// inputs and writes --wav at it) and, for MeloTTS, that <c>tokens</c> holds how much of <c>phonemes</c> is real
    /// (a program pads a shorter utterance and sets it). <paramref name="opBudget"/>: the plan's op budget, else
    /// <see cref="DefaultOpBudget"/>; either replaces the budget of <paramref name="lowering"/>'s planner options.
    /// </summary>
    public CompileOptions Options(TargetSpec target, LoweringOptions lowering, int? opBudget = null)
    {
        lowering = lowering with { Planner = lowering.Planner with { OpBudget = opBudget ?? DefaultOpBudget } };
        var settings = new Dictionary<string, string>(Settings, StringComparer.Ordinal) { [PlanAudio.RateSetting] = Str(SampleRate) };
        if (Part == Tts) settings[PlanInputs.LengthSetting + "tokens"] = "phonemes";
        return new()
        {
            Target = target,
            Model = Model,
            Lowering = lowering,
            Bucket = Bucket,
            Settings = settings,
        };
    }

    private static string Str(IFormattable v) => v.ToString(null, CultureInfo.InvariantCulture);
    private static string Str(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
