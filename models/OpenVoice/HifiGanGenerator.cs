using VoxTile.IR;
using VoxTile.Models.Parameters;

namespace VoxTile.Models.OpenVoice;

/// <summary>
/// The HiFi-GAN decoder (VITS Generator with ResBlock1): conv_pre + cond(g), then per stage leaky_relu(0.1), a
/// transposed-conv upsampler and the mean of three ResBlock1s; leaky_relu with PyTorch's default slope 0.01 (not 0.1)
/// before conv_post (no bias), then tanh.
/// </summary>
internal sealed class HifiGanGenerator(WeightNodes w, string prefix, int inChannels, int initialChannels,
    int[] upsampleRates, int[] upsampleKernels, int[] resblockKernels, int[][] resblockDilations, int ginChannels)
{
    public Node Build(Node x, Node? g)
    {
        x = Layers.Conv1d(w, prefix + ".conv_pre", x, inChannels, initialChannels, 7, padding: 3);
        if (g is not null) x = Nn.Add(x, Layers.Conv1d(w, prefix + ".cond", g, ginChannels, initialChannels, 1));
        int ch = initialChannels;
        for (int i = 0; i < upsampleRates.Length; i++)
        {
            int u = upsampleRates[i], k = upsampleKernels[i];
            x = Nn.LeakyRelu(x, negativeSlope: 0.1f);
            x = Layers.ConvTranspose1d(w, $"{prefix}.ups.{i}", x, ch, ch / 2, k, u, (k - u) / 2);
            ch /= 2;
            Node? sum = null;
            for (int j = 0; j < resblockKernels.Length; j++)
            {
                var r = ResBlock1(x, $"{prefix}.resblocks.{i * resblockKernels.Length + j}", ch, resblockKernels[j], resblockDilations[j]);
                sum = sum is null ? r : Nn.Add(sum, r);
            }
            x = Nn.Div(sum!, Nn.Full(resblockKernels.Length, shape: []));
        }
        x = Nn.LeakyRelu(x, negativeSlope: 0.01f);
        x = Layers.Conv1d(w, prefix + ".conv_post", x, ch, 1, 7, padding: 3, bias: false);
        return Nn.Tanh(x);
    }

    private Node ResBlock1(Node x, string p, int ch, int kernel, int[] dilations)
    {
        for (int j = 0; j < dilations.Length; j++)
        {
            var t = Nn.LeakyRelu(x, negativeSlope: 0.1f);
            t = Layers.Conv1d(w, $"{p}.convs1.{j}", t, ch, ch, kernel, dilation: dilations[j]);
            t = Nn.LeakyRelu(t, negativeSlope: 0.1f);
            t = Layers.Conv1d(w, $"{p}.convs2.{j}", t, ch, ch, kernel);
            x = Nn.Add(t, x);
        }
        return x;
    }
}
