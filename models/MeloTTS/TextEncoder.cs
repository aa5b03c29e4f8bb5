using VoxTile.IR;
using VoxTile.Models.Config;
using VoxTile.Models.OpenVoice;
using VoxTile.Models.Parameters;

namespace VoxTile.Models.MeloTTS;

/// <summary>
/// enc_p: the sum of the phoneme, tone and language embeddings and the two projected BERT streams, all scaled by
/// √hidden; the transformer encoder (speaker-conditioned when the config says so); proj to the prior's mean and log-std.
/// </summary>
internal static class TextEncoder
{
    public const int BertChannels = 1024, JaBertChannels = 768;

    /// <returns>x [1, hidden, Tx] (the encoder output the duration predictors read), m_p and logs_p [1, inter, Tx].</returns>
    public static (Node X, Node MP, Node LogsP) Build(WeightNodes w, MeloConfig c, Node phonemes, Node tones, Node languages,
        Node bert, Node jaBert, Node mask, Node g)
    {
        const string p = "enc_p";
        int h = c.HiddenChannels;
        // Summed in [1, Tx, hidden] in PyTorch's order, so that the fp32 rounding is the reference's.
        var e = MeloLayers.Embedding(w, p + ".emb", phonemes, c.NVocab, h);
        e = Nn.Add(e, MeloLayers.Embedding(w, p + ".tone_emb", tones, c.NumTones, h));
        e = Nn.Add(e, MeloLayers.Embedding(w, p + ".language_emb", languages, c.NumLanguages, h));
        e = Nn.Add(e, Nn.Transpose(Layers.Conv1d(w, p + ".bert_proj", bert, BertChannels, h, 1), [0, 2, 1]));
        e = Nn.Add(e, Nn.Transpose(Layers.Conv1d(w, p + ".ja_bert_proj", jaBert, JaBertChannels, h, 1), [0, 2, 1]));
        var x = Nn.Transpose(Nn.Scale(e, factor: (float)Math.Sqrt(h)), [0, 2, 1]);

        var encoder = new TransformerEncoder(w, p + ".encoder", h, c.FilterChannels, c.NHeads, c.NLayers, c.KernelSize, c.GinChannels);
        x = encoder.Build(Nn.Mul(x, mask), mask, c.UseSpkConditionedEncoder ? g : null);
        var stats = Nn.Mul(Layers.Conv1d(w, p + ".proj", x, h, 2 * c.InterChannels, 1), mask);
        return (x, Layers.Channels(stats, 0, c.InterChannels), Layers.Channels(stats, c.InterChannels, 2 * c.InterChannels));
    }
}
