using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR.Ops.Random;
using VoxTile.IR.Tests.Support;

namespace VoxTile.IR.Tests.Ops.Random;

public sealed class RandnLikeTests
{
    [Property(MaxTest = 40)]
    public Property HasTheShapeOfItsOperandAndIsDeterministic() => Prop.ForAll(
        Gen.Choose(1, 6).ArrayOf().Where(a => a.Length <= 4).Select(a => a).ToArbitrary(), Gen.Choose(int.MinValue, int.MaxValue).ToArbitrary(), (shape, seed) =>
    {
        var like = Tensor.Full(shape, float.NaN); // only the shape of the operand matters
        var a = OneNode.Run(n => Nn.RandnLike(n[0], seed: seed), like);
        var b = OneNode.Run(n => Nn.RandnLike(n[0], seed: seed), like);
        Near.Exact(a, b, $"seed {seed}");
        Assert.All(a.Data, v => Assert.True(float.IsFinite(v)));
    });

    [Fact]
    public void DiffersAcrossSeeds()
    {
        var like = new Tensor([1, 4, 64]);
        var draws = new[] { 0L, 1L, 2L, -1L, long.MaxValue }.Select(s => OneNode.Run(n => Nn.RandnLike(n[0], seed: s), like)).ToArray();
        for (int i = 0; i < draws.Length; i++)
            for (int j = i + 1; j < draws.Length; j++)
                Assert.True(draws[i].Data.Zip(draws[j].Data).Count(p => p.First == p.Second) < 4, $"draws {i} and {j} agree");
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1234L)]
    public void IsStandardNormalOn100kSamples(long seed)
    {
        var y = OneNode.Run(n => Nn.RandnLike(n[0], seed: seed), new Tensor([1, 100_000]));
        double mean = y.Data.Average(v => (double)v);
        double var = y.Data.Average(v => (v - mean) * (v - mean));
        double tail = y.Data.Count(v => Math.Abs(v) > 1.959964) / (double)y.Length;
        // Standard errors: mean 0.0032, variance 0.0045, two-sided 5 % tail 0.0007; the bounds are about 5σ.
        Assert.InRange(mean, -0.016, 0.016);
        Assert.InRange(var, 0.977, 1.023);
        Assert.InRange(tail, 0.0465, 0.0535);
    }

    [Fact]
    public void AcceptsAnyOperandAndGivesF32()
    {
        // randn_like has no invalid operand type: every shape, symbolic or not, and any dtype gives an f32 draw of that shape.
        var t = new TensorType(DType.BF16, new Shape([1, 192, Dim.Sym("T")]));
        var r = BadType.NeverThrows(new RandnLike { Seed = 7 }, t);
        Assert.Equal(TensorType.F32(t.Shape), r.Type);
    }
}
