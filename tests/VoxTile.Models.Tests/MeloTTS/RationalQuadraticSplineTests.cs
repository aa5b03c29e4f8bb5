using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR;
using VoxTile.IR.Interp;
using VoxTile.IR.Ops.Graph;
using VoxTile.Models.MeloTTS;

namespace VoxTile.Models.Tests.MeloTTS;

/// <summary>
/// The spline inverse built from nn ops against a scalar double-precision transcription of the rational-quadratic spline
/// (transforms.py, spec §4.3), and against its own forward: inverse(forward(x)) = x inside the tails, identity outside.
/// </summary>
public sealed class RationalQuadraticSplineTests
{
    private const int K = 10;
    private const double B = 5;

    [Property(MaxTest = 40)]
    public Property InverseMatchesTheScalarSplineAndUndoesItsForward() => Prop.ForAll(Gen.Choose(0, 100000).ToArbitrary(), seed =>
    {
        const int t = 64;
        var rng = new Random(seed);
        var uw = Draw(rng, K, t, 3);
        var uh = Draw(rng, K, t, 3);
        var ud = Draw(rng, K - 1, t, 3);
        // Points across the knots, at the bounds and in both tails.
        var x = new float[t];
        for (int i = 0; i < t; i++) x[i] = i switch { 0 => -5f, 1 => 5f, 2 => -7.5f, 3 => 6.25f, _ => (float)(rng.NextDouble() * 10.4 - 5.2) };
        var y = new float[t];
        for (int i = 0; i < t; i++) y[i] = (float)Scalar(Column(uw, i, t), Column(uh, i, t), Column(ud, i, t)).Forward(x[i]);

        var got = RunInverse(y, uw, uh, ud, t);

        for (int i = 0; i < t; i++)
        {
            var s = Scalar(Column(uw, i, t), Column(uh, i, t), Column(ud, i, t));
            if (Math.Abs(y[i]) > B) { Assert.Equal(y[i], got[i]); continue; }
            // fp32 knots are off by ~1e-6, which moves the result by that much over the local slope: a lot in x where the
            // spline is flat (derivatives down to 1e-3), a lot in y where it is steep (a 1e-3-wide bin of height ~B). So the
            // graph must agree with the scalar inverse in x or leave a small residual in y, whichever is well conditioned there.
            // The closed-form root also cancels in b² − 4ac when the bin's slope s far exceeds the knot derivatives, which
            // costs fp32 (PyTorch included) about ε·s/δ in θ; a wrong bin or knot would be off by 0.1 or more.
            double want = s.Inverse(y[i]), xErr = Math.Abs(got[i] - want), yErr = Math.Abs(s.Forward(got[i]) - y[i]);
            Assert.True(xErr <= 1e-4 || yErr <= 2e-6, $"point {i}: inverse({y[i]}) = {got[i]}, scalar {want} (x error {xErr:E1}, y residual {yErr:E1})");
            Assert.True(Math.Abs(want - x[i]) <= 1e-3 || Math.Abs(s.Forward(want) - y[i]) <= 1e-9, $"point {i}: the scalar inverse does not undo the forward of {x[i]}");
        }
    });

    private static float[] RunInverse(float[] y, float[] uw, float[] uh, float[] ud, int t)
    {
        var yi = Input.Create("y", TensorType.F32(1, 1, t));
        var wi = Input.Create("uw", TensorType.F32(1, K, t));
        var hi = Input.Create("uh", TensorType.F32(1, K, t));
        var di = Input.Create("ud", TensorType.F32(1, K - 1, t));
        var g = IR.Graph.Create("spline", [yi, wi, hi, di], [RationalQuadraticSpline.Inverse(yi, wi, hi, di, (float)B)]);
        return Interpreter.Run(g, [new([1, 1, t], y), new([1, K, t], uw), new([1, K, t], uh), new([1, K - 1, t], ud)])[0].Data;
    }

    private static float[] Draw(Random rng, int rows, int t, double scale) =>
        [.. Enumerable.Range(0, rows * t).Select(_ => (float)((rng.NextDouble() * 2 - 1) * scale))];

    private static double[] Column(float[] a, int i, int t) => [.. Enumerable.Range(0, a.Length / t).Select(r => (double)a[r * t + i])];

    private sealed record Spline(double[] X, double[] Y, double[] D)
    {
        public double Forward(double x)
        {
            if (x < -B || x > B) return x;
            int k = Bin(X, x);
            double w = X[k + 1] - X[k], h = Y[k + 1] - Y[k], s = h / w, th = (x - X[k]) / w;
            return Y[k] + h * (s * th * th + D[k] * th * (1 - th)) / (s + (D[k] + D[k + 1] - 2 * s) * th * (1 - th));
        }

        public double Inverse(double y)
        {
            if (y < -B || y > B) return y;
            int k = Bin(Y, y);
            double w = X[k + 1] - X[k], h = Y[k + 1] - Y[k], s = h / w, u = y - Y[k], delta = D[k] + D[k + 1] - 2 * s;
            double a = u * delta + h * (s - D[k]), b = h * D[k] - u * delta, c = -s * u;
            return X[k] + w * (2 * c / (-b - Math.Sqrt(b * b - 4 * a * c)));
        }

        private static int Bin(double[] knots, double v)
        {
            int k = 0;
            while (k < K - 1 && v >= knots[k + 1]) k++;
            return k;
        }
    }

    private static Spline Scalar(double[] uw, double[] uh, double[] ud)
    {
        static double[] Knots(double[] u)
        {
            double max = u.Max(), sum = u.Sum(v => Math.Exp(v - max));
            var knots = new double[K + 1];
            knots[0] = -B;
            double acc = 0;
            for (int k = 0; k < K; k++)
            {
                acc += 1e-3 + (1 - 1e-3 * K) * Math.Exp(u[k] - max) / sum;
                knots[k + 1] = k == K - 1 ? B : 2 * B * acc - B;
            }
            return knots;
        }
        var d = new double[K + 1];
        d[0] = d[K] = 1; // the constant edge logits make the slope at ±B exactly 1
        for (int k = 1; k < K; k++) d[k] = 1e-3 + Math.Log(1 + Math.Exp(ud[k - 1]));
        return new Spline(Knots(uw), Knots(uh), d);
    }
}
