using VoxTile.IR;
using VoxTile.Models.Config;
using VoxTile.Models.OpenVoice;
using VoxTile.Models.Parameters;

namespace VoxTile.Models.MeloTTS;

/// <summary>
/// attentions.Encoder as MeloTTS uses it in the text encoder and in every transformer coupling: post-norm layers of
/// relative-position self-attention and a two-conv ReLU FFN with "same" padding, channel LayerNorms, and the speaker
/// (spk_emb_linear(g), broadcast over time) added before layer <see cref="MeloConfig.TransformerCondLayer"/>.
/// </summary>
internal sealed class TransformerEncoder(WeightNodes w, string prefix, int hidden, int filter, int heads, int layers, int kernel, int ginChannels)
{
    /// <param name="x">[B, hidden, T]</param>
    /// <param name="mask">[B, 1, T]</param>
    /// <param name="g">[B, gin, 1], or null when the encoder is not speaker-conditioned.</param>
    public Node Build(Node x, Node mask, Node? g)
    {
        int b = MeloLayers.Fixed(x, 0), t = MeloLayers.Fixed(x, 2);
        var scoreMask = Nn.Mul(Nn.Reshape(mask, [b, 1, t, 1]), Nn.Reshape(mask, [b, 1, 1, t]));
        x = Nn.Mul(x, mask);
        for (int l = 0; l < layers; l++)
        {
            if (l == MeloConfig.TransformerCondLayer && g is not null)
            {
                var speaker = Layers.Linear(w, prefix + ".spk_emb_linear", Nn.Reshape(g, [b, 1, ginChannels]), ginChannels, hidden);
                x = Nn.Mul(Nn.Add(x, Nn.Reshape(speaker, [b, hidden, 1])), mask);
            }
            var y = RelativeAttention.Build(w, $"{prefix}.attn_layers.{l}", x, scoreMask, hidden, heads);
            x = MeloLayers.ChannelNorm(w, $"{prefix}.norm_layers_1.{l}", Nn.Add(x, y), hidden);
            y = FeedForward($"{prefix}.ffn_layers.{l}", x, mask);
            x = MeloLayers.ChannelNorm(w, $"{prefix}.norm_layers_2.{l}", Nn.Add(x, y), hidden);
        }
        return Nn.Mul(x, mask);
    }

    private Node FeedForward(string p, Node x, Node mask)
    {
        int left = (kernel - 1) / 2, right = kernel / 2;
        var h = MeloLayers.Conv1d(w, p + ".conv_1", Nn.Mul(x, mask), hidden, filter, kernel, left, right);
        h = Nn.Relu(h);
        var y = MeloLayers.Conv1d(w, p + ".conv_2", Nn.Mul(h, mask), filter, hidden, kernel, left, right);
        return Nn.Mul(y, mask);
    }
}
