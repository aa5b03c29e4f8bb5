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
/// <para>
/// <paramref name="maskPerProduct"/>: each product builds its own repeated mask from the frame mask, right before it,
/// instead of one per stage read by every product. On a Tenstorrent card a per-sample mask [L, 1] is tile-padded to
/// [L, 32], as many bytes as a 16-channel activation (MeloTTS's last stage), and one kept alive across a stage holds
/// that much of every core's L1 from its first product to its last, so the planner spills it (or the activations) to
/// DRAM; rebuilt per product it lives for one op (a product of the small frame mask and a reshape, both in L1), at two
/// ops per product. MeloTTS takes it (5 s on n150: 11.11 → 9.78 ms modeled); the converter, whose last stage has 32
/// channels and whose program is held to issue 11's op budget, does not (the added ops cost it explicit slices:
/// 7.97 → 8.32 ms). Values are the same either way.
/// </para>
/// <para>
/// <paramref name="frameViews"/>: at a rate of a multiple of <see cref="TileRows"/> samples per frame, a product views
/// x [B, C, F·s] as [B, C, F, s] and multiplies it by the frame mask viewed as [B, 1, F, 1], so no per-sample mask is
/// built at all. Channels-last on a Tenstorrent card that is [B, F, s, C] × [B, F, 1, 1]: both reshapes of x keep its
/// tile rows, so TTNN makes them views (no copy), and the mask is one tensor of F tiles read by every product, where a
/// per-sample mask holds as many bytes as a 16-channel activation. Such a stage also masks its input once and keeps its
/// residual adds and sum in that form, so every elementwise operand there is a view. Other rates mask as
/// <paramref name="maskPerProduct"/> says. The output is the same (products with 0 or 1; only samples past the end
/// differ in between, and every conv input has them zeroed); the cpu target's fused convs read a per-sample mask instead.
/// </para>
/// </summary>
internal sealed class HifiGanGenerator(WeightNodes w, string prefix, int inChannels, int initialChannels,
    int[] upsampleRates, int[] upsampleKernels, int[] resblockKernels, int[][] resblockDilations, int ginChannels,
    bool maskPerProduct = false, bool frameViews = false)
{
    /// <summary>TTNN's tile height: a reshape that splits the time axis into frames of a multiple of it keeps every tile row.</summary>
    public const int TileRows = 32;

    /// <param name="x">[B, inChannels, F]; masked here, so it may hold anything past the end.</param>
    /// <param name="g">the conditioning [B, gin, 1] (or [1, gin, 1] for every item), or null.</param>
    /// <param name="frameMask">[B, 1, F]: 1 for each item's frames, 0 past its end.</param>
    public Node Build(Node x, Node? g, Node frameMask)
    {
        int frames = x.Shape[-1].Value;
        if (frameMask.Shape.Rank != 3 || frameMask.Shape[-1].Value != frames || frameMask.Shape[1].Value != 1)
            throw new ArgumentException($"the frame mask must be [B, 1, {frames}], got {frameMask.Type}", nameof(frameMask));
        x = Layers.Conv1d(w, prefix + ".conv_pre", Nn.Mul(x, frameMask), inChannels, initialChannels, 7, padding: 3);
        if (g is not null) x = Nn.Add(x, Layers.Conv1d(w, prefix + ".cond", g, ginChannels, initialChannels, 1));
        int ch = initialChannels, scale = 1;
        var mask = frameMask; // the current rate's repeated mask, shared by its products unless maskPerProduct
        Node Mask() => maskPerProduct ? RepeatFrames(frameMask, scale) : mask;
        Node? frameView = null; // the frame mask as [B, 1, F, 1], made once for every frame-view product
        bool InFrames() => frameViews && scale % TileRows == 0;
        Node Framed(Node t) => Nn.Reshape(t, [t.Shape[0].Value, t.Shape[1].Value, frames, scale]);
        Node Unframed(Node t) => Nn.Reshape(t, [t.Shape[0].Value, t.Shape[1].Value, frames * scale]);
        Node Masked(Node t)
        {
            if (!InFrames()) return Nn.Mul(t, Mask());
            frameView ??= Nn.Reshape(frameMask, [frameMask.Shape[0].Value, 1, frames, 1]);
            return Unframed(Nn.Mul(Framed(t), frameView));
        }
        // The stage's sums in the frame view's form too, so that every elementwise operand already has it (a view each).
        Node Add(Node a, Node b) => InFrames() ? Unframed(Nn.Add(Framed(a), Framed(b))) : Nn.Add(a, b);
        for (int i = 0; i < upsampleRates.Length; i++)
        {
            int u = upsampleRates[i], k = upsampleKernels[i];
            x = Masked(Nn.LeakyRelu(x, negativeSlope: 0.1f));
            x = Layers.ConvTranspose1d(w, $"{prefix}.ups.{i}", x, ch, ch / 2, k, u, (k - u) / 2);
            ch /= 2;
            scale *= u;
            // Masked once here, the stage input is held in the frame view's form alone: the upsampler's output is relaid
            // into it once and freed, instead of living beside that form through the stage. Only samples past the end
            // change, and every product zeroes those before any conv reads them.
            if (InFrames()) x = Masked(x);
            else if (!maskPerProduct) mask = RepeatFrames(frameMask, scale);
            Node? sum = null;
            for (int j = 0; j < resblockKernels.Length; j++)
            {
                var r = ResBlock1(x, Masked, Add, $"{prefix}.resblocks.{i * resblockKernels.Length + j}", ch, resblockKernels[j], resblockDilations[j]);
                sum = sum is null ? r : Add(sum, r);
            }
            x = InFrames() ? Unframed(Nn.Div(Framed(sum!), Nn.Full(resblockKernels.Length, shape: []))) : Nn.Div(sum!, Nn.Full(resblockKernels.Length, shape: []));
        }
        x = Masked(Nn.LeakyRelu(x, negativeSlope: 0.01f));
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
    private Node ResBlock1(Node x, Func<Node, Node> masked, Func<Node, Node, Node> add, string p, int ch, int kernel, int[] dilations)
    {
        for (int j = 0; j < dilations.Length; j++)
        {
            var t = masked(Nn.LeakyRelu(x, negativeSlope: 0.1f));
            t = Layers.Conv1d(w, $"{p}.convs1.{j}", t, ch, ch, kernel, dilation: dilations[j]);
            t = masked(Nn.LeakyRelu(t, negativeSlope: 0.1f));
            t = Layers.Conv1d(w, $"{p}.convs2.{j}", t, ch, ch, kernel);
            x = add(t, x);
        }
        return x;
    }
}
