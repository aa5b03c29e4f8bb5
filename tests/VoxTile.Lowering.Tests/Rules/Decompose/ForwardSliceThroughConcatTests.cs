using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR;
using VoxTile.Lowering.Rules.Decompose;

namespace VoxTile.Lowering.Tests.Rules.Decompose;

public sealed class ForwardSliceThroughConcatTests
{
    public sealed record Case(int[] Sizes, int Start, int End, int Seed)
    {
        public override string ToString() => $"Case(parts [{string.Join(",", Sizes)}], slice {Start}:{End}, seed {Seed})";
    }

    private static Gen<Case> Cases =>
        from sizes in Gen.Choose(1, 6).ArrayOf().Where(a => a.Length is >= 1 and <= 5)
        let total = sizes.Sum()
        from start in Gen.Choose(-total, total - 1)
        from end in Gen.Choose(-total, total + 2)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select new Case(sizes, start, end, seed);

    [Property(MaxTest = 100)]
    public Property EqualsTheSliceAndFiresOnlyInsideOneOperand() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var rng = new CaseRng(c.Seed);
        var parts = c.Sizes.Select(s => rng.Normal(2, s, 3)).ToArray();
        var g = RuleCheck.Build("slice", [.. parts.Select(p => TensorType.F32(p.Shape))], n => Nn.Slice(Nn.Concat(n, 1), 1, c.Start, end: c.End));
        if (g.Outputs[0].Shape[1].Value == 0) return; // an empty slice: nothing to forward
        var d = RuleCheck.Apply(g, new ForwardSliceThroughConcat());
        int total = c.Sizes.Sum();
        int s = c.Start < 0 ? c.Start + total : c.Start, e = Math.Min(c.End < 0 ? Math.Max(0, c.End + total) : c.End, total);
        int offset = 0;
        bool inside = c.Sizes.Any(size => { bool r = s >= offset && e <= offset + size; offset += size; return r; });
        Assert.Equal(!inside, RuleCheck.Contains(d, "nn.concat"));
        RuleCheck.Exact(RuleCheck.Run(d, parts), RuleCheck.Run(g, parts), c.ToString());
    });
}
