using VoxTile.IR;
using VoxTile.Models.OpenVoice;
using VoxTile.Models.Parameters;

namespace VoxTile.Models.MeloTTS;

/// <summary>
/// The converter's HiFi-GAN decoder (<see cref="HifiGanGenerator"/>: conv_pre + cond(g), per stage leaky_relu 0.1, a
/// transposed conv and the mean of ResBlock1s, leaky_relu 0.01, conv_post, tanh) run on a static frame bucket longer
/// than the utterance. Every conv input is zeroed past the utterance's length at that stage's rate (ResBlock1's
/// x_mask), so each conv sees the same zero padding as PyTorch's run at the exact length and the kept samples are
/// PyTorch's, bit for bit up to summation order. Without the masks the biases of the frames past the end leak into the
/// last few hundred samples.
/// </summary>
internal sealed class FrameMaskedGenerator(WeightNodes w, string prefix, int inChannels, int initialChannels,
    int[] upsampleRates, int[] upsampleKernels, int[] resblockKernels, int[][] resblockDilations, int ginChannels)
{
    /// <param name="x">[1, inter, F], already zero past <paramref name="frames"/>.</param>
    /// <param name="frames">the utterance length in frames, [1, 1, 1].</param>
    public Node Build(Node x, Node g, Node frames)
    {
        x = Layers.Conv1d(w, prefix + ".conv_pre", x, inChannels, initialChannels, 7, padding: 3);
        x = Nn.Add(x, Layers.Conv1d(w, prefix + ".cond", g, ginChannels, initialChannels, 1));
        int ch = initialChannels, scale = 1;
        var mask = MeloLayers.PrefixMask(frames, scale, x);
        for (int i = 0; i < upsampleRates.Length; i++)
        {
            int u = upsampleRates[i], k = upsampleKernels[i];
            x = Nn.Mul(Nn.LeakyRelu(x, negativeSlope: 0.1f), mask);
            x = Layers.ConvTranspose1d(w, $"{prefix}.ups.{i}", x, ch, ch / 2, k, u, (k - u) / 2);
            ch /= 2;
            scale *= u;
            mask = MeloLayers.PrefixMask(frames, scale, x);
            Node? sum = null;
            for (int j = 0; j < resblockKernels.Length; j++)
            {
                var r = ResBlock1(x, mask, $"{prefix}.resblocks.{i * resblockKernels.Length + j}", ch, resblockKernels[j], resblockDilations[j]);
                sum = sum is null ? r : Nn.Add(sum, r);
            }
            x = Nn.Div(sum!, Nn.Full(resblockKernels.Length, shape: []));
        }
        x = Nn.Mul(Nn.LeakyRelu(x, negativeSlope: 0.01f), mask);
        x = Layers.Conv1d(w, prefix + ".conv_post", x, ch, 1, 7, padding: 3, bias: false);
        return Nn.Tanh(x);
    }

    private Node ResBlock1(Node x, Node mask, string p, int ch, int kernel, int[] dilations)
    {
        for (int j = 0; j < dilations.Length; j++)
        {
            var t = Nn.Mul(Nn.LeakyRelu(x, negativeSlope: 0.1f), mask);
            t = Layers.Conv1d(w, $"{p}.convs1.{j}", t, ch, ch, kernel, dilation: dilations[j]);
            t = Nn.Mul(Nn.LeakyRelu(t, negativeSlope: 0.1f), mask);
            t = Layers.Conv1d(w, $"{p}.convs2.{j}", t, ch, ch, kernel);
            x = Nn.Add(t, x);
        }
        return Nn.Mul(x, mask);
    }
}
