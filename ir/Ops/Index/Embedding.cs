namespace VoxTile.IR.Ops.Index;

/// <summary>
/// Row lookup (PyTorch nn.Embedding): ids of any shape, held as fp32 integers, and a table [V, H] give ids.shape + [H].
/// An id that is not an integer in [0, V) is an error at run time, as in PyTorch.
/// </summary>
[Op("nn.embedding", "ids", "table")]
public sealed partial class Embedding : Op
{
    public override TypeResult InferType(IReadOnlyList<TensorType> t)
    {
        if (t[1].Rank != 2 || !t[1].Shape.IsFixed) return TypeResult.Fail($"table must be a fixed [V, H], got {t[1]}");
        if (t[0].DType != t[1].DType) return TypeResult.Fail($"ids {t[0]} and table {t[1]} differ in dtype");
        return new TensorType(t[1].DType, new Shape([.. t[0].Shape, t[1].Shape[1]]));
    }

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs)
    {
        var ids = inputs[0];
        var table = inputs[1];
        int v = table.Shape[0], h = table.Shape[1];
        var y = new Tensor([.. ids.Shape, h]);
        for (long i = 0; i < ids.Length; i++)
        {
            float id = ids.Data[i];
            if (!(id >= 0 && id < v) || id != MathF.Floor(id))
                throw new VoxTileException($"id {id} at position {i} is outside the table's {v} rows");
            Array.Copy(table.Data, (long)id * h, y.Data, i * h, h);
        }
        return y;
    }
}
