using System.Text.RegularExpressions;

namespace VoxTile.Models.MeloTTS.Text;

/// <summary><c>expand_abbreviations</c> (spec §2): case-insensitive <c>\b{abbr}\.</c> → word, in the reference's order.</summary>
public static class Abbreviations
{
    private static readonly (Regex Pattern, string Word)[] Table = new (string, string)[]
    {
        ("mrs", "misess"), ("mr", "mister"), ("dr", "doctor"), ("st", "saint"), ("co", "company"), ("jr", "junior"),
        ("maj", "major"), ("gen", "general"), ("drs", "doctors"), ("rev", "reverend"), ("lt", "lieutenant"),
        ("hon", "honorable"), ("sgt", "sergeant"), ("capt", "captain"), ("esq", "esquire"), ("ltd", "limited"),
        ("col", "colonel"), ("ft", "fort"),
    }.Select(e => (new Regex($@"\b{e.Item1}\.", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled), e.Item2)).ToArray();

    public static string Expand(string text)
    {
        foreach (var (pattern, word) in Table) text = pattern.Replace(text, word);
        return text;
    }
}
