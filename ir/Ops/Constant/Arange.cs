namespace VoxTile.IR.Ops.Constant;

/// <summary>start, start + 1, …, end − 1 as fp32 (torch.arange with integer bounds): frame indices for masks and the alignment path.</summary>
[Op("nn.arange")]
public sealed partial class Arange : Op
{
    [Attr] public int Start { get; init; }
    [Attr] public required int End { get; init; }

    public override TypeResult InferType(IReadOnlyList<TensorType> t) =>
        End < Start ? TypeResult.Fail($"end {End} is below start {Start}") : TensorType.F32(End - Start);

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs)
    {
        var y = new Tensor([End - Start]);
        for (int i = 0; i < y.Data.Length; i++) y.Data[i] = Start + i;
        return y;
    }
}
