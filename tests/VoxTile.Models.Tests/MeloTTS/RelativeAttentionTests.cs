using VoxTile.IR;
using VoxTile.IR.Interp;
using VoxTile.IR.Ops.Graph;
using VoxTile.Models.MeloTTS;
using VoxTile.Models.Parameters;

namespace VoxTile.Models.Tests.MeloTTS;

/// <summary>
/// The relative-position attention's skew walk against the closed form of spec §4.2 computed directly in doubles:
/// S[i,j] = q̂ᵢ·kⱼ + q̂ᵢ·Ek[j−i+4] (|j−i| ≤ 4), masked −1e4, P = softmax, O = P·V + Σ P[i,j]·Ev[j−i+4], then conv_o.
/// Lengths below, at and above the window, and a mask with padded positions.
/// </summary>
public sealed class RelativeAttentionTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 0)]
    [InlineData(4, 0)]
    [InlineData(5, 1)]
    [InlineData(9, 0)]
    [InlineData(13, 3)]
    [InlineData(40, 7)]
    public void MatchesTheClosedForm(int t, int padded)
    {
        const int channels = 8, heads = 2, d = channels / heads, w = RelativeAttention.Window;
        var weights = new RandomParameters(t * 31 + padded);
        var nodes = new WeightNodes(weights);
        var x = Input.Create("x", TensorType.F32(1, channels, t));
        var m = Input.Create("m", TensorType.F32(1, 1, t, t));
        var y = RelativeAttention.Build(nodes, "a", x, m, channels, heads);
        var xs = new Tensor([1, channels, t]);
        var rng = new Random(t);
        for (int i = 0; i < xs.Length; i++) xs.Data[i] = (float)(rng.NextDouble() * 2 - 1);
        int valid = t - padded;
        var ms = new Tensor([1, 1, t, t]);
        for (int i = 0; i < valid; i++)
            for (int j = 0; j < valid; j++) ms.Data[i * t + j] = 1;
        var actual = Interpreter.Run(Graph.Create("attn", [x, m], [y]), [xs, ms])[0];

        double[,] Conv(string name, double[,] input)
        {
            var wt = weights.Get(name + ".weight", [channels, channels, 1]);
            var b = weights.Get(name + ".bias", [channels], fanIn: channels);
            var r = new double[channels, t];
            for (int o = 0; o < channels; o++)
                for (int s = 0; s < t; s++)
                {
                    double acc = b.Data[o];
                    for (int c = 0; c < channels; c++) acc += wt.Data[o * channels + c] * input[c, s];
                    r[o, s] = acc;
                }
            return r;
        }
        var xin = new double[channels, t];
        for (int c = 0; c < channels; c++)
            for (int s = 0; s < t; s++) xin[c, s] = xs.Data[c * t + s];
        var q = Conv("a.conv_q", xin);
        var k = Conv("a.conv_k", xin);
        var v = Conv("a.conv_v", xin);
        var ek = weights.Get("a.emb_rel_k", [1, 2 * w + 1, d]).Data;
        var ev = weights.Get("a.emb_rel_v", [1, 2 * w + 1, d]).Data;
        var o = new double[channels, t];
        for (int h = 0; h < heads; h++)
            for (int i = 0; i < t; i++)
            {
                var s = new double[t];
                for (int j = 0; j < t; j++)
                {
                    double acc = 0;
                    for (int e = 0; e < d; e++)
                    {
                        double qi = q[h * d + e, i] / Math.Sqrt(d);
                        acc += qi * k[h * d + e, j];
                        if (Math.Abs(j - i) <= w) acc += qi * ek[(j - i + w) * d + e];
                    }
                    s[j] = ms.Data[i * t + j] == 0 ? -1e4 : acc;
                }
                double max = s.Max(), sum = s.Sum(z => Math.Exp(z - max));
                for (int e = 0; e < d; e++)
                {
                    double acc = 0;
                    for (int j = 0; j < t; j++)
                    {
                        double p = Math.Exp(s[j] - max) / sum;
                        acc += p * v[h * d + e, j];
                        if (Math.Abs(j - i) <= w) acc += p * ev[(j - i + w) * d + e];
                    }
                    o[h * d + e, i] = acc;
                }
            }
        var expected = Conv("a.conv_o", o);
        for (int c = 0; c < channels; c++)
            for (int s = 0; s < t; s++)
                Assert.True(Math.Abs(expected[c, s] - actual.Data[c * t + s]) <= 1e-5 * (1 + Math.Abs(expected[c, s])),
                    $"T {t}: channel {c}, step {s}: {actual.Data[c * t + s]} vs {expected[c, s]}");
    }
}
