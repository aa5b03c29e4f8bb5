using System.CommandLine;
using VoxTile.Cli.Usage;
using VoxTile.IR;
using VoxTile.IR.IO;
using VoxTile.Models.Config;
using VoxTile.Models.MeloTTS;
using VoxTile.Models.MeloTTS.Text;

namespace VoxTile.Cli.Commands;

/// <summary>The MeloTTS inputs shared by <c>tts</c> and <c>clone</c>: phonemes, tones, language, speaker, style controls, BERT features.</summary>
internal sealed class MeloOptions
{
    public const long DemoSeed = 2024;

    public TextOptions Text { get; } = new();
    public Option<string?> TextIds { get; } = new("--text-ids") { Description = "Phoneme symbol ids, whitespace- or comma-separated (blanks are interleaved as add_blank does)" };
    public Option<string?> Phonemes { get; } = new("--phonemes") { Description = "Phonemes by MeloTTS symbol name (or id), whitespace-separated, e.g. \"_ hh ah l ow _\" (voxtile symbols lists a model's)" };
    public Option<string?> Tones { get; } = new("--tones") { Description = "One tone per phoneme, as the language's g2p gives them, e.g. \"0 0 1 0 2 0\" (EN: 0 unstressed, 1–3 stress; voxtile symbols lists each language's)" };
    public Option<string> Language { get; } = new("--language") { Description = "ZH, JP, EN, ZH_MIX_EN, KR, ES (or SP), FR", DefaultValueFactory = _ => "EN" };
    public Option<string> Speaker { get; } = new("--speaker") { Description = "Speaker id, or a name from the config's spk2id", DefaultValueFactory = _ => "0" };
    public Option<double?> Speed { get; } = new Option<double?>("--speed") { Description = "Speaking rate; sets length_scale = 1 / speed" }.Within(0.0, 10.0, minExclusive: true);
    public Option<double?> LengthScale { get; } = new Option<double?>("--length-scale") { Description = "Duration multiplier (default 1.0; larger is slower)" }.Within(0.0, 10.0, minExclusive: true);
    public Option<double> NoiseScale { get; } = new Option<double>("--noise-scale") { Description = "Variation of the prior sample (expressiveness)", DefaultValueFactory = _ => 0.6 }.Within(0.0, 10.0);
    public Option<double> NoiseScaleW { get; } = new Option<double>("--noise-scale-w") { Description = "Variation of the stochastic durations (rhythm)", DefaultValueFactory = _ => 0.8 }.Within(0.0, 10.0);
    public Option<double> SdpRatio { get; } = new Option<double>("--sdp-ratio") { Description = "Mix of stochastic (1) and deterministic (0) duration predictors", DefaultValueFactory = _ => 0.2 }.Within(0.0, 1.0);
    public Option<string?> Bert { get; } = new("--bert") { Description = "BERT features [1, 1024, T] (.npy); zeros when absent" };
    public Option<string?> JaBert { get; } = new("--ja-bert") { Description = "BERT features [1, 768, T] (.npy; English uses this slot); zeros when absent" };
    public Option<string?> PhonemeIds { get; } = new("--phoneme-ids") { Description = "Model-ready phoneme ids (.npy, blanks included) for parity checks" };
    public Option<string?> ToneIds { get; } = new("--tone-ids") { Description = "Model-ready tone ids (.npy)" };
    public Option<string?> LanguageIds { get; } = new("--language-ids") { Description = "Model-ready language ids (.npy)" };
    public Option<string[]> Noise { get; } = new("--noise") { Description = "Recorded standard-normal draws (.npy), replayed in order: the duration noise [1,2,T], then the prior noise [1,inter,frames]" };
    public Option<long> Seed { get; } = new("--seed") { Description = "Seed of the random draws when not replayed", DefaultValueFactory = _ => 0 };
    public Option<string?> Durations { get; } = new("--durations") { Description = "Whole-frame durations per token (.npy, blanks included) to use instead of predicting them, for parity checks" };

    public IEnumerable<Option> All => [.. Text.All, TextIds, Phonemes, Tones, Language, Speaker, Speed, LengthScale, NoiseScale, NoiseScaleW, SdpRatio, Bert, JaBert, PhonemeIds, ToneIds, LanguageIds, Noise, Seed, Durations];

    /// <summary>The forced durations (--durations), or null to predict them.</summary>
    public Tensor? ForcedDurations(ParseResult r) => r.GetValue(Durations) is { } path ? Npy.Read(path) : null;

    /// <summary>MeloTTS from <paramref name="option"/>'s folder (--model, or clone's --tts), or the demo's random weights.</summary>
    public static MeloSynthesizer LoadModel(string? dir, bool demo, string option = "--model")
    {
        if (dir is not null && demo) throw new VoxTileException($"give either {option} or --demo, not both");
        if (dir is not null) return MeloSynthesizer.Load(dir);
        if (!demo) throw new VoxTileException($"{option} DIR is required: a MeloTTS folder (config.json + checkpoint.pth), or --demo for a random-weight model");
        Terminal.Progress.Note("demo: random-weight MeloTTS of the released size (no checkpoint loaded); the output is not speech");
        return MeloSynthesizer.Random(MeloConfig.ReleasedEnglish, DemoSeed);
    }

    public MeloSynthesisOptions Style(ParseResult r)
    {
        var speed = r.GetValue(Speed);
        var ls = r.GetValue(LengthScale);
        if (speed is not null && ls is not null) throw new VoxTileException("give either --speed or --length-scale, not both");
        var o = new MeloSynthesisOptions
        {
            LengthScale = ls ?? (speed is { } s ? 1.0 / s : 1.0),
            NoiseScale = r.GetValue(NoiseScale),
            NoiseScaleW = r.GetValue(NoiseScaleW),
            SdpRatio = r.GetValue(SdpRatio),
        };
        return o;
    }

    public MeloInput Input(ParseResult r, MeloSynthesizer model, bool demo)
    {
        var text = MeloText.For(model.Config);
        PhonemeSequence seq;
        if (r.GetValue(PhonemeIds) is { } pid)
        {
            if (r.GetValue(ToneIds) is not { } tid || r.GetValue(LanguageIds) is not { } lid)
                throw new VoxTileException("--phoneme-ids needs --tone-ids and --language-ids");
            seq = text.FromIds(Ints(Npy.Read(pid)), Ints(Npy.Read(tid)), Ints(Npy.Read(lid)));
        }
        else if (r.GetValue(Phonemes) is { } ph || r.GetValue(TextIds) is { } ids && (ph = ids.Replace(',', ' ')) is not null)
        {
            var tones = r.GetValue(Tones) ?? throw new VoxTileException("--tones is required with --phonemes or --text-ids (one per phoneme)");
            seq = text.Encode(ph, tones.Replace(',', ' '), r.GetValue(Language)!);
        }
        else if (demo)
        {
            // "hello world" in MeloTTS's English symbols, stress as g2p marks it.
            seq = text.Encode("_ hh ah l ow w er l d _", "0 0 1 0 2 0 2 0 0 0", "EN");
        }
        else throw new VoxTileException("give the text as --phonemes \"…\" (or --text-ids) with --tones, or as --phoneme-ids/--tone-ids/--language-ids");
        int n = seq.Length;
        var bert = r.GetValue(Bert) is { } b ? Npy.Read(b) : Tensor.Zeros(1, MeloInput.BertChannels, n);
        var jaBert = r.GetValue(JaBert) is { } jb ? Npy.Read(jb) : Tensor.Zeros(1, MeloInput.JaBertChannels, n);
        return new MeloInput(seq.Phones, seq.Tones, seq.Languages, bert, jaBert, MeloSpeakers.Resolve(model.Config, r.GetValue(Speaker)!));
    }

    /// <summary>The utterances to speak in turn: the pieces of --text, or the one phoneme sequence of <see cref="Input"/>.</summary>
    public IReadOnlyList<MeloInput> Inputs(ParseResult r, MeloSynthesizer model, bool demo)
    {
        if (!Text.Given(r))
        {
            if (r.GetValue(Text.Lexicon) is not null) throw new VoxTileException("--lexicon goes with --text or --text-file");
            return [Input(r, model, demo)];
        }
        if (r.GetValue(Phonemes) is not null || r.GetValue(TextIds) is not null || r.GetValue(PhonemeIds) is not null)
            throw new VoxTileException("give either --text or --phonemes/--text-ids/--phoneme-ids, not both");
        if (r.GetValue(Tones) is not null) throw new VoxTileException("--tones goes with --phonemes; --text finds the tones itself");
        if (r.GetValue(Durations) is not null || (r.GetValue(Noise) ?? []).Length > 0)
            throw new VoxTileException("--durations and --noise replay one phoneme sequence and do not apply to --text");
        var frontEnd = Text.FrontEnd(r, r.GetValue(Language)!, model.Config.Symbols);
        var text = Text.Read(r)!;
        var pieces = TextUtterances.Build(model.Config, frontEnd, text, MeloSpeakers.Resolve(model.Config, r.GetValue(Speaker)!));
        bool bertGiven = r.GetValue(Bert) is not null || r.GetValue(JaBert) is not null;
        if (bertGiven && pieces.Count > 1) throw new VoxTileException($"--bert/--ja-bert give one utterance's features, but the text is {pieces.Count} pieces");
        TextOptions.NoteReader(frontEnd);
        Terminal.Progress.Note($"text: {pieces.Count} piece{(pieces.Count == 1 ? "" : "s")}, {pieces.Sum(p => p.Length)} tokens");
        if (!bertGiven)
        {
            Terminal.Progress.Note("text: BERT features are zeros (bert-base-uncased is not shipped; --bert/--ja-bert give them)");
            // Each piece's input (its zero features the bulk of it) is built when it is synthesized, not all up front.
            return TextUtterances.Inputs(pieces);
        }
        var one = pieces[0].Input;
        return [one with
        {
            Bert = r.GetValue(Bert) is { } b ? Npy.Read(b) : one.Bert,
            JaBert = r.GetValue(JaBert) is { } jb ? Npy.Read(jb) : one.JaBert,
        }];
    }

    public MeloNoise NoiseSource(ParseResult r)
    {
        var files = r.GetValue(Noise) ?? [];
        if (files.Length == 0) return new MeloNoise.Seeded(r.GetValue(Seed));
        if (files.Length != 2) throw new VoxTileException($"--noise takes the two recorded draws in order (duration noise, prior noise), {files.Length} given");
        return new MeloNoise.Replay(Npy.Read(files[0]), Npy.Read(files[1]));
    }

    private static int[] Ints(Tensor t) => [.. t.Data.Select(v => (int)v)];
}
