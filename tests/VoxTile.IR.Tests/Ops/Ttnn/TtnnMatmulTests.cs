using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.IR.Tests.Support;
using Tt = VoxTile.IR.Ttnn;

namespace VoxTile.IR.Tests.Ops.Ttnn;

public sealed class TtnnMatmulTests
{
    public sealed record Case(int[] BatchA, int[] BatchB, int M, int K, int N, bool TransposeA, bool TransposeB, int BiasForm, int Seed)
    {
        public override string ToString() =>
            $"Case(batch {TtnnCheck.Show(BatchA)} × {TtnnCheck.Show(BatchB)}, M {M}, K {K}, N {N}, transpose_a {TransposeA}, transpose_b {TransposeB}, bias form {BiasForm}, seed {Seed})";
    }

    /// <summary>Batch dims that broadcast: each side a suffix of one batch shape, with some dims set to 1.</summary>
    internal static Gen<Case> Cases =>
        from batch in TtnnCheck.Shape(0, 2, 3)
        from dropA in Gen.Choose(0, batch.Length)
        from dropB in Gen.Choose(0, batch.Length)
        from onesA in Gen.Elements(false, true).ArrayOf(batch.Length)
        from onesB in Gen.Elements(false, true).ArrayOf(batch.Length)
        from m in Gen.Choose(1, 5)
        from k in Gen.Choose(1, 6)
        from n in Gen.Choose(1, 5)
        from ta in Gen.Elements(false, true)
        from tb in Gen.Elements(false, true)
        from biasForm in Gen.Choose(0, 3)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select new Case([.. batch.Select((d, i) => onesA[i] ? 1 : d).Skip(dropA)], [.. batch.Select((d, i) => onesB[i] ? 1 : d).Skip(dropB)],
            m, k, n, ta, tb, biasForm, seed);

    private static Node T(Node x, bool swap) => swap ? Tt.Transpose(x, -2, -1) : x;

    /// <summary>ttnn.matmul over operands given transposed (with the matching flags) equals nn.matmul.</summary>
    [Property(MaxTest = 80)]
    public Property EqualsNnMatmul() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var rng = new Rng(c.Seed);
        var a = rng.Normal([.. c.BatchA, c.M, c.K]);
        var b = rng.Normal([.. c.BatchB, c.K, c.N]);
        var types = TtnnCheck.F32Types(a, b);
        var want = TtnnCheck.Run(n => Nn.MatMul(n[0], n[1]), types, a, b);
        var got = TtnnCheck.Run(n => Tt.Matmul(T(n[0], c.TransposeA), T(n[1], c.TransposeB), transposeA: c.TransposeA, transposeB: c.TransposeB), types, a, b);
        TtnnCheck.Close(got, want, 1e-5, c.ToString());
    });

    /// <summary>
    /// ttnn.linear with TTNN's [K, N] weight (a transposed PyTorch weight) or PyTorch's [N, K] with transpose_b, and the
    /// bias as [N], [1, N] or [1, 1, 1, N], equals nn.linear.
    /// </summary>
    [Property(MaxTest = 80)]
    public Property LinearEqualsNnLinear() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var rng = new Rng(c.Seed);
        var x = rng.Normal([.. c.BatchA, c.M, c.K]);
        var w = rng.Normal(c.N, c.K);
        var b = rng.Normal(c.N);
        bool bias = c.BiasForm > 0;
        Tensor[] values = bias ? [x, w, b] : [x, w];
        var want = TtnnCheck.Run(n => Nn.Linear(n[0], n[1], bias: bias ? n[2] : null), TtnnCheck.F32Types(values), values);
        var got = TtnnCheck.Run(n =>
        {
            var weight = c.TransposeB ? n[1] : Tt.Permute(n[1], [1, 0]);
            Node? bn = c.BiasForm switch { 1 => n[2], 2 => Tt.Reshape(n[2], [1, c.N]), 3 => Tt.Reshape(n[2], [1, 1, 1, c.N]), _ => null };
            return Tt.Linear(T(n[0], c.TransposeA), weight, bias: bn, transposeA: c.TransposeA, transposeB: c.TransposeB);
        }, TtnnCheck.F32Types(values), values);
        TtnnCheck.Close(got, want, 1e-5, c.ToString());
    });

    [Fact]
    public void OutputHasTheFirstOperandsDtype()
    {
        var r = new Matmul().InferType([TtnnCheck.Of(DType.BF16, 32, 64), TtnnCheck.Of(DType.BFP8_B, 64, 128)]);
        Assert.Equal(TtnnCheck.Of(DType.BF16, 32, 128), r.Type);
    }

    [Fact]
    public void RejectsBadOperands()
    {
        Assert.Contains("rank", BadType.Expect(new Matmul(), TtnnCheck.F32(4), TtnnCheck.F32(4, 2)));
        Assert.Contains("inner", BadType.Expect(new Matmul(), TtnnCheck.F32(3, 4), TtnnCheck.F32(5, 2)));
        Assert.Contains("inner", BadType.Expect(new Matmul { TransposeB = true }, TtnnCheck.F32(3, 4), TtnnCheck.F32(4, 2)));
        Assert.Contains("batch", BadType.Expect(new Matmul(), TtnnCheck.F32(2, 3, 4), TtnnCheck.F32(3, 4, 2)));
        Assert.Contains("float", BadType.Expect(new Matmul(), TtnnCheck.Of(DType.U32, 3, 4), TtnnCheck.F32(4, 2)));
        Assert.Contains("bias", BadType.Expect(new VoxTile.IR.Ops.Ttnn.Linear(), TtnnCheck.F32(3, 4), TtnnCheck.F32(4, 2), TtnnCheck.F32(3)));
        Assert.Contains("bias", BadType.Expect(new VoxTile.IR.Ops.Ttnn.Linear(), TtnnCheck.F32(3, 4), TtnnCheck.F32(4, 2), TtnnCheck.F32(2, 2)));
        Assert.Contains("inner", BadType.Expect(new VoxTile.IR.Ops.Ttnn.Linear(), TtnnCheck.F32(3, 4), TtnnCheck.F32(2, 4))); // PyTorch's [N, K] needs transpose_b
    }
}
