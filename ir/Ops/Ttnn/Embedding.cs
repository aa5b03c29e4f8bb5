namespace VoxTile.IR.Ops.Ttnn;

/// <summary>
/// <c>ttnn.embedding(input_tensor, weight)</c>: rows of the table <c>weight</c> [V, D] picked by the integer ids
/// <c>input_tensor</c> [B, S]; the result is [B, S, D] in the table's dtype. TTNN wants ids uint32 ROW_MAJOR and the
/// table bf16 ROW_MAJOR (tt-mlir's operand workaround).
/// </summary>
[Op("ttnn.embedding", "input_tensor", "weight")]
[Kernel("vt_embedding")]
public sealed partial class Embedding : Op, ITtnnOp
{
    public override TypeResult InferType(IReadOnlyList<TensorType> t)
    {
        if (t[0].Rank != 2) return TypeResult.Fail($"input_tensor must be ids [B, S], got {t[0]}");
        if (t[0].DType.IsFloat()) return TypeResult.Fail($"input_tensor must hold integer ids (u32), got {t[0]}");
        if (t[1].Rank != 2) return TypeResult.Fail($"weight must be a table [V, D], got {t[1]}");
        return new TensorType(t[1].DType, new Shape([t[0].Shape[0], t[0].Shape[1], t[1].Shape[1]]));
    }

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs)
    {
        Tensor ids = inputs[0], table = inputs[1];
        int v = table.Shape[0], d = table.Shape[1];
        var y = new Tensor([ids.Shape[0], ids.Shape[1], d]);
        for (long i = 0; i < ids.Length; i++)
        {
            float id = ids.Data[i];
            if (!(id >= 0 && id < v) || id != MathF.Floor(id)) throw new VoxTileException($"id {id} is not a row of the [{v}, {d}] table");
            Array.Copy(table.Data, (long)id * d, y.Data, i * d, d);
        }
        return y;
    }

    public IReadOnlyList<OperandRequirement> OperandRequirements =>
    [
        OperandRequirement.Device("input_tensor", LayoutRequirement.RowMajor, false, DType.U32),
        OperandRequirement.Device("weight", LayoutRequirement.RowMajor, false, DType.BF16),
    ];

    /// <summary>One page of ids and two rows of the table in and out.</summary>
    public long WorkingSetBytes(IReadOnlyList<TensorType> inputs, TensorType output) =>
        2 * TtnnWorkingSet.PageBytes(inputs[0]) + 2 * TtnnWorkingSet.Bytes(inputs[1].DType, TtnnWorkingSet.Width(inputs[1]))
        + (TtnnWorkingSet.IsSharded(output) ? 0 : 2 * TtnnWorkingSet.PageBytes(output));
}
