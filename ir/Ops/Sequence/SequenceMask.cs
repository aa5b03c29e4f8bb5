namespace VoxTile.IR.Ops.Sequence;

/// <summary>
/// mask[b, 0, t] = 1 if t &lt; lengths[b] else 0, for lengths [B] and the time axis (last) of <c>like</c> [B, …, T];
/// result [B, 1, T] in fp32, as VITS multiplies by it.
/// </summary>
[Op("nn.sequence_mask", "lengths", "like")]
public sealed partial class SequenceMask : Op
{
    public override TypeResult InferType(IReadOnlyList<TensorType> t)
    {
        if (t[0].Rank != 1) return TypeResult.Fail($"lengths must be [B], got {t[0]}");
        if (t[1].Rank < 2) return TypeResult.Fail($"like must be [B, …, T], got {t[1]}");
        if (!t[0].Shape[0].Compatible(t[1].Shape[0])) return TypeResult.Fail($"batch of lengths {t[0].Shape} and like {t[1].Shape} differ");
        return new TensorType(DType.F32, new Shape([t[1].Shape[0], Dim.Of(1), t[1].Shape[-1]]));
    }

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs)
    {
        int b = inputs[1].Shape[0], len = inputs[1].Shape[^1];
        var y = new Tensor([b, 1, len]);
        for (int i = 0; i < b; i++)
        {
            float l = inputs[0].Data[i];
            for (int t = 0; t < len; t++) y.Data[(long)i * len + t] = t < l ? 1f : 0f;
        }
        return y;
    }
}
