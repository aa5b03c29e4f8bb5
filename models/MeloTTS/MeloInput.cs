using VoxTile.IR;

namespace VoxTile.Models.MeloTTS;

/// <summary>
/// One utterance as the synthesizer takes it: ids per token (blanks already interleaved, offsets already applied, see
/// <see cref="MeloText"/>), the BERT features per token, and the speaker's row in emb_g.
/// </summary>
/// <param name="Bert">[1, 1024, Tx] (all zeros for English).</param>
/// <param name="JaBert">[1, 768, Tx] (English puts its bert-base features here).</param>
public sealed record MeloInput(IReadOnlyList<int> Phonemes, IReadOnlyList<int> Tones, IReadOnlyList<int> Languages, Tensor Bert, Tensor JaBert, int SpeakerId)
{
    public int Length => Phonemes.Count;

    /// <summary>Feature widths of the two BERT inputs (bert-large-style Chinese, bert-base English/Japanese).</summary>
    public const int BertChannels = TextEncoder.BertChannels, JaBertChannels = TextEncoder.JaBertChannels;

    /// <summary>A sequence with zero BERT features (MeloTTS's disable_bert; useful for tests and random models).</summary>
    public static MeloInput WithoutBert(PhonemeSequence sequence, int speakerId) =>
        new(sequence.Phones, sequence.Tones, sequence.Languages, Tensor.Zeros(1, TextEncoder.BertChannels, sequence.Length),
            Tensor.Zeros(1, TextEncoder.JaBertChannels, sequence.Length), speakerId);

    /// <summary>Throws a one-line <see cref="VoxTileException"/> for inconsistent lengths or ids outside the model's tables.</summary>
    public void Validate(Config.MeloConfig config)
    {
        int n = Phonemes.Count;
        if (n == 0) throw new VoxTileException("the phoneme sequence is empty");
        if (Tones.Count != n || Languages.Count != n)
            throw new VoxTileException($"{n} phonemes but {Tones.Count} tones and {Languages.Count} language ids");
        CheckIds(Phonemes, config.NVocab, "phoneme");
        CheckIds(Tones, config.NumTones, "tone");
        CheckIds(Languages, config.NumLanguages, "language");
        if (!Bert.Shape.SequenceEqual([1, TextEncoder.BertChannels, n]))
            throw new VoxTileException($"bert has shape {Bert.ShapeString}, expected [1,{TextEncoder.BertChannels},{n}]");
        if (!JaBert.Shape.SequenceEqual([1, TextEncoder.JaBertChannels, n]))
            throw new VoxTileException($"ja_bert has shape {JaBert.ShapeString}, expected [1,{TextEncoder.JaBertChannels},{n}]");
        if (SpeakerId < 0 || SpeakerId >= config.NSpeakers)
            throw new VoxTileException($"speaker id {SpeakerId} is outside the model's {config.NSpeakers} speakers");
    }

    private static void CheckIds(IReadOnlyList<int> ids, int count, string what)
    {
        for (int i = 0; i < ids.Count; i++)
            if (ids[i] < 0 || ids[i] >= count)
                throw new VoxTileException($"{what} id {ids[i]} at position {i} is outside the model's {count} {what}s");
    }
}
