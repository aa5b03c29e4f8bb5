using VoxTile.IR.Ops.Conv;

namespace VoxTile.IR.Ops.Linear;

/// <summary>Batched matrix product with broadcasting leading axes (torch.matmul for rank ≥ 2): [..., M, K] × [..., K, N] → [..., M, N].</summary>
[Op("nn.matmul", "lhs", "rhs")]
public sealed partial class MatMul : Op
{
    public override TypeResult InferType(IReadOnlyList<TensorType> t)
    {
        if (t[0].Rank < 2 || t[1].Rank < 2) return TypeResult.Fail($"operands need rank ≥ 2, got {t[0]} and {t[1]}");
        if (!t[0].Shape[-1].Compatible(t[1].Shape[-2])) return TypeResult.Fail($"inner dims differ: {t[0].Shape} × {t[1].Shape}");
        var batch = Broadcast.Shapes(new Shape(t[0].Shape.Take(t[0].Rank - 2)), new Shape(t[1].Shape.Take(t[1].Rank - 2)));
        if (batch is null) return TypeResult.Fail($"batch axes of {t[0].Shape} and {t[1].Shape} do not broadcast");
        return new TensorType(t[0].DType, new Shape([.. batch, t[0].Shape[-2], t[1].Shape[-1]]));
    }

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs)
    {
        var a = inputs[0];
        var b = inputs[1];
        int m = a.Shape[^2], k = a.Shape[^1], n = b.Shape[^1];
        if (b.Shape[^2] != k) throw new VoxTileException($"inner dims differ: {a.ShapeString} × {b.ShapeString}");
        var batch = Broadcast.Sizes(a.Shape[..^2], b.Shape[..^2]) ?? throw new VoxTileException("batch axes do not broadcast");
        var y = new Tensor([.. batch, m, n]);
        long batches = Tensor.Count(batch);
        var sa = Broadcast.Strides(a.Shape[..^2], batch);
        var sb = Broadcast.Strides(b.Shape[..^2], batch);
        Par.For((int)(batches * m), batches * m * n * k, job =>
        {
            long bi = job / m;
            int row = (int)(job % m);
            long offA = 0, offB = 0, rem = bi;
            for (int d = batch.Length - 1; d >= 0; d--)
            {
                long idx = rem % batch[d];
                rem /= batch[d];
                offA += idx * sa[d];
                offB += idx * sb[d];
            }
            offA = offA * m * k + (long)row * k;
            offB *= (long)k * n;
            var dst = y.Data.AsSpan((int)((bi * m + row) * n), n);
            for (int kk = 0; kk < k; kk++)
            {
                float av = a.Data[offA + kk];
                if (av != 0f) RowKernels.Axpy(b.Data.AsSpan((int)(offB + (long)kk * n), n), av, dst);
            }
        });
        return y;
    }
}
