using VoxTile.IR;
using VoxTile.Models.OpenVoice;
using VoxTile.Models.Parameters;

namespace VoxTile.Models.MeloTTS;

/// <summary>
/// VITS's self-attention with relative positions (attentions.MultiHeadAttention, window 4, embeddings shared by the
/// heads): S[i,j] = q̂ᵢ·kⱼ + q̂ᵢ·Ek[j−i+4] for |j−i| ≤ 4, O = P·V + Σ_{|j−i|≤4} P[i,j]·Ev[j−i+4]. The reference walks
/// between the relative [T, 2T−1] and absolute [T, T] layouts through a flattened [2T²] row; here only the 9 offsets of
/// the window are kept ([T, 9]) and the walk is a skew by a reshape between two nearly square shapes (see
/// <see cref="BandToAbsolute"/>), so no intermediate is longer than a row of T + 5 and the relative terms cost O(T·9)
/// before the skew. The window's values are the reference's exactly (the walk only moves them). Masked scores are
/// −1e4, not −∞, as in masked_fill; a masked key therefore adds an exact zero to every unmasked row's softmax.
/// </summary>
internal static class RelativeAttention
{
    public const int Window = 4;

    /// <param name="x">[B, channels, T]</param>
    /// <param name="scoreMask">[B, 1, T, T], 1 where both positions are valid.</param>
    public static Node Build(WeightNodes w, string p, Node x, Node scoreMask, int channels, int heads)
    {
        int b = MeloLayers.Fixed(x, 0), t = MeloLayers.Fixed(x, 2), d = channels / heads;
        var q = Layers.Conv1d(w, p + ".conv_q", x, channels, channels, 1);
        var k = Layers.Conv1d(w, p + ".conv_k", x, channels, channels, 1);
        var v = Layers.Conv1d(w, p + ".conv_v", x, channels, channels, 1);
        Node Split(Node c) => Nn.Transpose(Nn.Reshape(c, [b, heads, d, t]), [0, 1, 3, 2]); // [B, h, T, d], head-major channels
        var qs = Nn.Div(Split(q), Nn.Full((float)Math.Sqrt(d), shape: []));
        var ks = Split(k);
        var vs = Split(v);

        var relK = Nn.Reshape(w.Get(p + ".emb_rel_k", [1, 2 * Window + 1, d]), [2 * Window + 1, d]);
        var scores = Nn.MatMul(qs, Nn.Transpose(ks, [0, 1, 3, 2]));
        scores = Nn.Add(scores, BandToAbsolute(Nn.MatMul(qs, Nn.Transpose(relK, [1, 0])), b, heads, t));
        scores = Nn.Where(scoreMask, scores, Nn.Full(-1e4f, shape: []));
        var probs = Nn.Softmax(scores, axis: -1);

        var relV = Nn.Reshape(w.Get(p + ".emb_rel_v", [1, 2 * Window + 1, d]), [2 * Window + 1, d]);
        var o = Nn.MatMul(probs, vs);
        o = Nn.Add(o, Nn.MatMul(AbsoluteToBand(probs, b, heads, t), relV));
        o = Nn.Reshape(Nn.Transpose(o, [0, 1, 3, 2]), [b, channels, t]);
        return Layers.Conv1d(w, p + ".conv_o", o, channels, channels, 1);
    }

    /// <summary>
    /// [B, h, T, 9] indexed by (i, m = j − i + 4) → [B, h, T, T] indexed by (i, j), zero outside the window. Offsets that
    /// fall outside [0, T) are zeroed first. Padded to [n, n + 1] (n = T + 4, at least 8) and read as [n + 1, n] — the
    /// same row-major values — element (i, m) moves to row i, column i + m, i.e. column j + 4: the skew, without a
    /// flattened row.
    /// </summary>
    private static Node BandToAbsolute(Node band, int batch, int heads, int t)
    {
        const int W = Window;
        int n = Side(t);
        band = Nn.Mul(band, Nn.Reshape(InRange(t), [1, 1, t, 2 * W + 1]));
        var x = Nn.Pad(band, right: n + 1 - (2 * W + 1));
        x = Nn.Concat([x, Nn.Full(0f, shape: [batch, heads, n - t, n + 1])], 2);
        x = Nn.Reshape(x, [batch, heads, n + 1, n]);
        return Nn.Slice(Nn.Slice(x, 2, 0, end: t), 3, W, end: W + t);
    }

    /// <summary>
    /// [B, h, T, T] indexed by (i, j) → [B, h, T, 9] indexed by (i, j − i + 4), zero where j is outside [0, T): the
    /// inverse skew. Shifted right by 4 columns into [n + 1, n] and read as [n, n + 1], row i starts at column i − 4 of
    /// the original row i; what wraps past a row's end lands in the next row's zero columns, outside the kept 9.
    /// </summary>
    private static Node AbsoluteToBand(Node x, int batch, int heads, int t)
    {
        const int W = Window;
        int n = Side(t);
        x = Nn.Pad(x, left: W, right: n - t - W);
        x = Nn.Concat([x, Nn.Full(0f, shape: [batch, heads, n + 1 - t, n])], 2);
        x = Nn.Reshape(x, [batch, heads, n, n + 1]);
        return Nn.Slice(Nn.Slice(x, 2, 0, end: t), 3, 0, end: 2 * W + 1);
    }

    /// <summary>The skew's side: every kept column (up to T + 4) and the whole window (9 columns) fit a row.</summary>
    private static int Side(int t) => Math.Max(t + Window, 2 * Window);

    /// <summary>[T, 9]: 1 where offset m − 4 from row i lands inside the sequence (0 ≤ i + m − 4 &lt; T).</summary>
    private static Node InRange(int t)
    {
        const int W = Window;
        var j = Nn.Add(Nn.Reshape(Nn.Arange(t), [t, 1]), Nn.Reshape(Nn.Arange(2 * W + 1), [1, 2 * W + 1]));
        return Nn.Mul(Nn.GreaterEqual(j, Nn.Full(W, shape: [])), Nn.Less(j, Nn.Full(t + W, shape: [])));
    }
}
