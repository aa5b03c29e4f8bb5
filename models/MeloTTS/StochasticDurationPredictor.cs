using VoxTile.IR;
using VoxTile.Models.OpenVoice;
using VoxTile.Models.Parameters;

namespace VoxTile.Models.MeloTTS;

/// <summary>
/// sdp in reverse (inference): a conditioning stack (pre + cond(g), DDSConv, proj) and, from scaled noise [1, 2, Tx],
/// the flows 8 … 2 and 0 inverted — Flip, ConvFlow (rational-quadratic spline), …, ElementwiseAffine. flows.1 is
/// skipped as in VITS ("useless vflow"); its weights and post_* are training-only. The width is hidden_channels.
/// </summary>
internal static class StochasticDurationPredictor
{
    public const int Kernel = 3, DdsLayers = 3, Bins = 10;
    public const float TailBound = 5f;

    /// <param name="noise">the standard-normal draw [1, 2, Tx].</param>
    /// <returns>logw [1, 1, Tx].</returns>
    public static Node Build(WeightNodes w, Node x, Node mask, Node g, Node noise, float noiseScaleW, int channels, int ginChannels)
    {
        const string p = "sdp";
        var h = Nn.Add(Layers.Conv1d(w, p + ".pre", x, channels, channels, 1), Layers.Conv1d(w, p + ".cond", g, ginChannels, channels, 1));
        h = DdsConv(w, p + ".convs", h, mask, null, channels);
        h = Nn.Mul(Layers.Conv1d(w, p + ".proj", h, channels, channels, 1), mask);

        var z = Nn.Scale(noise, factor: noiseScaleW);
        foreach (int i in new[] { 7, 5, 3 })
            z = ConvFlowReverse(w, $"{p}.flows.{i}", Nn.Flip(z, axis: 1), mask, h, channels);
        z = Nn.Flip(z, axis: 1);
        // ElementwiseAffine⁻¹: (z − m)·exp(−logs) ⊙ mask, m and logs [2, 1].
        var m = w.Get(p + ".flows.0.m", [2, 1], WeightInit.Zeros);
        var logs = w.Get(p + ".flows.0.logs", [2, 1], WeightInit.Zeros);
        z = Nn.Mul(Nn.Mul(Nn.Sub(z, m), Nn.Exp(Nn.Neg(logs))), mask);
        return Layers.Channels(z, 0, 1);
    }

    /// <summary>DDSConv: per layer a depthwise dilated k3 conv (dilation 3ⁱ), LN, GELU, 1×1 conv, LN, GELU, residual.</summary>
    private static Node DdsConv(WeightNodes w, string p, Node x, Node mask, Node? g, int channels)
    {
        if (g is not null) x = Nn.Add(x, g);
        for (int i = 0, d = 1; i < DdsLayers; i++, d *= Kernel)
        {
            var y = Layers.Conv1d(w, $"{p}.convs_sep.{i}", Nn.Mul(x, mask), channels, channels, Kernel, dilation: d, padding: (Kernel * d - d) / 2, groups: channels);
            y = Nn.Gelu(MeloLayers.ChannelNorm(w, $"{p}.norms_1.{i}", y, channels));
            y = Layers.Conv1d(w, $"{p}.convs_1x1.{i}", y, channels, channels, 1);
            y = Nn.Gelu(MeloLayers.ChannelNorm(w, $"{p}.norms_2.{i}", y, channels));
            x = Nn.Add(x, y);
        }
        return Nn.Mul(x, mask);
    }

    /// <summary>ConvFlow⁻¹ on [1, 2, T]: channel 0 conditions (through a DDSConv that also adds <paramref name="cond"/>) a spline that inverts channel 1.</summary>
    private static Node ConvFlowReverse(WeightNodes w, string p, Node z, Node mask, Node cond, int channels)
    {
        var x0 = Layers.Channels(z, 0, 1);
        var x1 = Layers.Channels(z, 1, 2);
        var h = Layers.Conv1d(w, p + ".pre", x0, 1, channels, 1);
        h = DdsConv(w, p + ".convs", h, mask, cond, channels);
        h = Nn.Mul(Layers.Conv1d(w, p + ".proj", h, channels, 3 * Bins - 1, 1), mask);
        var scale = Nn.Full((float)Math.Sqrt(channels), shape: []);
        var widths = Nn.Div(Layers.Channels(h, 0, Bins), scale);
        var heights = Nn.Div(Layers.Channels(h, Bins, 2 * Bins), scale);
        var derivatives = Layers.Channels(h, 2 * Bins, 3 * Bins - 1);
        x1 = RationalQuadraticSpline.Inverse(x1, widths, heights, derivatives, TailBound);
        return Nn.Mul(Nn.Concat([x0, x1], 1), mask);
    }
}
