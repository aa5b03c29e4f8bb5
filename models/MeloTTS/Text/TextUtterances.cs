using VoxTile.IR;
using VoxTile.Models.Config;

namespace VoxTile.Models.MeloTTS.Text;

/// <summary>
/// One piece of the text: the front end's output and its model-ready ids. The model input is built each time
/// <see cref="Input"/> is read: its BERT features (zeros, 1792 floats a token) would hold a 10 000-word text's
/// half-gigabyte if every piece kept them, so a piece holds ids only until it is synthesized.
/// </summary>
public sealed record TextUtterance(PhonemizedText Phonemized, PhonemeSequence Sequence, int SpeakerId)
{
    public int Length => Sequence.Length;

    public MeloInput Input => MeloInput.WithoutBert(Sequence, SpeakerId);
}

/// <summary>
/// Text → the model inputs MeloTTS's <c>tts_to_file</c> synthesizes one after another (spec §1): the text split into
/// pieces, each piece phonemized, encoded (symbols, tone offsets, language ids, add_blank) with zero BERT features
/// (bert-base-uncased is not shipped), and the pieces' audio joined with <see cref="GapSamples"/> zeros after each.
/// </summary>
public static class TextUtterances
{
    public static IReadOnlyList<TextUtterance> Build(MeloConfig config, ITextFrontEnd frontEnd, string text, int speakerId)
    {
        var encoder = MeloText.For(config);
        return [.. Phonemize(frontEnd, text).Select(p => new TextUtterance(p, encoder.Encode(p.Phones, p.Tones, frontEnd.Language), speakerId))];
    }

    /// <summary>The pieces' model inputs, each built when it is read (by index or in a loop) and not kept.</summary>
    public static IReadOnlyList<MeloInput> Inputs(IReadOnlyList<TextUtterance> pieces) => new BuiltWhenRead(pieces);

    private sealed class BuiltWhenRead(IReadOnlyList<TextUtterance> pieces) : IReadOnlyList<MeloInput>
    {
        public MeloInput this[int index] => pieces[index].Input;

        public int Count => pieces.Count;

        public IEnumerator<MeloInput> GetEnumerator() => pieces.Select(p => p.Input).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>
    /// <c>clean_text</c> of each piece that is spoken: the pieces of <see cref="ITextFrontEnd.Split"/> with a phone to
    /// say (a piece of punctuation only is skipped). Empty text, or text with no word to say, is refused.
    /// </summary>
    public static IReadOnlyList<PhonemizedText> Phonemize(ITextFrontEnd frontEnd, string text)
    {
        ArgumentNullException.ThrowIfNull(frontEnd);
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrWhiteSpace(text)) throw new VoxTileException("the text is empty");
        var pieces = frontEnd.Split(text).Select(frontEnd.Phonemize)
            .Where(p => p.Phones.Any(ph => char.IsAsciiLetter(ph[0]) && ph != "UNK")).ToList();
        if (pieces.Count == 0) throw new VoxTileException("the text has no word to pronounce");
        return pieces;
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
