using VoxTile.IR;
using VoxTile.Models.OpenVoice;

namespace VoxTile.Models.MeloTTS;

/// <summary>
/// The inverse of the monotonic rational-quadratic spline with linear tails (Durkan et al., VITS transforms.py) in
/// nn ops only, so it can go to a device. Bins lie along axis 1 of [B, K, T]; the bin search is a comparison with the
/// K + 1 knots and a shifted difference, which gives a one-hot over the bins, and each "gather" is a one-hot weighted
/// sum (exact: one term is the value, the rest are zeros). Values outside [−B, B] pass through unchanged; the spline
/// is evaluated on the clamped value so that the branch not taken stays finite.
/// </summary>
internal static class RationalQuadraticSpline
{
    public const double MinBinWidth = 1e-3, MinBinHeight = 1e-3, MinDerivative = 1e-3;

    /// <param name="y">[B, 1, T]</param>
    /// <param name="unnormalizedWidths">[B, K, T]</param>
    /// <param name="unnormalizedHeights">[B, K, T]</param>
    /// <param name="unnormalizedDerivatives">[B, K − 1, T] (the interior knots; the edges get slope 1)</param>
    public static Node Inverse(Node y, Node unnormalizedWidths, Node unnormalizedHeights, Node unnormalizedDerivatives, float tailBound)
    {
        int batch = MeloLayers.Fixed(y, 0), k = MeloLayers.Fixed(unnormalizedWidths, 1), t = MeloLayers.Fixed(y, 2);
        Node Row(float v) => Nn.Full(v, shape: [batch, 1, t]);

        var inside = Nn.Mul(Nn.GreaterEqual(y, Nn.Full(-tailBound, shape: [])), Nn.GreaterEqual(Nn.Full(tailBound, shape: []), y));
        var yc = Nn.Clamp(y, min: -tailBound, max: tailBound);

        var (xs, widths) = Knots(unnormalizedWidths, k, tailBound, MinBinWidth, Row);
        var (ys, heights) = Knots(unnormalizedHeights, k, tailBound, MinBinHeight, Row);
        // Edge derivatives are fixed so that the slope at ±B is 1 and the tails join linearly.
        float edge = (float)Math.Log(Math.Exp(1 - MinDerivative) - 1);
        var derivatives = Nn.Scale(Nn.Softplus(Nn.Concat([Row(edge), unnormalizedDerivatives, Row(edge)], 1)), offset: (float)MinDerivative);

        // Bin index = (number of knots ≤ y) − 1, the top knot raised by 1e-6 as in the reference's searchsorted.
        var search = Nn.Concat([Nn.Slice(ys, 1, 0, end: k), Row(tailBound + 1e-6f)], 1);
        var atOrAbove = Nn.GreaterEqual(yc, search);
        var oneHot = Nn.Sub(Nn.Slice(atOrAbove, 1, 0, end: k), Nn.Slice(atOrAbove, 1, 1, end: k + 1));
        Node Pick(Node v) => Nn.ReduceSum(Nn.Mul(oneHot, v), 1);

        var xk = Pick(Nn.Slice(xs, 1, 0, end: k));
        var wk = Pick(widths);
        var yk = Pick(Nn.Slice(ys, 1, 0, end: k));
        var hk = Pick(heights);
        var delta = Pick(Nn.Div(heights, widths));
        var dk = Pick(Nn.Slice(derivatives, 1, 0, end: k));
        var dk1 = Pick(Nn.Slice(derivatives, 1, 1, end: k + 1));

        var u = Nn.Sub(yc, yk);
        var slopeSum = Nn.Sub(Nn.Add(dk, dk1), Nn.Scale(delta, factor: 2));
        var a = Nn.Add(Nn.Mul(u, slopeSum), Nn.Mul(hk, Nn.Sub(delta, dk)));
        var b = Nn.Sub(Nn.Mul(hk, dk), Nn.Mul(u, slopeSum));
        var c = Nn.Mul(Nn.Neg(delta), u);
        var discriminant = Nn.Sub(Nn.Square(b), Nn.Mul(Nn.Scale(a, factor: 4), c));
        var theta = Nn.Div(Nn.Scale(c, factor: 2), Nn.Sub(Nn.Neg(b), Nn.Sqrt(discriminant)));
        var x = Nn.Add(Nn.Mul(theta, wk), xk);
        return Nn.Where(inside, x, y);
    }

    /// <summary>Knots [B, K + 1, T] from −bound to bound (ends exact) and bin sizes [B, K, T] from softmax-normalised sizes with a floor.</summary>
    private static (Node Knots, Node Sizes) Knots(Node unnormalized, int k, float bound, double minSize, Func<float, Node> row)
    {
        var sizes = Nn.Scale(Nn.Softmax(unnormalized, axis: 1), factor: (float)(1 - minSize * k), offset: (float)minSize);
        var cum = Nn.Cumsum(sizes, axis: 1);
        var inner = Nn.Scale(Nn.Slice(cum, 1, 0, end: k - 1), factor: 2 * bound, offset: -bound);
        var knots = Nn.Concat([row(-bound), inner, row(bound)], 1);
        return (knots, Nn.Sub(Nn.Slice(knots, 1, 1, end: k + 1), Nn.Slice(knots, 1, 0, end: k)));
    }
}
