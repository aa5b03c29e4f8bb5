using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.IR.Tests.Support;
using Tt = VoxTile.IR.Ttnn;

namespace VoxTile.IR.Tests.Ops.Ttnn;

/// <summary>ttnn.softmax and ttnn.layer_norm.</summary>
public sealed class TtnnNormTests
{
    public sealed record Case(int[] Shape, int Dim, int AffineForm, int Seed)
    {
        public override string ToString() => $"Case({TtnnCheck.Show(Shape)}, dim {Dim}, affine form {AffineForm}, seed {Seed})";
    }

    internal static Gen<Case> Cases =>
        from shape in TtnnCheck.Shape(1, 4, 6)
        from dim in Gen.Choose(-shape.Length, shape.Length - 1)
        from form in Gen.Choose(0, 3)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select new Case(shape, dim, form, seed);

    [Property(MaxTest = 100)]
    public Property SoftmaxMatchesTheDefinition() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var x = new Rng(c.Seed).Uniform(-30, 30, c.Shape);
        var y = TtnnCheck.Run(n => Tt.Softmax(n[0], dim: c.Dim), TtnnCheck.F32Types(x), x);
        int axis = c.Dim < 0 ? c.Dim + c.Shape.Length : c.Dim;
        var expected = Nd.Map(c.Shape, idx =>
        {
            var at = (int[])idx.Clone();
            double max = double.NegativeInfinity, sum = 0;
            for (at[axis] = 0; at[axis] < c.Shape[axis]; at[axis]++) max = Math.Max(max, x[at]);
            for (at[axis] = 0; at[axis] < c.Shape[axis]; at[axis]++) sum += Math.Exp(x[at] - max);
            return Math.Exp(x[idx] - max) / sum;
        });
        Near.Elementwise(y, expected, 1e-5, 1e-7, c.ToString());
    });

    /// <summary>ttnn.layer_norm over the last dim, with weight/bias as [W], [1, W] or [1, 1, 1, W], equals nn.layer_norm(axis −1).</summary>
    [Property(MaxTest = 100)]
    public Property LayerNormEqualsNnLayerNorm() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var rng = new Rng(c.Seed);
        int w = c.Shape[^1];
        var x = rng.Normal(c.Shape);
        var g = rng.Normal(w);
        var b = rng.Normal(w);
        bool affine = c.AffineForm > 0;
        Tensor[] values = affine ? [x, g, b] : [x];
        var want = TtnnCheck.Run(n => Nn.LayerNorm(n[0], affine ? n[1] : null, affine ? n[2] : null, axis: -1, eps: 1e-5f), TtnnCheck.F32Types(values), values);
        Node Param(Node p) => c.AffineForm switch { 2 => Tt.Reshape(p, [1, w]), 3 => Tt.Reshape(p, [1, 1, 1, w]), _ => p };
        var got = TtnnCheck.Run(n => Tt.LayerNorm(n[0], 1e-5f, weight: affine ? Param(n[1]) : null, bias: affine ? Param(n[2]) : null), TtnnCheck.F32Types(values), values);
        TtnnCheck.Close(got, want, 0, c.ToString());
    });

    /// <summary>VITS's channel LayerNorm of [B, C, T] (nn.layer_norm axis 1) lowers to a permute around ttnn.layer_norm.</summary>
    [Property(MaxTest = 50)]
    public Property ChannelNormIsAPermuteAroundLayerNorm() => Prop.ForAll(Gen.Choose(1, 2).ToArbitrary(), Gen.Choose(1, 8).ToArbitrary(), Gen.Choose(1, 9).ToArbitrary(), (b, ch, t) =>
    {
        var rng = new Rng(b * 100 + ch * 10 + t);
        var x = rng.Normal(b, ch, t);
        var g = rng.Normal(ch);
        var beta = rng.Normal(ch);
        var types = TtnnCheck.F32Types(x, g, beta);
        var want = TtnnCheck.Run(n => Nn.LayerNorm(n[0], n[1], n[2], axis: 1, eps: 1e-4f), types, x, g, beta);
        var got = TtnnCheck.Run(n => Tt.Permute(Tt.LayerNorm(Tt.Permute(n[0], [0, 2, 1]), 1e-4f, weight: n[1], bias: n[2]), [0, 2, 1]), types, x, g, beta);
        TtnnCheck.Close(got, want, 1e-6, $"[{b},{ch},{t}]");
    });

    [Fact]
    public void RejectsBadOperands()
    {
        Assert.Contains("dim", BadType.Expect(new Softmax { Dim = 2 }, TtnnCheck.F32(2, 3)));
        Assert.Contains("float", BadType.Expect(new Softmax(), TtnnCheck.Of(DType.U32, 2, 3)));
        Assert.Contains("weight", BadType.Expect(new LayerNorm { Epsilon = 1e-5f }, TtnnCheck.F32(2, 3), TtnnCheck.F32(2)));
        Assert.Contains("weight", BadType.Expect(new LayerNorm { Epsilon = 1e-5f }, TtnnCheck.F32(2, 3), TtnnCheck.F32(2, 3)));
        Assert.Contains("bias", BadType.Expect(new LayerNorm { Epsilon = 1e-5f }, TtnnCheck.F32(2, 3), TtnnCheck.F32(3), TtnnCheck.F32(1, 4)));
        Assert.Contains("epsilon", BadType.Expect(new LayerNorm { Epsilon = -1 }, TtnnCheck.F32(2, 3)));
        Assert.Contains("epsilon", BadType.Expect(new LayerNorm { Epsilon = float.NaN }, TtnnCheck.F32(2, 3)));
    }
}
