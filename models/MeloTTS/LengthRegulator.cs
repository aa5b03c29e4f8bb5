using VoxTile.IR;

namespace VoxTile.Models.MeloTTS;

/// <summary>
/// Durations to frames inside the graph, at a static frame bucket F: w_ceil = ceil(exp(logw) ⊙ x_mask · length_scale),
/// the utterance length y_len = max(1, Σ w_ceil) taken from the cumulative durations, y_mask [B, 1, F], and the
/// monotonic path attn [B, 1, F, Tx] (each item of a batch from its own durations) (frame j belongs to phone i when cum[i−1] ≤ j &lt; cum[i]: a comparison with the
/// frame index, then the difference with the same comparison shifted by one phone). Frames at or past y_len have
/// no phone, so the expanded prior is zero there; nothing needs the length on the host. This is MeloTTS's
/// generate_path from device ops (there is no nn op for it); the decompose pass turns its cumsum into exact f32 matmuls.
/// </summary>
public static class LengthRegulator
{
    public sealed record Result(Node Durations, Node Length, Node FrameMask, Node Path);

    /// <param name="logw">[B, 1, Tx]</param>
    /// <param name="xMask">[B, 1, Tx]</param>
    public static Result Build(Node logw, Node xMask, double lengthScale, int frames)
    {
        var w = Nn.Scale(Nn.Mul(Nn.Exp(logw), xMask), factor: (float)lengthScale);
        return FromDurations(Nn.Ceil(w, name: "durations"), xMask, frames);
    }

    /// <param name="durations">whole frames per phone [B, 1, Tx] (zero for masked phones).</param>
    public static Result FromDurations(Node durations, Node xMask, int frames)
    {
        int b = MeloLayers.Fixed(durations, 0), tx = MeloLayers.Fixed(durations, 2);
        var cum = Nn.Cumsum(durations, axis: 2);
        var length = Nn.Maximum(Nn.Slice(cum, 2, tx - 1, end: tx), Nn.Full(1f, shape: []));
        var frameIndex = Nn.Arange(frames);
        var yMask = Nn.Less(Nn.Reshape(frameIndex, [1, 1, frames]), length, name: "y_mask");

        var before = Nn.Less(Nn.Reshape(frameIndex, [1, 1, frames, 1]), Nn.Reshape(cum, [b, 1, 1, tx]));
        var shifted = tx == 1 ? Nn.Full(0f, shape: [b, 1, frames, 1])
            : Nn.Concat([Nn.Full(0f, shape: [b, 1, frames, 1]), Nn.Slice(before, 3, 0, end: tx - 1)], 3);
        var attnMask = Nn.Mul(Nn.Reshape(xMask, [b, 1, 1, tx]), Nn.Reshape(yMask, [b, 1, frames, 1]));
        var path = Nn.Mul(Nn.Sub(before, shifted), attnMask, name: "attn");
        return new Result(durations, length, yMask, path);
    }
}
