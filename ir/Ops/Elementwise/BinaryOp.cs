using System.Numerics;

namespace VoxTile.IR.Ops.Elementwise;

/// <summary>Base of the two-operand elementwise ops, with NumPy broadcasting.</summary>
public abstract class BinaryOp : Op
{
    public override TypeResult InferType(IReadOnlyList<TensorType> inputs)
    {
        if (inputs[0].DType != inputs[1].DType) return TypeResult.Fail($"operand dtypes differ: {inputs[0]} and {inputs[1]}");
        var s = Broadcast.Shapes(inputs[0].Shape, inputs[1].Shape);
        return s is null ? TypeResult.Fail($"shapes {inputs[0].Shape} and {inputs[1].Shape} do not broadcast") : new TensorType(inputs[0].DType, s);
    }

    public abstract float Apply(float a, float b);

    protected virtual Vector<float> ApplyVector(Vector<float> a, Vector<float> b)
    {
        Span<float> r = stackalloc float[Vector<float>.Count];
        for (int i = 0; i < r.Length; i++) r[i] = Apply(a[i], b[i]);
        return new Vector<float>(r);
    }

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs)
    {
        var a = inputs[0];
        var b = inputs[1];
        var shape = Broadcast.Sizes(a.Shape, b.Shape) ?? throw new VoxTileException($"shapes {a.ShapeString} and {b.ShapeString} do not broadcast");
        var y = new Tensor(shape);
        if (y.Length == 0) return y;
        int rank = shape.Length;
        int inner = rank == 0 ? 1 : shape[rank - 1];
        long rows = y.Length / inner;
        var sa = Broadcast.Strides(a.Shape, shape);
        var sb = Broadcast.Strides(b.Shape, shape);
        long ia = rank == 0 ? 1 : sa[rank - 1], ib = rank == 0 ? 1 : sb[rank - 1];
        Par.For((int)rows, y.Length * 2, r =>
        {
            long offA = 0, offB = 0, rem = r;
            for (int d = rank - 2; d >= 0; d--)
            {
                long idx = rem % shape[d];
                rem /= shape[d];
                offA += idx * sa[d];
                offB += idx * sb[d];
            }
            var dst = y.Data.AsSpan((int)(r * (long)inner), inner);
            Row(a.Data, offA, ia, b.Data, offB, ib, dst);
        });
        return y;
    }

    private void Row(float[] a, long offA, long ia, float[] b, long offB, long ib, Span<float> dst)
    {
        int n = dst.Length, i = 0, w = Vector<float>.Count;
        if (ia == 1 && ib == 1)
        {
            for (; i + w <= n; i += w)
                ApplyVector(new Vector<float>(a, (int)offA + i), new Vector<float>(b, (int)offB + i)).CopyTo(dst[i..]);
        }
        else if (ia == 1 && ib == 0)
        {
            var vb = new Vector<float>(b[offB]);
            for (; i + w <= n; i += w) ApplyVector(new Vector<float>(a, (int)offA + i), vb).CopyTo(dst[i..]);
        }
        else if (ia == 0 && ib == 1)
        {
            var va = new Vector<float>(a[offA]);
            for (; i + w <= n; i += w) ApplyVector(va, new Vector<float>(b, (int)offB + i)).CopyTo(dst[i..]);
        }
        for (; i < n; i++) dst[i] = Apply(a[offA + i * ia], b[offB + i * ib]);
    }
}
