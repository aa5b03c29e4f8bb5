using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR;
using VoxTile.IR.Ops.Graph;
using VoxTile.Lowering.Rules.Decompose;
using VoxTile.Models.MeloTTS;
using VoxTile.Testing;

namespace VoxTile.Lowering.Tests.Rules.Decompose;

/// <summary>generate_path has no nn op: MeloTTS's <see cref="LengthRegulator.FromDurations"/> composes it (one utterance), and the decompose pass makes its cumsum matmuls.</summary>
public sealed class AlignmentPathTests
{
    public sealed record Case(int Batch, int Phones, int MaxDuration, int Seed)
    {
        public override string ToString() => $"Case(B {Batch}, Tx {Phones}, durations ≤ {MaxDuration}, seed {Seed})";
    }

    private static Gen<Case> Cases =>
        from b in Gen.Constant(1)
        from tx in Gen.OneOf(Gen.Choose(1, 10), Gen.Choose(1, 200))
        from maxD in Gen.Choose(0, 15)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select new Case(b, tx, maxD, seed);

    /// <summary>MeloTTS's generate_path written out: phone i owns frames cum[i−1] ≤ j &lt; cum[i], masked by x_mask and y_mask.</summary>
    private static Tensor Naive(Tensor durations, Tensor xMask, int ty)
    {
        int b = durations.Shape[0], tx = durations.Shape[2];
        var y = new Tensor([b, 1, ty, tx]);
        for (int bi = 0; bi < b; bi++)
        {
            double total = 0;
            for (int i = 0; i < tx; i++) total += durations.Data[bi * tx + i];
            double yLen = Math.Max(1, total), start = 0;
            for (int i = 0; i < tx; i++)
            {
                double end = start + durations.Data[bi * tx + i];
                for (int j = 0; j < ty; j++)
                    if (j >= start && j < end && j < yLen) y.Data[(bi * ty + j) * tx + i] = xMask.Data[bi * tx + i];
                start = end;
            }
        }
        return y;
    }

    private static Graph Build(int b, int tx, int ty) =>
        RuleCheck.Build("path", [TensorType.F32(b, 1, tx), TensorType.F32(b, 1, tx)], n => LengthRegulator.FromDurations(n[0], n[1], ty).Path);

    [Property(MaxTest = 40)]
    public Property EqualsGeneratePathExactly() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var rng = new CaseRng(c.Seed);
        var x = rng.Integers(0, 1, c.Batch, 1, c.Phones);
        var w = rng.Integers(0, c.MaxDuration, c.Batch, 1, c.Phones);
        int sum = Enumerable.Range(0, c.Batch).Max(bi => (int)w.Data.Skip(bi * c.Phones).Take(c.Phones).Sum());
        int ty = Math.Max(1, sum + rng.Int(-2, 3)); // a bound at, below (truncating) or above the longest utterance
        var d = new DecomposePass().Run(Build(c.Batch, c.Phones, ty), RuleCheck.Context());
        Assert.False(RuleCheck.Contains(d, "nn.cumsum"));
        RuleCheck.Exact(RuleCheck.Run(d, w, x), Naive(w, x, ty), c.ToString());
    });

    /// <summary>Three minutes of frames at hop 256 (~31k) stay exact: past bf16's 256 and far past the 12-bit tile sums.</summary>
    [Fact]
    public void LongUtterancesKeepExactFrameBoundaries()
    {
        var w = new CaseRng(3).Integers(200, 400, 1, 1, 100);
        var x = Tensor.Full([1, 1, 100], 1f);
        int ty = (int)w.Data.Sum();
        var d = new DecomposePass().Run(Build(1, 100, ty), RuleCheck.Context());
        RuleCheck.Exact(RuleCheck.Run(d, w, x), Naive(w, x, ty), "100 phones of 200–400 frames");
    }

    [GoldenFact("ops")]
    public void MatchesPyTorchGoldenExactly()
    {
        var w = Golden.Load("ops", "path_durations");
        var x = Golden.Load("ops", "path_x_mask");
        var golden = Golden.Load("ops", "path_y");
        int tx = w.Shape[2], ty = golden.Shape[2];
        var d = new DecomposePass().Run(Build(1, tx, ty), RuleCheck.Context());
        Assert.False(RuleCheck.Contains(d, "nn.cumsum"));
        Assert.Contains(d.Weights, wt => wt.Key.StartsWith("const.cumsum_tri", StringComparison.Ordinal));
        // The golden batch holds two utterances; the synthesizer builds one at a time.
        for (int b = 0; b < w.Shape[0]; b++)
        {
            Tensor Row(Tensor t, int size) => new([.. t.Shape.Select((v, i) => i == 0 ? 1 : v)], t.Data.AsSpan(b * size, size).ToArray());
            RuleCheck.Exact(RuleCheck.Run(d, Row(w, tx), Row(x, tx)), Row(golden, ty * tx), $"generate_path, utterance {b}");
        }
    }
}
