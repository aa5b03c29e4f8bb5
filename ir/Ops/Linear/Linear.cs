namespace VoxTile.IR.Ops.Linear;

/// <summary>y = x·Wᵀ + b over the last axis (PyTorch nn.Linear): input [..., I], weight [O, I], optional bias [O].</summary>
[Op("nn.linear", "input", "weight", "bias?")]
public sealed partial class Linear : Op
{
    public override TypeResult InferType(IReadOnlyList<TensorType> t)
    {
        if (t[0].Rank < 1) return TypeResult.Fail("input must have at least one axis");
        if (t[1].Rank != 2 || !t[1].Shape.IsFixed) return TypeResult.Fail($"weight must be a fixed [O, I], got {t[1]}");
        int o = t[1].Shape[0].Value, i = t[1].Shape[1].Value;
        if (t[0].Shape[-1].IsFixed && t[0].Shape[-1].Value != i) return TypeResult.Fail($"input's last axis is {t[0].Shape[-1]}, the weight expects {i}");
        if (t.Count > 2 && !t[2].Shape.Equals(new Shape(o))) return TypeResult.Fail($"bias must be [{o}], got {t[2]}");
        return new TensorType(t[0].DType, t[0].Shape.With(-1, o));
    }

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs)
    {
        var x = inputs[0];
        var w = inputs[1];
        int o = w.Shape[0], i = w.Shape[1];
        long rows = x.Length / i;
        var shape = (int[])x.Shape.Clone();
        shape[^1] = o;
        var y = new Tensor(shape);
        Par.For((int)rows, rows * o * i, r =>
        {
            var xr = x.Data.AsSpan((int)(r * i), i);
            for (int k = 0; k < o; k++)
            {
                double s = inputs.Count > 2 ? inputs[2].Data[k] : 0;
                var wr = w.Data.AsSpan(k * i, i);
                for (int j = 0; j < i; j++) s += (double)xr[j] * wr[j];
                y.Data[r * o + k] = (float)s;
            }
        });
        return y;
    }
}
