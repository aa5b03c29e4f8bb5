namespace VoxTile.Models.MeloTTS.Text;

/// <summary>
/// The pronunciation of a word the lexicon lacks. The reference asks g2p_en's trained network, which VoxTile does not
/// ship, so this is a documented approximation, not its equal: a word made of two lexicon words (≥ 3 letters each) or a
/// lexicon word plus a plural "s" is read from those entries; otherwise English spelling rules (digraphs, a silent
/// final e that lengthens the vowel before it, c/g softened before e/i/y) give ARPAbet phones, the first vowel
/// stressed (1) and the others unstressed (0, lax vowels reduced to AH0). Letters outside a–z are dropped, as g2p_en
/// drops them.
/// </summary>
public sealed class RuleBasedG2p(CmuLexicon lexicon) : IGraphemeToPhoneme
{
    private static readonly (string Spelling, string Phones)[] Patterns =
    [
        ("tion", "SH AH N"), ("sion", "ZH AH N"), ("tch", "CH"), ("sch", "S K"), ("igh", "AY"), ("ough", "AO"),
        ("ch", "CH"), ("sh", "SH"), ("th", "TH"), ("ph", "F"), ("wh", "W"), ("ck", "K"), ("ng", "NG"), ("qu", "K W"),
        ("ee", "IY"), ("ea", "IY"), ("oo", "UW"), ("ou", "AW"), ("ow", "OW"), ("oi", "OY"), ("oy", "OY"), ("ai", "EY"),
        ("ay", "EY"), ("au", "AO"), ("aw", "AO"), ("ie", "IY"), ("ei", "EY"), ("ey", "EY"), ("oa", "OW"), ("ue", "UW"),
        ("ew", "UW"), ("ar", "AA R"), ("or", "AO R"), ("er", "ER"), ("ir", "ER"), ("ur", "ER"),
        ("b", "B"), ("d", "D"), ("f", "F"), ("h", "HH"), ("j", "JH"), ("k", "K"), ("l", "L"), ("m", "M"), ("n", "N"),
        ("p", "P"), ("q", "K"), ("r", "R"), ("s", "S"), ("t", "T"), ("v", "V"), ("w", "W"), ("x", "K S"), ("z", "Z"),
    ];

    public string Name => "VoxTile's spelling rules";

    private static readonly HashSet<string> Vowels = ["AA", "AE", "AH", "AO", "AW", "AY", "EH", "ER", "EY", "IH", "IY", "OW", "OY", "UH", "UW"];

    /// <summary>ARPAbet phones with stress digits on the vowels; empty when the word has no letter a–z.</summary>
    public IReadOnlyList<string> Phonemize(string word)
    {
        var w = new string([.. word.ToLowerInvariant().Where(c => c is >= 'a' and <= 'z' or '\'')]).Trim('\'');
        if (!w.Any(char.IsAsciiLetterLower)) return [];
        return FromLexicon(w) ?? Stress(Spell(w.Replace("'", "", StringComparison.Ordinal)));
    }

    private IReadOnlyList<string>? FromLexicon(string w)
    {
        if (lexicon.Lookup(w) is { } whole) return whole;
        if (w.Length > 3 && w.EndsWith('s') && lexicon.Lookup(w.TrimEnd('s').TrimEnd('\'')) is { } stem)
            return [.. stem, stem[^1] is "P" or "T" or "K" or "F" or "TH" ? "S" : "Z"];
        for (int cut = w.Length - 3; cut >= 3; cut--)
            if (lexicon.Lookup(w[..cut]) is { } head && lexicon.Lookup(w[cut..]) is { } tail) return [.. head, .. tail];
        return null;
    }

    private static List<string> Spell(string w)
    {
        var phones = new List<string>();
        for (int i = 0; i < w.Length;)
        {
            char c = w[i];
            char next = i + 1 < w.Length ? w[i + 1] : '\0';
            if (i == 0 && (w.StartsWith("kn", StringComparison.Ordinal) || w.StartsWith("wr", StringComparison.Ordinal))) { i++; continue; }
            if (i > 0 && c == next && !"aeiou".Contains(c)) { i++; continue; } // doubled consonants sound once
            if ("aeiouy".Contains(c) && TryVowel(w, i, phones, out int used)) { i += used; continue; }
            if (c == 'c') { phones.Add("eiy".Contains(next) && next != '\0' ? "S" : "K"); i++; continue; }
            if (c == 'g') { if (w.AsSpan(i).StartsWith("gh")) { if (i == 0) phones.Add("G"); i += 2; continue; } phones.Add("eiy".Contains(next) && next != '\0' && i > 0 ? "JH" : "G"); i++; continue; }
            if (c == 'x' && i == 0) { phones.Add("Z"); i++; continue; }
            var match = Patterns.FirstOrDefault(p => w.AsSpan(i).StartsWith(p.Spelling));
            if (match.Spelling is null) { i++; continue; }
            phones.AddRange(match.Phones.Split(' '));
            i += match.Spelling.Length;
        }
        return phones;
    }

    private static bool TryVowel(string w, int i, List<string> phones, out int used)
    {
        char c = w[i];
        used = 1;
        if (c == 'y')
        {
            if (i == 0 || (i + 1 < w.Length && "aeiou".Contains(w[i + 1]))) { phones.Add("Y"); return true; }
            phones.Add(w.Count(v => "aeiouy".Contains(v)) == 1 ? "AY" : "IY");
            return true;
        }
        var pattern = Patterns.FirstOrDefault(p => p.Spelling.Length > 1 && p.Spelling[0] == c && w.AsSpan(i).StartsWith(p.Spelling));
        if (pattern.Spelling is not null) { phones.AddRange(pattern.Phones.Split(' ')); used = pattern.Spelling.Length; return true; }
        // A final e is silent when another vowel came before it.
        if (c == 'e' && i == w.Length - 1 && w[..i].Any(v => "aeiouy".Contains(v))) { used = 1; return true; }
        // Vowel, one consonant, final e: the long vowel ("tile", "code").
        bool magicE = i + 2 == w.Length - 1 && w[^1] == 'e' && !"aeiouy".Contains(w[i + 1]);
        phones.Add((c, magicE) switch
        {
            ('a', true) => "EY", ('e', true) => "IY", ('i', true) => "AY", ('o', true) => "OW", ('u', true) => "UW",
            ('a', _) => "AE", ('e', _) => "EH", ('i', _) => "IH", ('o', _) => "AA", _ => "AH",
        });
        return true;
    }

    private static List<string> Stress(List<string> phones)
    {
        bool stressed = false;
        for (int i = 0; i < phones.Count; i++)
        {
            if (!Vowels.Contains(phones[i])) continue;
            if (!stressed) { phones[i] += "1"; stressed = true; }
            else phones[i] = phones[i] is "AE" or "AA" or "AH" or "EH" ? "AH0" : phones[i] + "0";
        }
        return phones;
    }
}
