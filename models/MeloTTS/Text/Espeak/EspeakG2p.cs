namespace VoxTile.Models.MeloTTS.Text.Espeak;

/// <summary>
/// Out-of-lexicon English words read by espeak-ng's American English voice, its IPA mapped to ARPAbet with stress
/// (<see cref="IpaToArpabet"/>). The reference asks g2p_en's trained network instead; espeak-ng's rules and its own
/// dictionary are the closest widely packaged reader. As g2p_en does, only the letters a–z (and ') of a word are read.
/// </summary>
public sealed class EspeakG2p(EspeakNg espeak) : IGraphemeToPhoneme
{
    public string Name => $"espeak-ng {espeak.Version} ({espeak.Voice})";

    /// <summary>espeak-ng when <see cref="EspeakNg.Shared"/> loaded, else null.</summary>
    public static EspeakG2p? TryCreate() => EspeakNg.Shared is { } espeak ? new EspeakG2p(espeak) : null;

    public IReadOnlyList<string> Phonemize(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        var letters = new string([.. word.ToLowerInvariant().Where(c => c is >= 'a' and <= 'z' or '\'')]).Trim('\'');
        if (!letters.Any(char.IsAsciiLetterLower)) return [];
        return IpaToArpabet.Convert(espeak.ToIpa(letters));
    }
}
