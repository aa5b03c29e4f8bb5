using VoxTile.IR;

namespace VoxTile.Lowering.Rules.Decompose;

/// <summary>
/// MeloTTS's generate_path (spec §4.4) from device ops, for a static number of output frames: there is no nn op for
/// it, so the synthesizer graph is built with this instead of a host loop.
/// <c>cum</c> = cumsum of the durations (fp32, exact for integer frame counts; <see cref="DecomposeCumsum"/> makes
/// it matmuls); phone i owns frames cum[i−1] ≤ j &lt; cum[i], i.e. lt(j, cum[i]) − lt(j, cum[i−1]) with cum shifted
/// by one phone (cum[−1] = 0); the path is then masked by x_mask[i]·y_mask[j], y_mask[j] = j &lt; max(1, Σ durations).
/// </summary>
public static class AlignmentPath
{
    /// <param name="durations">w_ceil [B, 1, Tx]: whole frame counts per phone (already masked, as MeloTTS computes them).</param>
    /// <param name="xMask">[B, 1, Tx] phone mask.</param>
    /// <param name="yMaxFrames">Ty, the frame axis of the result (the graph's static bound on Σ durations).</param>
    /// <returns>attn [B, 1, Ty, Tx].</returns>
    public static Node Build(Node durations, Node xMask, int yMaxFrames)
    {
        if (durations.Shape.Rank != 3 || !durations.Shape[2].IsFixed)
            throw new VoxTileException($"generate_path needs durations [B, 1, Tx] with a fixed Tx, got {durations.Type}");
        if (yMaxFrames < 1) throw new VoxTileException($"generate_path needs at least one output frame, got {yMaxFrames}");
        int tx = durations.Shape[2].Value;
        int b = Shapes.ReshapeSizes([durations.Shape[0]])![0];

        var cum = Nn.Cumsum(durations, axis: -1);                              // [B, 1, Tx]
        var before = Nn.Slice(Nn.Pad(cum, left: 1), -1, 0, end: tx);           // cum[i − 1], 0 for the first phone
        var frame = Consts.Iota(1, 1, yMaxFrames, 1);                          // j as [1, 1, Ty, 1]
        var path = Nn.Sub(
            Nn.Less(frame, Nn.Reshape(cum, [b, 1, 1, tx])),
            Nn.Less(frame, Nn.Reshape(before, [b, 1, 1, tx])));                  // [B, 1, Ty, Tx]

        var frames = Nn.Maximum(Nn.Slice(cum, -1, tx - 1, end: tx), Nn.Full(1f, shape: [1, 1, 1])); // y_len [B, 1, 1]
        var yMask = Nn.Less(frame, Nn.Reshape(frames, [b, 1, 1, 1]));            // [B, 1, Ty, 1]
        var attnMask = Nn.Mul(Nn.Reshape(xMask, [b, 1, 1, tx]), yMask);          // [B, 1, Ty, Tx]
        return Nn.Mul(path, attnMask);
    }
}
