namespace VoxTile.IR.Ops.Constant;

/// <summary>A constant tensor filled with one value (zero_g's zero speaker vector, scalars of the model).</summary>
[Op("nn.full")]
public sealed partial class Full : Op
{
    [Attr] public int[] Shape { get; init; } = [];
    [Attr] public required float Value { get; init; }

    public override TypeResult InferType(IReadOnlyList<TensorType> t) =>
        Shape.Any(d => d < 0) ? TypeResult.Fail("negative size") : new TensorType(DType.F32, new IR.Shape(Shape));

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs) => Tensor.Full((int[])Shape.Clone(), Value);
}
