using VoxTile.IR;
using VoxTile.Models.OpenVoice;
using VoxTile.Models.Parameters;

namespace VoxTile.Models.MeloTTS;

/// <summary>
/// VITS's self-attention with relative positions (attentions.MultiHeadAttention, window 4, embeddings shared by the
/// heads). The relative terms use the reference's pad/reshape/slice walk between the relative [T, 2T−1] and absolute
/// [T, T] layouts, which needs nothing beyond pads, reshapes, slices and matmuls. Masked scores are −1e4, not −∞, as in
/// masked_fill; a masked key therefore adds an exact zero to every unmasked row's softmax.
/// </summary>
internal static class RelativeAttention
{
    public const int Window = 4;

    /// <param name="scoreMask">[1, 1, T, T], 1 where both positions are valid.</param>
    public static Node Build(WeightNodes w, string p, Node x, Node scoreMask, int channels, int heads)
    {
        int t = MeloLayers.Fixed(x, 2), d = channels / heads;
        var q = Layers.Conv1d(w, p + ".conv_q", x, channels, channels, 1);
        var k = Layers.Conv1d(w, p + ".conv_k", x, channels, channels, 1);
        var v = Layers.Conv1d(w, p + ".conv_v", x, channels, channels, 1);
        Node Split(Node c) => Nn.Transpose(Nn.Reshape(c, [1, heads, d, t]), [0, 1, 3, 2]); // [1, h, T, d], head-major channels
        var qs = Nn.Div(Split(q), Nn.Full((float)Math.Sqrt(d), shape: []));
        var ks = Split(k);
        var vs = Split(v);

        var relK = RelativeEmbeddings(w.Get(p + ".emb_rel_k", [1, 2 * Window + 1, d]), t, d);
        var scores = Nn.MatMul(qs, Nn.Transpose(ks, [0, 1, 3, 2]));
        scores = Nn.Add(scores, RelativeToAbsolute(Nn.MatMul(qs, Nn.Transpose(relK, [0, 2, 1])), heads, t));
        scores = Nn.Where(scoreMask, scores, Nn.Full(-1e4f, shape: []));
        var probs = Nn.Softmax(scores, axis: -1);

        var relV = RelativeEmbeddings(w.Get(p + ".emb_rel_v", [1, 2 * Window + 1, d]), t, d);
        var o = Nn.MatMul(probs, vs);
        o = Nn.Add(o, Nn.MatMul(AbsoluteToRelative(probs, heads, t), relV));
        o = Nn.Reshape(Nn.Transpose(o, [0, 1, 3, 2]), [1, channels, t]);
        return Layers.Conv1d(w, p + ".conv_o", o, channels, channels, 1);
    }

    /// <summary>The [1, 2T−1, d] embeddings of offsets −(T−1) … T−1: the 2·window+1 learned rows, zero outside the window.</summary>
    private static Node RelativeEmbeddings(Node e, int t, int d)
    {
        int pad = Math.Max(t - (Window + 1), 0);
        int start = Math.Max(Window + 1 - t, 0);
        if (pad > 0)
        {
            var zeros = Nn.Full(0f, shape: [1, pad, d]);
            e = Nn.Concat([zeros, e, zeros], 1);
        }
        return start == 0 && pad > 0 ? e : Nn.Slice(e, 1, start, end: start + 2 * t - 1);
    }

    /// <summary>[1, h, T, 2T−1] indexed by (i, j − i + T − 1) → [1, h, T, T] indexed by (i, j).</summary>
    private static Node RelativeToAbsolute(Node x, int heads, int t)
    {
        x = Nn.Pad(x, right: 1);
        x = Nn.Reshape(x, [1, heads, 2 * t * t]);
        x = Nn.Pad(x, right: t - 1);
        x = Nn.Reshape(x, [1, heads, t + 1, 2 * t - 1]);
        x = Nn.Slice(x, 2, 0, end: t);
        return Nn.Slice(x, 3, t - 1);
    }

    /// <summary>[1, h, T, T] indexed by (i, j) → [1, h, T, 2T−1] indexed by (i, j − i + T − 1).</summary>
    private static Node AbsoluteToRelative(Node x, int heads, int t)
    {
        x = Nn.Pad(x, right: t - 1);
        x = Nn.Reshape(x, [1, heads, t * (2 * t - 1)]);
        x = Nn.Pad(x, left: t);
        x = Nn.Reshape(x, [1, heads, t, 2 * t]);
        return Nn.Slice(x, 3, 1);
    }
}
