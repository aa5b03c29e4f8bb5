using VoxTile.IR;
using VoxTile.Models.Parameters;

namespace VoxTile.Models.OpenVoice;

/// <summary>
/// The HiFi-GAN decoder (VITS Generator with ResBlock1) of both the converter and MeloTTS: conv_pre + cond(g), then
/// per stage leaky_relu(0.1), a transposed-conv upsampler and the mean of three ResBlock1s; leaky_relu with PyTorch's
/// default slope 0.01 (not 0.1) before conv_post (no bias), then tanh.
/// <para>
/// It runs on a static frame bucket that may be longer than the utterance: the frame mask [1, 1, F] (1 for the
/// utterance's frames, 0 past its end) zeroes every conv input past the end at that conv's rate (ResBlock1's x_mask),
/// so each conv sees the same zero padding as PyTorch's run at the exact length and the kept samples are PyTorch's,
/// up to summation order. Without the masks the biases of the frames past the end leak into the last ~14 frames.
/// A stage of s samples per frame masks with the frame mask repeated s times (sample n is real iff frame ⌊n/s⌋ is):
/// a product with ones [1, 1, 1, s], so the graph holds no per-sample constant (where the frame mask is itself a
/// constant, fold-constants may still fold the first stages' masks). With a mask of ones this is the unmasked
/// generator, value for value.
/// </para>
/// </summary>
internal sealed class HifiGanGenerator(WeightNodes w, string prefix, int inChannels, int initialChannels,
    int[] upsampleRates, int[] upsampleKernels, int[] resblockKernels, int[][] resblockDilations, int ginChannels)
{
    /// <param name="x">[1, inChannels, F]; masked here, so it may hold anything past the end.</param>
    /// <param name="g">the conditioning [1, gin, 1], or null.</param>
    /// <param name="frameMask">[1, 1, F]: 1 for the utterance's frames, 0 past its end.</param>
    public Node Build(Node x, Node? g, Node frameMask)
    {
        int frames = x.Shape[-1].Value;
        if (frameMask.Shape.Rank != 3 || frameMask.Shape[-1].Value != frames)
            throw new ArgumentException($"the frame mask must be [1, 1, {frames}], got {frameMask.Type}", nameof(frameMask));
        var mask = frameMask;
        x = Layers.Conv1d(w, prefix + ".conv_pre", Nn.Mul(x, mask), inChannels, initialChannels, 7, padding: 3);
        if (g is not null) x = Nn.Add(x, Layers.Conv1d(w, prefix + ".cond", g, ginChannels, initialChannels, 1));
        int ch = initialChannels, scale = 1;
        for (int i = 0; i < upsampleRates.Length; i++)
        {
            int u = upsampleRates[i], k = upsampleKernels[i];
            x = Nn.Mul(Nn.LeakyRelu(x, negativeSlope: 0.1f), mask);
            x = Layers.ConvTranspose1d(w, $"{prefix}.ups.{i}", x, ch, ch / 2, k, u, (k - u) / 2);
            ch /= 2;
            scale *= u;
            mask = RepeatFrames(frameMask, scale);
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

    /// <summary>
    /// [B, 1, F] → [B, 1, F·<paramref name="scale"/>], each frame's value repeated <paramref name="scale"/> times:
    /// reshape [B, 1, F, 1] × ones [1, 1, 1, s] → reshape. Exact for any values (a product with 1).
    /// </summary>
    public static Node RepeatFrames(Node frameMask, int scale)
    {
        if (scale == 1) return frameMask;
        int batch = frameMask.Shape[0].Value, frames = frameMask.Shape[-1].Value;
        var spread = Nn.Mul(Nn.Reshape(frameMask, [batch, 1, frames, 1]), Nn.Full(1f, shape: [1, 1, 1, scale]));
        return Nn.Reshape(spread, [batch, 1, frames * scale]);
    }

    /// <summary>
    /// ResBlock1 with x_mask on both convs' inputs. PyTorch's block also masks its output; that product is left out,
    /// since whatever reads the output past the end (the next block, the stage mean, the next stage) masks it again
    /// before any conv, so no kept sample depends on it.
    /// </summary>
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
        return x;
    }
}
