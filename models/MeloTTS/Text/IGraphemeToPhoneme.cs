namespace VoxTile.Models.MeloTTS.Text;

/// <summary>
/// The pronunciation of a word the lexicon lacks (the reference's g2p_en network): espeak-ng when its library loads
/// (<see cref="Espeak.EspeakG2p"/>), else VoxTile's spelling rules (<see cref="RuleBasedG2p"/>).
/// </summary>
public interface IGraphemeToPhoneme
{
    /// <summary>What reads the words, for the note tts and phonemize print ("espeak-ng 1.51 (en-us)").</summary>
    string Name { get; }

    /// <summary>ARPAbet phones with a stress digit (0, 1, 2) on each vowel; empty when the word has no letter a–z.</summary>
    IReadOnlyList<string> Phonemize(string word);
}
