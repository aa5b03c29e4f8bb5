namespace VoxTile.IR.Ops.Graph;

/// <summary>
/// A named parameter of the model (a checkpoint tensor after weight-norm folding). Printed as
/// <c>%w = weight "dec.ups.0.weight" : f32[512,256,16]</c>; the data travels beside the text, not in it.
/// </summary>
public sealed class Weight(string key, TensorType type, Tensor? value) : Op
{
    public const string OpName = "weight";

    public string Key { get; } = key;
    public TensorType DeclaredType { get; } = type;

    /// <summary>The data; null in a graph parsed from text without a weight source (types only).</summary>
    public Tensor? Value { get; } = value;

    public override string Name => OpName;
    public override IReadOnlyList<OperandSpec> Operands => [];
    public override IReadOnlyList<KeyValuePair<string, object>> Attributes => [new("key", Key)];
    public override TypeResult InferType(IReadOnlyList<TensorType> inputs) => DeclaredType;

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs) =>
        Value ?? throw new VoxTileException($"weight '{Key}' has no data (the graph was parsed without weights)");

    /// <summary>A weight node for a tensor; its name defaults to the key.</summary>
    public static Node Create(string key, Tensor value, string? name = null) =>
        Node.CreateTyped(new Weight(key, TensorType.F32(value.Shape), value), [], TensorType.F32(value.Shape), name);

    public static Node Create(string key, TensorType type, Tensor? value, string? name) =>
        Node.CreateTyped(new Weight(key, type, value), [], type, name);
}
