using System.Text.RegularExpressions;

namespace VoxTile.Models.MeloTTS.Text;

/// <summary>
/// MeloTTS's English <c>clean_text</c> (spec §3): normalize, split into BERT basic tokens, look each up in the lexicon
/// (else <see cref="OutOfLexicon"/>: espeak-ng when its library loads, VoxTile's spelling rules when not), stress digit
/// d → tone d + 1, phones lowercased, <c>post_replace_ph</c>, <c>_</c> at both ends. bert-base-uncased's vocabulary is
/// not shipped, so each word is one word piece and its word2ph entry is its phone count (the reference may split a word
/// into several pieces; the total is the same, and without BERT features the split does not reach the audio).
/// </summary>
public sealed partial class EnglishFrontEnd(CmuLexicon lexicon, IReadOnlyList<string>? symbols = null, IGraphemeToPhoneme? outOfLexicon = null)
    : ITextFrontEnd
{
    private readonly HashSet<string> _symbols = new(symbols ?? MeloSymbols.All, StringComparer.Ordinal);

    /// <summary>g2p_en keeps only these characters of a token with no letter (the rest vanish).</summary>
    private const string KeptPunctuation = "'.,?!-";

    private static readonly Dictionary<string, string> PostReplace = new(StringComparer.Ordinal)
    {
        ["："] = ",", ["；"] = ",", ["，"] = ",", ["。"] = ".", ["！"] = "!", ["？"] = "?", ["\n"] = ".", ["·"] = ",",
        ["、"] = ",", ["..."] = "…", ["v"] = "V",
    };

    public string Language => "EN";

    public CmuLexicon Lexicon => lexicon;

    /// <summary>What reads the words the lexicon lacks.</summary>
    public IGraphemeToPhoneme OutOfLexicon { get; } = outOfLexicon ?? (IGraphemeToPhoneme?)Espeak.EspeakG2p.TryCreate() ?? new RuleBasedG2p(lexicon);

    public string Describe() => $"words outside the lexicon are read by {OutOfLexicon.Name}" +
        (OutOfLexicon is Espeak.EspeakG2p ? "" : $" ({Espeak.EspeakNg.WhyNot ?? "espeak-ng not chosen"})");

    [GeneratedRegex("([a-z])([A-Z])")] private static partial Regex CamelCase();

    public IReadOnlyList<string> Split(string text) => SentenceSplitter.SplitLatin(text);

    public PhonemizedText Phonemize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalized = EnglishNormalizer.Normalize(CamelCase().Replace(text, "$1 $2"));
        var phones = new List<string> { MeloSymbols.Pad };
        var tones = new List<int> { 0 };
        var word2ph = new List<int> { 1 };
        foreach (var word in BasicTokenizer.Tokenize(normalized))
        {
            var raw = WordPhones(word);
            foreach (var phone in raw)
            {
                var (name, tone) = Refine(phone);
                phones.Add(ReplacePunctuation(name));
                tones.Add(tone);
            }
            word2ph.AddRange(DistributePhones(raw.Count, 1));
        }
        phones.Add(MeloSymbols.Pad);
        tones.Add(0);
        word2ph.Add(1);
        return new PhonemizedText(normalized, phones, tones, word2ph);
    }

    /// <summary><c>distribute_phone</c>: each phone to the piece with the fewest so far, the first such on ties.</summary>
    public static int[] DistributePhones(int phones, int pieces)
    {
        var counts = new int[pieces];
        for (int i = 0; i < phones; i++)
        {
            int min = 0;
            for (int k = 1; k < pieces; k++) if (counts[k] < counts[min]) min = k;
            counts[min]++;
        }
        return counts;
    }

    private IReadOnlyList<string> WordPhones(string word)
    {
        if (lexicon.Lookup(word) is { } entry) return entry;
        if (word.Any(char.IsAsciiLetterLower) || word.Any(char.IsLetter)) return OutOfLexicon.Phonemize(word);
        return [.. word.Where(c => KeptPunctuation.Contains(c)).Select(c => c.ToString())];
    }

    /// <summary><c>refine_ph</c>: a trailing stress digit d → tone d + 1, lowercased; punctuation keeps its case, tone 0.</summary>
    private static (string Phone, int Tone) Refine(string phone)
    {
        if (!phone.Any(char.IsAsciiLetterUpper)) return (phone, 0);
        int tone = 0;
        if (char.IsAsciiDigit(phone[^1]))
        {
            tone = phone[^1] - '0' + 1;
            phone = phone[..^1];
        }
        return (phone.ToLowerInvariant(), tone);
    }

    private string ReplacePunctuation(string phone)
    {
        if (PostReplace.TryGetValue(phone, out var replaced)) phone = replaced;
        return _symbols.Contains(phone) ? phone : "UNK";
    }
}
