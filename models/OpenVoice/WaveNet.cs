using VoxTile.IR;
using VoxTile.Models.Parameters;

namespace VoxTile.Models.OpenVoice;

/// <summary>
/// VITS's gated WaveNet stack (modules.WN): per layer a dilated conv, the layer's slice of the conditioning added,
/// tanh ⊙ sigmoid, then a 1×1 conv split into a residual (all but the last layer) and a skip sum. Conditioning is
/// a 1×1 conv of g; a zero g still adds its bias, as OpenVoice's zero_g relies on.
/// </summary>
internal static class WaveNet
{
    public static Node Build(WeightNodes w, string prefix, Node x, Node mask, Node? g, int hidden, int kernel,
        int dilationRate, int layers, int ginChannels)
    {
        Node? cond = g is null ? null
            : Layers.Conv1d(w, prefix + ".cond_layer", g, ginChannels, 2 * hidden * layers, 1);
        Node? output = null;
        for (int i = 0; i < layers; i++)
        {
            int d = (int)Math.Pow(dilationRate, i);
            var xin = Layers.Conv1d(w, $"{prefix}.in_layers.{i}", x, hidden, 2 * hidden, kernel, dilation: d);
            if (cond is not null) xin = Nn.Add(xin, Layers.Channels(cond, 2 * hidden * i, 2 * hidden * (i + 1)));
            var acts = Nn.Mul(Nn.Tanh(Layers.Channels(xin, 0, hidden)), Nn.Sigmoid(Layers.Channels(xin, hidden, 2 * hidden)));
            bool last = i == layers - 1;
            var rs = Layers.Conv1d(w, $"{prefix}.res_skip_layers.{i}", acts, hidden, last ? hidden : 2 * hidden, 1);
            if (!last)
            {
                x = Nn.Mul(Nn.Add(x, Layers.Channels(rs, 0, hidden)), mask);
                var skip = Layers.Channels(rs, hidden, 2 * hidden);
                output = output is null ? skip : Nn.Add(output, skip);
            }
            else output = output is null ? rs : Nn.Add(output, rs);
        }
        return Nn.Mul(output!, mask);
    }
}
