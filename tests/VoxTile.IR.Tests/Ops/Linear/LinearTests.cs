using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR.Tests.Support;
using LinearOp = VoxTile.IR.Ops.Linear.Linear;

namespace VoxTile.IR.Tests.Ops.Linear;

public sealed class LinearTests
{
    public sealed record Case(int[] Lead, int In, int Out, bool Bias, int Seed)
    {
        public override string ToString() => $"Case(lead [{string.Join(",", Lead)}], in {In}, out {Out}, bias {Bias}, seed {Seed})";
    }

    internal static Gen<Case> Cases =>
        from lead in Gen.Choose(1, 4).ArrayOf().Where(a => a.Length <= 3)
        from i in Gen.Choose(1, 40)
        from o in Gen.Choose(1, 24)
        from bias in Gen.Elements(true, false)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select new Case(lead, i, o, bias, seed);

    /// <summary>nn.Linear: y[..., o] = b[o] + Σ_i x[..., i]·W[o, i].</summary>
    [Property(MaxTest = 60)]
    public Property MatchesNaiveDefinition() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var rng = new Rng(c.Seed);
        var x = rng.Normal([.. c.Lead, c.In]);
        var w = rng.Normal(c.Out, c.In);
        var b = c.Bias ? rng.Normal(c.Out) : null;
        var y = b is null ? OneNode.Run(n => Nn.Linear(n[0], n[1]), x, w) : OneNode.Run(n => Nn.Linear(n[0], n[1], bias: n[2]), x, w, b);
        int rows = (int)Tensor.Count(c.Lead);
        var expected = new double[rows * c.Out];
        for (int r = 0; r < rows; r++)
            for (int o = 0; o < c.Out; o++)
            {
                double s = b is null ? 0 : b.Data[o];
                for (int i = 0; i < c.In; i++) s += (double)x.Data[r * c.In + i] * w.Data[o * c.In + i];
                expected[r * c.Out + o] = s;
            }
        Near.Tensor(y, [.. c.Lead, c.Out], expected, 1e-5, c.ToString());
    });

    [Fact]
    public void KeepsLeadingSymbols()
    {
        var r = BadType.NeverThrows(new LinearOp(), BadType.F32(1, Dim.Sym("T"), 192), TensorType.F32(96, 192), TensorType.F32(96));
        Assert.Equal(new Shape([1, Dim.Sym("T"), 96]), r.Type!.Shape);
    }

    [Fact]
    public void RejectsBadOperands()
    {
        Assert.Contains("axis", BadType.Expect(new LinearOp(), new TensorType(DType.F32, Shape.Scalar), TensorType.F32(3, 4)));
        Assert.Contains("weight", BadType.Expect(new LinearOp(), TensorType.F32(2, 4), TensorType.F32(4)));
        Assert.Contains("weight", BadType.Expect(new LinearOp(), TensorType.F32(2, 4), BadType.F32(3, Dim.Sym("I"))));
        Assert.Contains("last axis", BadType.Expect(new LinearOp(), TensorType.F32(2, 5), TensorType.F32(3, 4)));
        Assert.Contains("bias", BadType.Expect(new LinearOp(), TensorType.F32(2, 4), TensorType.F32(3, 4), TensorType.F32(4)));
    }
}
