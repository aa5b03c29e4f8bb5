using System.CommandLine;
using System.Text;
using VoxTile.Cli.Usage;
using VoxTile.IR;
using VoxTile.Models.Config;
using VoxTile.Models.MeloTTS;

namespace VoxTile.Cli.Commands;

/// <summary>
/// <c>voxtile symbols</c>: what <c>tts</c> and <c>clone</c> accept for a MeloTTS model — its phoneme symbols with their
/// ids, the raw tones each language's g2p gives (and the tone ids they become), and its speakers. Reads the config only.
/// </summary>
internal static class SymbolsCommand
{
    public static Command Create()
    {
        var model = new Option<string?>("--model") { Description = "MeloTTS folder with config.json (the checkpoint is not read)" };
        var demo = new Option<bool>("--demo") { Description = "The released English MeloTTS's vocabulary (what tts --demo uses)" };
        var cmd = new Command("symbols", "List a MeloTTS model's phoneme symbols, the tones per language and the speakers, for tts and clone") { model, demo };
        HelpExamples.Add(cmd, "voxtile symbols --demo");
        cmd.SetAction(r => CommandRunner.Run(() =>
        {
            var dir = r.GetValue(model);
            if (dir is not null && r.GetValue(demo)) throw new VoxTileException("give either --model or --demo, not both");
            if (dir is null && !r.GetValue(demo)) throw new VoxTileException("--model DIR is required: a MeloTTS folder (config.json), or --demo for the released English vocabulary");
            var config = dir is null ? MeloConfig.ReleasedEnglish : MeloConfig.Load(ModelFolder.Open(dir, ModelKind.MeloTts, needCheckpoint: false).Config);
            Console.Write(Describe(config, dir ?? "the released English MeloTTS (--demo)"));
            return 0;
        }));
        return cmd;
    }

    /// <summary>The listing: symbols by id, tones per language the model's tone table holds, speakers, an example.</summary>
    internal static string Describe(MeloConfig config, string name)
    {
        var text = MeloText.For(config);
        var sb = new StringBuilder();
        sb.AppendLine($"MeloTTS {name}: {text.Symbols.Count} symbols, {text.NumTones} tone ids, {text.NumLanguages} languages, {config.NSpeakers} speaker(s)"
            + (text.AddBlank ? "; a blank (_) is put between tokens for you (add_blank)" : ""));
        sb.AppendLine();
        sb.AppendLine("symbols (--phonemes takes the names, --text-ids the ids):");
        const int perRow = 10;
        for (int i = 0; i < text.Symbols.Count; i += perRow)
            sb.AppendLine($"  {i,3}: " + string.Join(" ", text.Symbols.Skip(i).Take(perRow).Select(s => $"{s,-4}")).TrimEnd());
        sb.AppendLine();
        sb.AppendLine("tones (--tones takes one raw g2p tone per phoneme; the model adds the language's offset):");
        foreach (var lang in MeloText.ToneStarts.Keys.Where(l => l != "SP"))
        {
            int start = MeloText.ToneStarts[lang], count = MeloText.ToneCounts[lang];
            string usable = start + count > text.NumTones ? $"beyond this model's {text.NumTones} tone ids"
                : count == 1 ? $"tone id {start}" : $"tone ids {start}–{start + count - 1}";
            string raw = count == 1 ? "0" : $"0–{count - 1}";
            sb.AppendLine($"  --language {lang,-9} tones {raw,-4} ({usable}){ToneMeaning(lang)}");
        }
        sb.AppendLine();
        sb.AppendLine("speakers (--speaker takes the name or the id):");
        if (config.Speakers.Count == 0)
            sb.AppendLine($"  ids 0–{config.NSpeakers - 1} (the config names none)");
        foreach (var (speaker, id) in config.Speakers.OrderBy(s => s.Value))
            sb.AppendLine($"  {id,3}: {speaker}");
        return sb.ToString();
    }

    private static string ToneMeaning(string lang) => lang switch
    {
        "EN" => ": 0 unstressed, 1 primary, 2 secondary stress… as MeloTTS's English g2p marks them",
        "ZH" or "ZH_MIX_EN" => ": 0 neutral, 1–5 the Mandarin tones",
        _ => "",
    };
}
