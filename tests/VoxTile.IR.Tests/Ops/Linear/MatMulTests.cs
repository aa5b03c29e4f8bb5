using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR.Ops.Linear;
using VoxTile.IR.Tests.Support;

namespace VoxTile.IR.Tests.Ops.Linear;

public sealed class MatMulTests
{
    public sealed record Case(int[] BatchA, int[] BatchB, int M, int K, int N, int Seed)
    {
        public override string ToString() => $"Case([{string.Join(",", BatchA)}]×[{string.Join(",", BatchB)}], M {M}, K {K}, N {N}, seed {Seed})";
    }

    /// <summary>Batch axes as for broadcasting: suffixes of one batch shape with some axes set to 1.</summary>
    internal static Gen<Case> Cases =>
        from batch in Gen.Choose(1, 3).ArrayOf().Where(a => a.Length <= 3)
        from a in Batch(batch)
        from b in Batch(batch)
        from m in Gen.Choose(1, 9)
        from k in Gen.Choose(1, 20)
        from n in Gen.Choose(1, 20)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select new Case(a, b, m, k, n, seed);

    private static Gen<int[]> Batch(int[] batch) =>
        from rank in Gen.Choose(0, batch.Length)
        from ones in Gen.Elements(false, true).ArrayOf(rank)
        select batch[(batch.Length - rank)..].Select((d, i) => ones[i] ? 1 : d).ToArray();

    /// <summary>torch.matmul for rank ≥ 2: y[β, i, j] = Σ_k a[β_a, i, k]·b[β_b, k, j], β broadcast over the batch axes.</summary>
    [Property(MaxTest = 60)]
    public Property MatchesNaiveDefinition() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var rng = new Rng(c.Seed);
        var a = rng.Normal([.. c.BatchA, c.M, c.K]);
        var b = rng.Normal([.. c.BatchB, c.K, c.N]);
        var y = OneNode.Run(n => Nn.MatMul(n[0], n[1]), a, b);
        int rank = Math.Max(c.BatchA.Length, c.BatchB.Length);
        var batch = new int[rank];
        for (int i = 0; i < rank; i++)
            batch[i] = Math.Max(Size(c.BatchA, rank, i), Size(c.BatchB, rank, i));
        long count = Tensor.Count(batch);
        var expected = new double[count * c.M * c.N];
        var index = new int[rank];
        for (int bi = 0; bi < count; bi++)
        {
            int rem = bi;
            for (int d = rank - 1; d >= 0; d--) { index[d] = rem % batch[d]; rem /= batch[d]; }
            int oa = Offset(c.BatchA, index), ob = Offset(c.BatchB, index);
            for (int i = 0; i < c.M; i++)
                for (int j = 0; j < c.N; j++)
                {
                    double s = 0;
                    for (int k = 0; k < c.K; k++) s += (double)a.Data[(oa * c.M + i) * c.K + k] * b.Data[(ob * c.K + k) * c.N + j];
                    expected[(bi * c.M + i) * c.N + j] = s;
                }
        }
        Near.Tensor(y, [.. batch, c.M, c.N], expected, 1e-5, c.ToString());
    });

    private static int Size(int[] s, int rank, int i) => i - (rank - s.Length) >= 0 ? s[i - (rank - s.Length)] : 1;

    private static int Offset(int[] s, int[] index)
    {
        int off = 0;
        for (int d = 0; d < s.Length; d++) off = off * s[d] + (s[d] == 1 ? 0 : index[index.Length - s.Length + d]);
        return off;
    }

    [Fact]
    public void ExpandsThePathLikeTheLengthRegulator()
    {
        // m_p' = attn · m_p: [1, Ty, Tx] × [1, Tx, C] with symbolic Ty.
        var r = BadType.NeverThrows(new MatMul(), BadType.F32(1, Dim.Sym("Ty"), 7), TensorType.F32(1, 7, 192));
        Assert.Equal(new Shape([1, Dim.Sym("Ty"), 192]), r.Type!.Shape);
    }

    [Fact]
    public void RejectsBadOperands()
    {
        Assert.Contains("rank", BadType.Expect(new MatMul(), TensorType.F32(4), TensorType.F32(4, 2)));
        Assert.Contains("inner", BadType.Expect(new MatMul(), TensorType.F32(3, 4), TensorType.F32(5, 2)));
        Assert.Contains("batch", BadType.Expect(new MatMul(), TensorType.F32(2, 3, 4), TensorType.F32(3, 4, 2)));
    }
}
