namespace VoxTile.Models.MeloTTS.Text;

/// <summary>One language's text → phones front end (MeloTTS's <c>clean_text</c> for that language).</summary>
public interface ITextFrontEnd
{
    /// <summary>The MeloTTS language code (EN, …).</summary>
    string Language { get; }

    /// <summary>The text cut into the pieces the reference synthesizes one at a time (its <c>split_sentence</c>).</summary>
    IReadOnlyList<string> Split(string text);

    /// <summary>One piece's normalized text, phones, tones and word2ph.</summary>
    PhonemizedText Phonemize(string text);

    /// <summary>One line on how words are read (the lexicon, and what reads the words it lacks), for a note on stderr.</summary>
    string Describe();
}
