using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR.Ops.Movement;
using VoxTile.IR.Tests.Support;

namespace VoxTile.IR.Tests.Ops.Movement;

public sealed class TransposeTests
{
    public sealed record Case(int[] Shape, int[] Perm, int Seed)
    {
        public override string ToString() => $"Case({Nd.Show(Shape)}, perm {Nd.Show(Perm)}, seed {Seed})";
    }

    internal static Gen<Case> Cases =>
        from shape in Gen.Choose(1, 5).ArrayOf().Where(a => a.Length <= 5)
        from perm in Gen.Shuffle(Enumerable.Range(0, shape.Length))
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select new Case(shape, perm, seed);

    /// <summary>torch.permute: output axis i is input axis perm[i], so y[j] = x[k] with k[perm[i]] = j[i].</summary>
    [Property(MaxTest = 60)]
    public Property MatchesNaiveDefinition() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var x = new Rng(c.Seed).Normal(c.Shape);
        var shape = c.Perm.Select(p => c.Shape[p]).ToArray();
        var y = OneNode.Run(n => Nn.Transpose(n[0], perm: c.Perm), x);
        Near.Exact(y, shape, Nd.Map(shape, j =>
        {
            var k = new int[j.Length];
            for (int i = 0; i < j.Length; i++) k[c.Perm[i]] = j[i];
            return x.Data[Nd.Ravel(k, c.Shape)];
        }), c.ToString());
    });

    [Property(MaxTest = 40)]
    public Property TheInversePermutationUndoesIt() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var x = new Rng(c.Seed).Normal(c.Shape);
        var inverse = new int[c.Perm.Length];
        for (int i = 0; i < inverse.Length; i++) inverse[c.Perm[i]] = i;
        var y = OneNode.Run(n => Nn.Transpose(Nn.Transpose(n[0], perm: c.Perm), perm: inverse), x);
        Near.Exact(y, x, c.ToString());
    });

    [Fact]
    public void PermutesSymbolicDims()
    {
        var r = BadType.NeverThrows(new Transpose { Perm = [0, 2, 1] }, BadType.F32(1, 192, Dim.Sym("T")));
        Assert.Equal(new Shape([1, Dim.Sym("T"), 192]), r.Type!.Shape);
    }

    [Fact]
    public void RejectsWhatIsNotAPermutation()
    {
        Assert.Contains("permutation", BadType.Expect(new Transpose { Perm = [0, 1] }, TensorType.F32(1, 2, 3)));
        Assert.Contains("permutation", BadType.Expect(new Transpose { Perm = [0, 1, 1] }, TensorType.F32(1, 2, 3)));
        Assert.Contains("permutation", BadType.Expect(new Transpose { Perm = [0, 1, 3] }, TensorType.F32(1, 2, 3)));
        Assert.Contains("permutation", BadType.Expect(new Transpose { Perm = [0, -1, 2] }, TensorType.F32(1, 2, 3)));
    }
}
