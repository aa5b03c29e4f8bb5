using VoxTile.IR;
using VoxTile.Models.Config;

namespace VoxTile.Models.MeloTTS.Text;

/// <summary>One piece of the text as the model takes it, with the front end's output it came from.</summary>
public sealed record TextUtterance(PhonemizedText Phonemized, MeloInput Input);

/// <summary>
/// Text → the model inputs MeloTTS's <c>tts_to_file</c> synthesizes one after another (spec §1): the text split into
/// pieces, each piece phonemized, encoded (symbols, tone offsets, language ids, add_blank) with zero BERT features
/// (bert-base-uncased is not shipped), and the pieces' audio joined with <see cref="GapSamples"/> zeros after each.
/// </summary>
public static class TextUtterances
{
    public static IReadOnlyList<TextUtterance> Build(MeloConfig config, ITextFrontEnd frontEnd, string text, int speakerId)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrWhiteSpace(text)) throw new VoxTileException("the text is empty");
        var encoder = MeloText.For(config);
        var utterances = new List<TextUtterance>();
        foreach (var piece in frontEnd.Split(text))
        {
            var phonemized = frontEnd.Phonemize(piece);
            if (!phonemized.Phones.Any(p => char.IsAsciiLetter(p[0]) && p != "UNK")) continue; // punctuation only
            var sequence = encoder.Encode(phonemized.Phones, phonemized.Tones, frontEnd.Language);
            utterances.Add(new TextUtterance(phonemized, MeloInput.WithoutBert(sequence, speakerId)));
        }
        if (utterances.Count == 0) throw new VoxTileException("the text has no word to pronounce");
        return utterances;
    }

    /// <summary>The silence after each piece: int(sr · 0.05 / speed) samples.</summary>
    public static int GapSamples(int sampleRate, double speed) => (int)(sampleRate * 0.05 / speed);

    /// <summary>The pieces' audio in order, each followed by <paramref name="gap"/> zeros.</summary>
    public static float[] Join(IReadOnlyList<float[]> pieces, int gap)
    {
        var audio = new float[pieces.Sum(p => p.Length + gap)];
        int at = 0;
        foreach (var p in pieces)
        {
            p.CopyTo(audio, at);
            at += p.Length + gap;
        }
        return audio;
    }
}
