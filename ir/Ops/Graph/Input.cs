namespace VoxTile.IR.Ops.Graph;

/// <summary>A graph input. Its type is declared in the graph's signature, not inferred; it is never evaluated.</summary>
public sealed class Input(TensorType type) : Op
{
    public const string OpName = "input";

    public TensorType DeclaredType { get; } = type;

    public override string Name => OpName;
    public override IReadOnlyList<OperandSpec> Operands => [];
    public override IReadOnlyList<KeyValuePair<string, object>> Attributes => [];
    public override TypeResult InferType(IReadOnlyList<TensorType> inputs) => DeclaredType;
    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs) =>
        throw new InvalidOperationException("graph inputs are bound by the interpreter, not evaluated");

    public static Node Create(string name, TensorType type) => Node.CreateTyped(new Input(type), [], type, name);
}
