using System.Numerics;

namespace VoxTile.IR.Ops.Elementwise;

/// <summary>Base of the one-operand elementwise ops: same type out as in; the reference maps every element.</summary>
public abstract class UnaryOp : Op
{
    public override TypeResult InferType(IReadOnlyList<TensorType> inputs) =>
        inputs[0].DType == DType.F32 || inputs[0].DType == DType.BF16 ? new TensorType(inputs[0].DType, inputs[0].Shape)
        : TypeResult.Fail($"expects a floating-point tensor, got {inputs[0]}");

    /// <summary>The function on one value.</summary>
    public abstract float Apply(float x);

    /// <summary>A vectorised form where one is cheap; null falls back to <see cref="Apply"/>.</summary>
    protected virtual Vector<float>? ApplyVector(Vector<float> x) => null;

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs)
    {
        var x = inputs[0];
        var y = new Tensor((int[])x.Shape.Clone());
        const int Chunk = 1 << 14;
        int chunks = (int)((x.Length + Chunk - 1) / Chunk);
        Par.For(chunks, x.Length * 8, c =>
        {
            int start = c * Chunk, end = (int)Math.Min(x.Length, start + (long)Chunk);
            var src = x.Data.AsSpan(start, end - start);
            var dst = y.Data.AsSpan(start, end - start);
            int i = 0;
            if (Vector.IsHardwareAccelerated && ApplyVector(Vector<float>.Zero) is not null)
            {
                for (; i + Vector<float>.Count <= src.Length; i += Vector<float>.Count)
                    ApplyVector(new Vector<float>(src[i..]))!.Value.CopyTo(dst[i..]);
            }
            for (; i < src.Length; i++) dst[i] = Apply(src[i]);
        });
        return y;
    }
}
