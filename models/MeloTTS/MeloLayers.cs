using VoxTile.IR;
using VoxTile.Models.OpenVoice;
using VoxTile.Models.Parameters;

namespace VoxTile.Models.MeloTTS;

/// <summary>The layers MeloTTS adds to the VITS set the converter uses (<see cref="Layers"/>).</summary>
internal static class MeloLayers
{
    /// <summary>VITS's channel LayerNorm (modules.LayerNorm: <c>gamma</c>, <c>beta</c>) over axis 1 of [B, C, T], eps 1e-5.</summary>
    public static Node ChannelNorm(WeightNodes w, string prefix, Node x, int channels) =>
        Nn.LayerNorm(x, w.Get(prefix + ".gamma", [channels], WeightInit.Ones), w.Get(prefix + ".beta", [channels], WeightInit.Zeros), axis: 1);

    /// <summary>nn.Embedding <c>{prefix}.weight</c> [rows, dim]: ids [...] (fp32) → [..., dim].</summary>
    public static Node Embedding(WeightNodes w, string prefix, Node ids, int rows, int dim) =>
        Nn.Embedding(ids, w.Get(prefix + ".weight", [rows, dim], fanIn: dim));

    /// <summary>nn.Conv1d whose zero padding may differ left and right (MeloTTS's "same" padding of the FFN convs).</summary>
    public static Node Conv1d(WeightNodes w, string prefix, Node x, int inCh, int outCh, int kernel, int padLeft, int padRight)
    {
        var weight = w.Get(prefix + ".weight", [outCh, inCh, kernel]);
        var bias = w.Get(prefix + ".bias", [outCh], fanIn: inCh * kernel);
        return Nn.Conv1d(x, weight, bias: bias, padding: padLeft, paddingRight: padLeft == padRight ? null : padRight);
    }

    /// <summary>
    /// A 0/1 mask [B, 1, L] (from lengths [B, 1, 1]) of the first <c>length·scale</c> positions of <paramref name="like"/>'s last axis, for an
    /// integer <paramref name="length"/>. When <c>scale</c> divides L it is the mask of the first <c>length</c> of
    /// L/scale frames repeated <c>scale</c> times (n &lt; length·scale iff ⌊n/scale⌋ &lt; length), so the graph holds
    /// an index constant per frame, not per position.
    /// </summary>
    public static Node PrefixMask(Node length, int scale, Node like) => PrefixMask(length, scale, like.Shape[-1].Value);

    private static Node PrefixMask(Node length, int scale, int len)
    {
        if (scale > 1 && len % scale == 0) return HifiGanGenerator.RepeatFrames(PrefixMask(length, 1, len / scale), scale);
        var limit = scale == 1 ? length : Nn.Scale(length, factor: scale);
        return Nn.Less(Nn.Reshape(Nn.Arange(len), [1, 1, len]), limit);
    }

    /// <summary>The fixed size of axis <paramref name="axis"/>; the MeloTTS graphs are built for fixed phoneme and frame counts.</summary>
    public static int Fixed(Node x, int axis) =>
        x.Shape[axis].IsFixed ? x.Shape[axis].Value : throw new InvalidOperationException($"{x} needs a fixed size on axis {axis}");
}
