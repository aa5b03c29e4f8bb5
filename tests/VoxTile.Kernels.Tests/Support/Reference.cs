using VoxTile.Runtime.Native;

namespace VoxTile.Kernels.Tests.Support;

/// <summary>fp64 references for the GEMM-shaped kernels, in the device math: operands rounded to bf16 in bf16 math.</summary>
public static class Reference
{
    public static double Activate(VtActivation a, float slope, double x) => a switch
    {
        VtActivation.Relu => Math.Max(x, 0),
        VtActivation.LeakyRelu => x < 0 ? slope * x : x,
        VtActivation.Tanh => Math.Tanh(x),
        VtActivation.Sigmoid => 1 / (1 + Math.Exp(-x)),
        _ => x,
    };

    /// <summary>
    /// conv1d over channels-last x [N, L, Cin] with w [Cout, Cin/g, K]: the output (before storing) and, per output,
    /// the sum of |terms| that bounds the fp32 accumulation error.
    /// </summary>
    public static (double[] Y, double[] Magnitude) Conv1d(float[] x, int n, int l, int cin, float[] w, int cout, int k, int groups,
        float[]? bias, float[]? residual, VtConv1dParams p, bool bf16Math)
    {
        int cing = cin / groups, coutg = cout / groups;
        int lout = (l + p.PadLeft + p.PadRight - p.Dilation * (k - 1) - 1) / p.Stride + 1;
        bool gate = p.Activation == VtActivation.GatedTanhSigmoid;
        int co = gate ? cout / 2 : cout;
        var y = new double[n * lout * co];
        var mag = new double[y.Length];
        var pre = new double[cout];
        var pm = new double[cout];
        for (var b = 0; b < n; b++)
            for (var lo = 0; lo < lout; lo++)
            {
                for (var oc = 0; oc < cout; oc++)
                {
                    int g = oc / coutg;
                    double acc = 0, m = 0;
                    for (var kk = 0; kk < k; kk++)
                    {
                        int li = lo * p.Stride + kk * p.Dilation - p.PadLeft;
                        if (li < 0 || li >= l) continue;
                        for (var ci = 0; ci < cing; ci++)
                        {
                            var xv = (float)Activate(p.InputActivation, p.InputSlope, x[(b * l + li) * cin + g * cing + ci]);
                            var wv = w[(oc * cing + ci) * k + kk];
                            if (bf16Math) { xv = Formats.Bf16(xv); wv = Formats.Bf16(wv); }
                            acc += (double)xv * wv;
                            m += Math.Abs((double)xv * wv);
                        }
                    }
                    pre[oc] = acc + (bias?[oc] ?? 0);
                    pm[oc] = m + Math.Abs(bias?[oc] ?? 0);
                }
                for (var oc = 0; oc < co; oc++)
                {
                    var at = (b * lout + lo) * co + oc;
                    y[at] = gate ? Math.Tanh(pre[oc]) / (1 + Math.Exp(-pre[oc + co])) : Activate(p.Activation, p.Slope, pre[oc]);
                    mag[at] = gate ? pm[oc] + pm[oc + co] : pm[oc];
                    if (residual is not null) y[at] += residual[at];
                }
            }
        return (y, mag);
    }

    /// <summary>Asserts |got - want| ≤ 2e-6·magnitude (+ half a bf16 step when stored as bf16).</summary>
    public static void AssertClose(float[] got, double[] want, double[] magnitude, VtDtype stored, string what)
    {
        Assert.Equal(want.Length, got.Length);
        for (var i = 0; i < got.Length; i++)
        {
            var tol = 2e-6 * magnitude[i] + 1e-6 + (stored == VtDtype.Bf16 ? Math.Abs(want[i]) / 256 : 0);
            if (!(Math.Abs(got[i] - want[i]) <= tol))
                Assert.Fail($"{what}: [{i}] = {got[i]}, want {want[i]} (tolerance {tol:E2})");
        }
    }
}
