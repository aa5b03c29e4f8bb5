using System.Text;
using System.Text.RegularExpressions;

namespace VoxTile.Models.MeloTTS.Text;

/// <summary>
/// <c>split_sentence</c> for EN/FR/ES (spec §5): full-width marks to ASCII, brackets and double quotes removed, then
/// <c>txtsplit</c>: whitespace collapsed, a space after <c>, . ? !</c>, pieces cut at a sentence end once they reach
/// <see cref="DesiredLength"/> characters (never over <see cref="MaxLength"/>), stripped, and empty or punctuation-only
/// pieces dropped. One departure: no space goes in between a mark and a digit, so "$3.50" and "1,250" stay numbers.
/// </summary>
public static partial class SentenceSplitter
{
    public const int DesiredLength = 256;
    public const int MaxLength = 512;

    [GeneratedRegex("[。！？；]")] private static partial Regex FullStops();
    [GeneratedRegex(@"[<>()\[\]""«»]+")] private static partial Regex Removed();
    [GeneratedRegex(@"\s+")] private static partial Regex Whitespace();
    [GeneratedRegex(@"([,.?!])(?![0-9])")] private static partial Regex SpaceAfter();
    [GeneratedRegex(@"^[\s.,;:!?]*$")] private static partial Regex PunctuationOnly();

    public static IReadOnlyList<string> SplitLatin(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = FullStops().Replace(text, ".").Replace('，', ',').Replace('“', '"').Replace('”', '"').Replace('‘', '\'').Replace('’', '\'');
        text = Removed().Replace(text, "");
        text = Whitespace().Replace(SpaceAfter().Replace(Whitespace().Replace(text, " "), "$1 "), " ");
        var pieces = new List<string>();
        var current = new StringBuilder();
        int lastEnd = -1;
        for (int i = 0; i < text.Length; i++)
        {
            current.Append(text[i]);
            bool end = text[i] is '!' or '?' || (text[i] == '.' && (i + 1 == text.Length || text[i + 1] == ' '));
            if (end)
            {
                while (i + 1 < text.Length && text[i + 1] is '!' or '?' or '.') current.Append(text[++i]);
                lastEnd = current.Length;
                if (current.Length >= DesiredLength) Commit();
            }
            else if (current.Length >= MaxLength)
            {
                int cut = lastEnd > DesiredLength / 2 ? lastEnd : current.ToString().LastIndexOf(' ') + 1;
                if (cut <= 0) cut = current.Length;
                var rest = current.ToString(cut, current.Length - cut);
                current.Length = cut;
                Commit();
                current.Append(rest);
            }
        }
        Commit();
        return pieces;

        void Commit()
        {
            var piece = current.ToString().Trim();
            if (piece.Length > 0 && !PunctuationOnly().IsMatch(piece)) pieces.Add(piece);
            current.Clear();
            lastEnd = -1;
        }
    }
}
