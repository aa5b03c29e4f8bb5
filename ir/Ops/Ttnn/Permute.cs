namespace VoxTile.IR.Ops.Ttnn;

/// <summary><c>ttnn.permute(input_tensor, dims)</c>: output dim i is input dim dims[i] (negative dims count from the end).</summary>
[Op("ttnn.permute", "input_tensor")]
[Kernel("vt_permute")]
public sealed partial class Permute : Op, ITtnnOp
{
    [Attr] public required int[] Dims { get; init; }

    private Movement.Transpose Reference(int rank) => new() { Perm = [.. Dims.Select(d => d < 0 ? d + rank : d)] };

    public override TypeResult InferType(IReadOnlyList<TensorType> t) => Reference(t[0].Rank).InferType(t);

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs) => Reference(inputs[0].Rank).Evaluate(inputs);

    public IReadOnlyList<OperandRequirement> OperandRequirements => [OperandRequirement.Device("input_tensor", LayoutRequirement.Any, false)];

    public long WorkingSetBytes(IReadOnlyList<TensorType> inputs, TensorType output) => TtnnWorkingSet.Streaming(inputs, output);
}
