namespace VoxTile.Models.MeloTTS.Text.Espeak;

/// <summary>
/// espeak-ng's American English IPA → CMUdict's ARPAbet, the phone set MeloTTS's English symbols are. Each phoneme is
/// read by longest match against the table, so a compound espeak phoneme ("ɑːɹ", "aɪɚ", "əl") becomes its ARPAbet
/// parts (AA R, AY ER, AH L). Stress: ˈ → 1 and ˌ → 2 on the next vowel, every other vowel 0, as CMUdict marks it. A
/// syllabic consonant (n̩) is read as CMUdict writes it, AH0 before the consonant; a length mark, nasalization and other
/// diacritics are dropped; a sound English lacks takes the nearest English phone.
/// </summary>
public static class IpaToArpabet
{
    private const char Primary = 'ˈ';
    private const char Secondary = 'ˌ';
    private const char Syllabic = '\u0329';

    private static readonly Dictionary<string, string> Table = new(StringComparer.Ordinal)
    {
        // Vowels and diphthongs (en-us: ɚ unstressed r-colored, ɜː stressed; ᵻ the reduced i of "roses").
        ["aɪ"] = "AY", ["aʊ"] = "AW", ["eɪ"] = "EY", ["oʊ"] = "OW", ["əʊ"] = "OW", ["ɔɪ"] = "OY",
        ["ɑ"] = "AA", ["ɒ"] = "AA", ["æ"] = "AE", ["a"] = "AE", ["ɐ"] = "AH", ["ʌ"] = "AH", ["ə"] = "AH",
        ["ɚ"] = "ER", ["ɝ"] = "ER", ["ɜ"] = "ER", ["ɛ"] = "EH", ["e"] = "EH", ["ɪ"] = "IH", ["ᵻ"] = "IH", ["ɨ"] = "IH",
        ["i"] = "IY", ["ʊ"] = "UH", ["u"] = "UW", ["ʉ"] = "UW", ["ɯ"] = "UW", ["y"] = "UW", ["ɔ"] = "AO", ["oː"] = "AO",
        ["o"] = "OW", ["ø"] = "ER", ["œ"] = "ER",
        // Consonants; the flap and the glottal stop stand for the t they replace in American speech ("butter", "button").
        ["p"] = "P", ["b"] = "B", ["t"] = "T", ["d"] = "D", ["k"] = "K", ["ɡ"] = "G", ["g"] = "G", ["f"] = "F", ["v"] = "V",
        ["θ"] = "TH", ["ð"] = "DH", ["s"] = "S", ["z"] = "Z", ["ʃ"] = "SH", ["ʒ"] = "ZH", ["h"] = "HH", ["tʃ"] = "CH",
        ["dʒ"] = "JH", ["m"] = "M", ["n"] = "N", ["ŋ"] = "NG", ["l"] = "L", ["ɫ"] = "L", ["ɹ"] = "R", ["r"] = "R",
        ["ɻ"] = "R", ["w"] = "W", ["ʍ"] = "W", ["j"] = "Y", ["ɾ"] = "T", ["ʔ"] = "T",
        // Sounds of loan words and names (the "ch" of "loch", Spanish ñ, …).
        ["x"] = "K", ["χ"] = "K", ["ç"] = "HH", ["ɦ"] = "HH", ["ɣ"] = "G", ["β"] = "V", ["ɸ"] = "F", ["c"] = "K",
        ["ɟ"] = "JH", ["q"] = "K", ["ʁ"] = "R", ["ʀ"] = "R", ["ɲ"] = "N Y", ["ʎ"] = "L Y", ["ɬ"] = "L", ["ɕ"] = "SH",
        ["ʑ"] = "ZH", ["ɴ"] = "NG",
    };

    private static readonly int Longest = Table.Keys.Max(k => k.Length);

    /// <summary>ARPAbet vowels, which carry the stress digit.</summary>
    public static IReadOnlySet<string> Vowels { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "AA", "AE", "AH", "AO", "AW", "AY", "EH", "ER", "EY", "IH", "IY", "OW", "OY", "UH", "UW",
    };

    /// <summary>The phones of <paramref name="ipa"/>: phonemes separated by <see cref="EspeakNg.Separator"/>, words by spaces.</summary>
    public static List<string> Convert(string ipa)
    {
        ArgumentNullException.ThrowIfNull(ipa);
        var phones = new List<string>();
        int stress = 0;
        foreach (var phoneme in ipa.Split([EspeakNg.Separator, ' '], StringSplitOptions.RemoveEmptyEntries))
        {
            for (int i = 0; i < phoneme.Length;)
            {
                char c = phoneme[i];
                if (c is Primary or Secondary)
                {
                    stress = c == Primary ? 1 : 2;
                    i++;
                    continue;
                }
                if (c == Syllabic && phones.Count > 0 && !char.IsAsciiDigit(phones[^1][^1]))
                {
                    phones.Insert(phones.Count - 1, "AH0");
                    i++;
                    continue;
                }
                int length = Math.Min(Longest, phoneme.Length - i);
                string? arpabet = null;
                while (length > 0 && !Table.TryGetValue(phoneme.Substring(i, length), out arpabet)) length--;
                if (arpabet is null)
                {
                    i++; // ː, ̃ and other marks
                    continue;
                }
                foreach (var phone in arpabet.Split(' '))
                {
                    if (!Vowels.Contains(phone)) phones.Add(phone);
                    else
                    {
                        phones.Add($"{phone}{stress}");
                        stress = 0;
                    }
                }
                i += length;
            }
        }
        return phones;
    }
}
