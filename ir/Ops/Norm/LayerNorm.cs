namespace VoxTile.IR.Ops.Norm;

/// <summary>
/// Layer normalisation over one axis (the last, as nn.LayerNorm; or the channel axis 1 of [B, C, T], as VITS's
/// channel LayerNorm), biased variance, then optional affine gamma/beta of that axis's size.
/// </summary>
[Op("nn.layer_norm", "input", "gamma?", "beta?")]
public sealed partial class LayerNorm : Op
{
    [Attr] public int Axis { get; init; } = -1;
    [Attr] public float Eps { get; init; } = 1e-5f;

    public override TypeResult InferType(IReadOnlyList<TensorType> t)
    {
        int rank = t[0].Rank;
        int axis = Axis < 0 ? Axis + rank : Axis;
        if (axis < 0 || axis >= rank) return TypeResult.Fail($"axis {Axis} out of range for {t[0]}");
        var size = t[0].Shape[axis];
        for (int i = 1; i < t.Count; i++)
            if (t[i].Rank != 1 || !t[i].Shape[0].Compatible(size)) return TypeResult.Fail($"gamma and beta must be [{size}], got {t[i]}");
        return new TensorType(t[0].DType, t[0].Shape);
    }

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs)
    {
        var x = inputs[0];
        int rank = x.Rank, axis = Axis < 0 ? Axis + rank : Axis;
        int n = x.Shape[axis];
        long inner = 1;
        for (int i = axis + 1; i < rank; i++) inner *= x.Shape[i];
        long outer = x.Length / (n * inner);
        var y = new Tensor((int[])x.Shape.Clone());
        var gamma = inputs.Count > 1 ? inputs[1].Data : null;
        var beta = inputs.Count > 2 ? inputs[2].Data : null;
        Par.For((int)(outer * inner), x.Length * 4, job =>
        {
            long o = job / inner, q = job % inner;
            long baseOff = o * n * inner + q;
            double mean = 0;
            for (int i = 0; i < n; i++) mean += x.Data[baseOff + i * inner];
            mean /= n;
            double vr = 0;
            for (int i = 0; i < n; i++) { double d = x.Data[baseOff + i * inner] - mean; vr += d * d; }
            vr /= n;
            double inv = 1.0 / Math.Sqrt(vr + Eps);
            for (int i = 0; i < n; i++)
            {
                double v = (x.Data[baseOff + i * inner] - mean) * inv;
                if (gamma is not null) v *= gamma[i];
                if (beta is not null) v += beta[i];
                y.Data[baseOff + i * inner] = (float)v;
            }
        });
        return y;
    }
}
