using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR.Ops.Norm;
using VoxTile.IR.Tests.Support;
using Xunit.Abstractions;

namespace VoxTile.IR.Tests.Ops.Norm;

public sealed class LayerNormTests(ITestOutputHelper output)
{
    public enum Affine { None, Gamma, GammaBeta }

    public sealed record Case(int[] Shape, int Axis, Affine Affine, float Eps, int Seed)
    {
        public override string ToString() => $"Case({Nd.Show(Shape)}, axis {Axis}, {Affine}, eps {Eps}, seed {Seed})";
    }

    internal static Gen<Case> Cases =>
        from shape in Gen.Choose(1, 7).ArrayOf().Where(a => a.Length is >= 2 and <= 4)
        from axis in Gen.Frequency((2, Gen.Constant(-1)), (2, Gen.Constant(1)), (1, Gen.Choose(-shape.Length, shape.Length - 1)))
        from affine in Gen.Elements(Affine.None, Affine.Gamma, Affine.GammaBeta)
        from eps in Gen.Elements(1e-5f, 1e-3f)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select new Case(shape, axis, affine, eps, seed);

    /// <summary>Normalise over one axis with the biased variance: (x − μ)/√(σ² + ε)·γ + β, μ and σ² per position of the other axes.</summary>
    [Property(MaxTest = 80)]
    public Property MatchesNaiveDefinition() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var rng = new Rng(c.Seed);
        int axis = c.Axis < 0 ? c.Axis + c.Shape.Length : c.Axis, n = c.Shape[axis];
        var x = rng.Normal(c.Shape);
        for (int i = 0; i < x.Data.Length; i++) x.Data[i] = x.Data[i] * 3 + 2; // an offset and a scale to take away
        var gamma = rng.Normal(n);
        var beta = rng.Normal(n);
        var y = c.Affine switch
        {
            Affine.None => OneNode.Run(k => Nn.LayerNorm(k[0], axis: c.Axis, eps: c.Eps), x),
            Affine.Gamma => OneNode.Run(k => Nn.LayerNorm(k[0], gamma: k[1], axis: c.Axis, eps: c.Eps), x, gamma),
            _ => OneNode.Run(k => Nn.LayerNorm(k[0], gamma: k[1], beta: k[2], axis: c.Axis, eps: c.Eps), x, gamma, beta),
        };
        Near.Tensor(y, c.Shape, Nd.Map(c.Shape, i =>
        {
            var j = (int[])i.Clone();
            double mean = 0, var = 0;
            for (j[axis] = 0; j[axis] < n; j[axis]++) mean += x.Data[Nd.Ravel(j, c.Shape)];
            mean /= n;
            for (j[axis] = 0; j[axis] < n; j[axis]++) var += Math.Pow(x.Data[Nd.Ravel(j, c.Shape)] - mean, 2);
            var /= n;
            double v = (x.Data[Nd.Ravel(i, c.Shape)] - mean) / Math.Sqrt(var + c.Eps);
            if (c.Affine != Affine.None) v *= gamma.Data[i[axis]];
            if (c.Affine == Affine.GammaBeta) v += beta.Data[i[axis]];
            return v;
        }), 1e-5, c.ToString());
    });

    [Fact]
    public void RejectsBadOperands()
    {
        Assert.Contains("axis", BadType.Expect(new LayerNorm { Axis = 3 }, TensorType.F32(1, 4, 5)));
        Assert.Contains("axis", BadType.Expect(new LayerNorm { Axis = -4 }, TensorType.F32(1, 4, 5)));
        Assert.Contains("gamma", BadType.Expect(new LayerNorm(), TensorType.F32(1, 4, 5), TensorType.F32(4)));
        Assert.Contains("gamma", BadType.Expect(new LayerNorm { Axis = 1 }, TensorType.F32(1, 4, 5), TensorType.F32(4), TensorType.F32(5)));
        Assert.Contains("gamma", BadType.Expect(new LayerNorm { Axis = 1 }, TensorType.F32(1, 4, 5), TensorType.F32(1, 4)));
    }

    [Fact]
    public void MatchesPyTorchChannelLayerNormGolden()
    {
        if (!GoldenOps.Available(output)) return;
        var x = GoldenOps.Load("ln_x");
        var y = OneNode.Run(n => Nn.LayerNorm(n[0], gamma: n[1], beta: n[2], axis: 1), x, GoldenOps.Load("ln_gamma"), GoldenOps.Load("ln_beta"));
        GoldenOps.AssertClose(y, GoldenOps.Load("ln_y"), "channel layer norm", output);
    }
}
