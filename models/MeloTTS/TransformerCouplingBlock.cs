using VoxTile.IR;
using VoxTile.Models.OpenVoice;
using VoxTile.Models.Parameters;

namespace VoxTile.Models.MeloTTS;

/// <summary>
/// MeloTTS's default flow: mean-only couplings (flows.0, 2, 4, …) whose hidden net is a speaker-conditioned
/// <see cref="TransformerEncoder"/> (FFN kernel 5), each followed by a Flip of all channels. Only the reverse is needed for TTS.
/// </summary>
internal sealed class TransformerCouplingBlock(WeightNodes w, string prefix, int channels, int hidden, int filter, int heads,
    int layers, int couplings, int ginChannels)
{
    public const int Kernel = 5;

    public Node Reverse(Node x, Node mask, Node g)
    {
        for (int j = couplings - 1; j >= 0; j--)
            x = CouplingReverse(Nn.Flip(x, axis: 1), mask, g, 2 * j);
        return x;
    }

    private Node CouplingReverse(Node x, Node mask, Node g, int index)
    {
        int half = channels / 2;
        string p = $"{prefix}.flows.{index}";
        var x0 = Layers.Channels(x, 0, half);
        var x1 = Layers.Channels(x, half, channels);
        var h = Nn.Mul(Layers.Conv1d(w, p + ".pre", x0, half, hidden, 1), mask);
        h = new TransformerEncoder(w, p + ".enc", hidden, filter, heads, layers, Kernel, ginChannels).Build(h, mask, g);
        var m = Nn.Mul(Layers.Conv1d(w, p + ".post", h, hidden, half, 1), mask);
        return Nn.Concat([x0, Nn.Mul(Nn.Sub(x1, m), mask)], 1);
    }
}
