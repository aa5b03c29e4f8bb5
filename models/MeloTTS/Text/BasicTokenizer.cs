using System.Globalization;
using System.Text;

namespace VoxTile.Models.MeloTTS.Text;

/// <summary>
/// BERT's uncased basic tokenizer (spec §3): control characters dropped, whitespace splits, CJK ideographs alone,
/// lowercase, accents stripped (NFD, marks removed), and every punctuation character its own token. The reference then
/// splits word pieces with bert-base-uncased's vocabulary and joins them back into their word, so a basic token is a
/// word group either way; without that vocabulary each word counts as one piece (see <see cref="EnglishFrontEnd"/>).
/// </summary>
public static class BasicTokenizer
{
    public static IReadOnlyList<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var spaced = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value == 0 || rune.Value == 0xFFFD || IsControl(rune)) continue;
            if (IsWhitespace(rune)) spaced.Append(' ');
            else if (IsCjk(rune.Value)) spaced.Append(' ').Append(rune.ToString()).Append(' ');
            else spaced.Append(rune.ToString());
        }
        var tokens = new List<string>();
        foreach (var word in spaced.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var current = new StringBuilder();
            foreach (var rune in StripAccents(word.ToLowerInvariant()).EnumerateRunes())
            {
                if (IsPunctuation(rune))
                {
                    if (current.Length > 0) tokens.Add(current.ToString());
                    current.Clear();
                    tokens.Add(rune.ToString());
                }
                else current.Append(rune.ToString());
            }
            if (current.Length > 0) tokens.Add(current.ToString());
        }
        return tokens;
    }

    /// <summary>ASCII 33–47, 58–64, 91–96, 123–126 and Unicode P* (BERT's <c>_is_punctuation</c>).</summary>
    public static bool IsPunctuation(Rune r)
    {
        int c = r.Value;
        if (c is >= 33 and <= 47 or >= 58 and <= 64 or >= 91 and <= 96 or >= 123 and <= 126) return true;
        return Rune.GetUnicodeCategory(r) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
    }

    /// <summary>
    /// NFD with the marks removed. The project runs with invariant globalization, where string.Normalize leaves
    /// non-ASCII text as it is, so the Latin letters with diacritics (Latin-1 and Latin Extended-A) are mapped to their
    /// base letters by table, and combining marks are dropped.
    /// </summary>
    private static string StripAccents(string word)
    {
        if (word.All(char.IsAscii)) return word;
        var sb = new StringBuilder(word.Length);
        foreach (var rune in word.EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) == UnicodeCategory.NonSpacingMark) continue;
            if (rune.Value is >= 0xC0 and < 0x180 && BaseLetters[rune.Value - 0xC0] is var b and not '*') sb.Append(b);
            else sb.Append(rune.ToString());
        }
        return sb.ToString();
    }

    // U+00C0..U+017F → the letter NFD leaves after its marks are removed ('*': no decomposition, e.g. æ ß ø đ ı ł).
    private const string BaseLetters =
        "AAAAAA*CEEEEIIII*NOOOOO**UUUUY**" +
        "aaaaaa*ceeeeiiii*nooooo**uuuuy*y" +
        "AaAaAaCcCcCcCcDd**EeEeEeEeEeGgGg" +
        "GgGgHh**IiIiIiIiI***JjKk*LlLlLl*" +
        "***NnNnNn***OoOoOo**RrRrRrSsSsSs" +
        "SsTtTt**UuUuUuUuUuUuWwYyYZzZzZz*";

    private static bool IsWhitespace(Rune r) =>
        r.Value is ' ' or '\t' or '\n' or '\r' || Rune.GetUnicodeCategory(r) == UnicodeCategory.SpaceSeparator;

    private static bool IsControl(Rune r) =>
        r.Value is not ('\t' or '\n' or '\r') && Rune.GetUnicodeCategory(r) is UnicodeCategory.Control or UnicodeCategory.Format;

    private static bool IsCjk(int c) =>
        c is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0x20000 and <= 0x2A6DF or >= 0x2A700 and <= 0x2B73F
            or >= 0x2B740 and <= 0x2B81F or >= 0x2B820 and <= 0x2CEAF or >= 0xF900 and <= 0xFAFF or >= 0x2F800 and <= 0x2FA1F;
}
