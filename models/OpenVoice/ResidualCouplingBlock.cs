using VoxTile.IR;
using VoxTile.Models.Parameters;

namespace VoxTile.Models.OpenVoice;

/// <summary>
/// VITS's flow (ResidualCouplingBlock): four mean-only affine couplings (flows.0, 2, 4, 6), each followed by a Flip
/// that reverses all channels. Forward runs 0 → 7; reverse runs 7 → 0 with each coupling inverted.
/// </summary>
internal sealed class ResidualCouplingBlock(WeightNodes w, string prefix, int channels, int hidden, int kernel,
    int dilationRate, int wnLayers, int couplings, int ginChannels)
{
    public Node Forward(Node x, Node mask, Node g)
    {
        for (int j = 0; j < couplings; j++)
            x = Nn.Flip(Coupling(x, mask, g, 2 * j, reverse: false), axis: 1);
        return x;
    }

    public Node Reverse(Node x, Node mask, Node g)
    {
        for (int j = couplings - 1; j >= 0; j--)
            x = Coupling(Nn.Flip(x, axis: 1), mask, g, 2 * j, reverse: true);
        return x;
    }

    private Node Coupling(Node x, Node mask, Node g, int index, bool reverse)
    {
        int half = channels / 2;
        string p = $"{prefix}.flows.{index}";
        var x0 = Layers.Channels(x, 0, half);
        var x1 = Layers.Channels(x, half, channels);
        var h = Nn.Mul(Layers.Conv1d(w, p + ".pre", x0, half, hidden, 1), mask);
        h = WaveNet.Build(w, p + ".enc", h, mask, g, hidden, kernel, dilationRate, wnLayers, ginChannels);
        var m = Nn.Mul(Layers.Conv1d(w, p + ".post", h, hidden, half, 1), mask);
        x1 = reverse ? Nn.Mul(Nn.Sub(x1, m), mask) : Nn.Add(m, Nn.Mul(x1, mask));
        return Nn.Concat([x0, x1], 1);
    }
}
