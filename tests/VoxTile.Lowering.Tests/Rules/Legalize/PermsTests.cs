using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR;
using VoxTile.IR.Ops.Movement;
using VoxTile.Lowering.Rules.Legalize;
using VoxTile.Lowering.Tests.Rules.Decompose;

namespace VoxTile.Lowering.Tests.Rules.Legalize;

/// <summary>The permutation algebra the layout assignment rests on: a relabelled value has the bytes it claims.</summary>
public sealed class PermsTests
{
    private static Gen<int[]> Permutations(int rank) => Gen.Shuffle(Enumerable.Range(0, rank)).Select(p => p.ToArray());

    private static float[] Bytes(Tensor x, int[] perm) => new Transpose { Perm = perm }.Evaluate([x]).Data;

    [Property(MaxTest = 300)]
    public Property ThroughReshapeKeepsTheBytes() => Prop.ForAll(
        (from factors in Gen.ArrayOf(Gen.Choose(1, 4), 4)
         from splitX in Gen.ArrayOf(Gen.Elements(true, false), 3)
         from splitY in Gen.ArrayOf(Gen.Elements(true, false), 3)
         from p in Permutations(splitX.Count(b => b) + 1)
         from seed in Gen.Choose(0, int.MaxValue - 1)
         select (factors, splitX, splitY, p, seed)).ToArbitrary(), c =>
    {
        // Two groupings of the same factors: a reshape that merges and splits runs.
        int[] Group(bool[] cuts)
        {
            var dims = new List<int> { c.factors[0] };
            for (int i = 1; i < 4; i++) { if (cuts[i - 1]) dims.Add(c.factors[i]); else dims[^1] *= c.factors[i]; }
            return [.. dims];
        }
        var xs = Group(c.splitX);
        var ys = Group(c.splitY);
        var x = new CaseRng(c.seed).Normal(xs);
        var q = Perms.ThroughReshape(xs, ys, c.p);
        if (q is null) return;
        Assert.Equal(Bytes(x, c.p), Bytes(x.Reshape(ys), q));
    });

    [Property(MaxTest = 200)]
    public Property ThroughTransposeKeepsTheBytes() => Prop.ForAll(
        (from rank in Gen.Choose(1, 4) from p in Permutations(rank) from t in Permutations(rank) from dims in Gen.ArrayOf(Gen.Choose(1, 4), rank)
         from seed in Gen.Choose(0, int.MaxValue - 1) select (p, t, dims, seed)).ToArbitrary(), c =>
    {
        var x = new CaseRng(c.seed).Normal(c.dims);
        var y = new Transpose { Perm = c.t }.Evaluate([x]);
        Assert.Equal(Bytes(x, c.p), Bytes(y, Perms.ThroughTranspose(c.t, c.p)));
    });

    [Fact]
    public void ChannelsLastSurvivesThePolyphaseStack()
    {
        // [B, C, Q] held as [B, Q, C] → [B, C, Q, 1] puts the new axis between Q and C, ready to stack phases on it.
        Assert.Equal([0, 2, 3, 1], Perms.ThroughReshape([1, 8, 21], [1, 8, 21, 1], Perms.ChannelsLast(3))!);
        // … and [B, C, Q, s] → [B, C, Q·s] is channels-last again.
        Assert.Equal([0, 2, 1], Perms.ThroughReshape([1, 8, 21, 4], [1, 8, 84], [0, 2, 3, 1])!);
        // A merge of runs that lie in the other order does not commute.
        Assert.Null(Perms.ThroughReshape([1, 6, 5], [1, 30], Perms.ChannelsLast(3)));
        Assert.True(Perms.Congruent([1, 1, 48, 16], [1, 48, 16]));
        Assert.False(Perms.Congruent([1, 48, 1], [1, 1, 48]));
    }
}
