using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using VoxTile.Cli.Usage;
using VoxTile.IR;
using VoxTile.Models.MeloTTS.Text;

namespace VoxTile.Cli.Commands;

/// <summary>
/// <c>voxtile phonemize</c>: what the text front end makes of a text, one JSON object a line per piece that
/// <c>tts --text</c> speaks — MeloTTS's <c>clean_text</c> output (normalized text, phones with <c>_</c> at both ends,
/// raw tones, word2ph; before add_blank), so it can be diffed against the reference's. Needs no model.
/// </summary>
internal static class PhonemizeCommand
{
    /// <summary>Keeps ' and non-ASCII phones (…, ¿) readable; the JSON parses to the same strings either way.</summary>
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var text = new TextOptions();
        var language = new Option<string>("--language") { Description = $"The text's language ({string.Join(", ", TextFrontEnds.Supported)})", DefaultValueFactory = _ => "EN" };
        var cmd = new Command("phonemize", "Print MeloTTS's clean_text output for a text, one JSON object per sentence: normalized text, phones, tones, word2ph") { language };
        foreach (var o in text.All) cmd.Options.Add(o);
        HelpExamples.Add(cmd, "voxtile phonemize --text \"Dr. Smith paid $3.50 at 9:05 pm.\"");
        cmd.SetAction(r => CommandRunner.Run(() =>
        {
            var frontEnd = text.FrontEnd(r, r.GetValue(language)!);
            var input = text.Read(r) ?? throw new VoxTileException("give the text: --text \"…\", --text - (standard input) or --text-file FILE");
            var pieces = TextUtterances.Phonemize(frontEnd, input);
            TextOptions.NoteReader(frontEnd);
            foreach (var piece in pieces) Console.WriteLine(Line(piece));
            return 0;
        }));
        return cmd;
    }

    /// <summary>One piece as the reference's names have it: text, phones, tones, word2ph.</summary>
    internal static string Line(PhonemizedText p) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["text"] = p.Text,
        ["phones"] = p.Phones,
        ["tones"] = p.Tones,
        ["word2ph"] = p.WordToPhone,
    }, Json);
}
