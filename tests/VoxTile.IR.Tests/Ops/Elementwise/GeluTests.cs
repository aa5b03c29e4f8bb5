using VoxTile.IR.Ops.Elementwise;
using VoxTile.IR.Tests.Support;

namespace VoxTile.IR.Tests.Ops.Elementwise;

public sealed class GeluTests : UnaryOpTests
{
    protected override Op Instance => new Gelu();
    protected override double Lo => -10;
    protected override double Hi => 10;
    protected override double RelTol => 1e-6;
    protected override double AbsTol => 1e-12;

    /// <summary>torch.nn.functional.gelu (approximate = "none"): x·Φ(x) = x/2·(1 + erf(x/√2)).</summary>
    protected override (Node Node, Func<double, double> Naive) Build(Node x, Rng rng) => (Nn.Gelu(x), v => 0.5 * v * (1 + ErfSeries(v / Math.Sqrt(2))));

    /// <summary>
    /// erf by its everywhere-convergent series of positive terms, erf x = 2/√π·e^(−x²)·Σ 2ⁿx^(2n+1)/(1·3·…·(2n+1)), so no
    /// cancellation (independent of the op's Chebyshev fit). 1 + erf x for x ≪ 0 is taken as erfc |x| by the continued fraction.
    /// </summary>
    internal static double ErfSeries(double x)
    {
        double z = Math.Abs(x);
        if (z > 3)
        {
            // erfc z = e^(−z²)/√π · 1/(z + 1/2/(z + 1/(z + 3/2/(z + …)))), Lentz-free backward evaluation.
            double f = z;
            for (int k = 60; k >= 1; k--) f = z + k / 2.0 / f;
            double erfc = Math.Exp(-z * z) / Math.Sqrt(Math.PI) / f;
            return x > 0 ? 1 - erfc : erfc - 1;
        }
        double term = z, sum = z;
        for (int n = 1; n < 200 && term > 1e-18 * sum; n++)
        {
            term *= 2 * z * z / (2 * n + 1);
            sum += term;
        }
        double r = 2 / Math.Sqrt(Math.PI) * Math.Exp(-z * z) * sum;
        return x < 0 ? -r : r;
    }

    [Theory]
    [InlineData(0.5, 0.5204998778130465)]
    [InlineData(1.0, 0.8427007929497149)]
    [InlineData(2.0, 0.9953222650189527)]
    [InlineData(3.5, 0.9999992569016276)]
    public void TheNaiveErfIsErf(double x, double erf)
    {
        Assert.Equal(erf, ErfSeries(x), 1e-14);
        Assert.Equal(-erf, ErfSeries(-x), 1e-14);
    }
}
