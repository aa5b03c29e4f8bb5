using System.CommandLine;
using VoxTile.IR;
using VoxTile.Models.MeloTTS.Text;

namespace VoxTile.Cli.Commands;

/// <summary>Where text comes from (<c>--text</c>, <c>--text -</c> for standard input, <c>--text-file</c>) and the <c>--lexicon</c> over the carried one; shared by tts, clone and phonemize.</summary>
internal sealed class TextOptions
{
    public Option<string?> Text { get; } = new("--text") { Description = "English text to speak (\"-\" reads standard input): split into sentences and phonemized as MeloTTS does; BERT features are zeros" };
    public Option<string?> TextFile { get; } = new("--text-file") { Description = "Read the text from a UTF-8 file instead of --text" };
    public Option<string?> Lexicon { get; } = new("--lexicon") { Description = "Lexicon file (CMUdict or cmudict.rep form) whose entries add to or replace MeloTTS's, which VoxTile carries" };

    public IEnumerable<Option> All => [Text, TextFile, Lexicon];

    /// <summary>Whether text was given at all (so the phoneme switches do not apply).</summary>
    public bool Given(ParseResult r) => r.GetValue(Text) is not null || r.GetValue(TextFile) is not null;

    /// <summary>The text, read from the argument, standard input or the file; null when none was given.</summary>
    public string? Read(ParseResult r)
    {
        var text = r.GetValue(Text);
        var file = r.GetValue(TextFile);
        if (text is not null && file is not null) throw new VoxTileException("give either --text or --text-file, not both");
        if (file is not null)
        {
            if (!File.Exists(file)) throw new VoxTileException($"text file '{file}' does not exist");
            return File.ReadAllText(file);
        }
        return text == "-" ? Console.In.ReadToEnd() : text;
    }

    /// <summary>The front end of <paramref name="language"/>, with --lexicon's entries over the default lexicon.</summary>
    public ITextFrontEnd FrontEnd(ParseResult r, string language, IReadOnlyList<string>? symbols = null) =>
        TextFrontEnds.For(language, r.GetValue(Lexicon), symbols);

    /// <summary>Says on stderr what reads the words the lexicon lacks, once the text is known to be speakable (a refusal stays one line).</summary>
    public static void NoteReader(ITextFrontEnd frontEnd) => Terminal.Progress.Note($"text: {frontEnd.Describe()}");
}
