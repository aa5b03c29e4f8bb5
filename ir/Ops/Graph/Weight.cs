namespace VoxTile.IR.Ops.Graph;

/// <summary>
/// A named parameter of the model (a checkpoint tensor after weight-norm folding). Printed as
/// <c>%w = weight "dec.ups.0.weight" : f32[512,256,16]</c>; the data travels beside the text, not in it. An
/// <see cref="Exact"/> weight holds integers the lowering must keep exactly (f32 whatever the activation dtype: the
/// prefix-sum matrices and frame indices of the decompositions); it prints <c>weight "key" {exact = true}</c>.
/// </summary>
public sealed class Weight(string key, TensorType type, Tensor? value, bool exact = false) : Op
{
    public const string OpName = "weight";
    public const string ExactAttribute = "exact";

    public string Key { get; } = key;
    public TensorType DeclaredType { get; } = type;

    /// <summary>The data; null in a graph parsed from text without a weight source (types only).</summary>
    public Tensor? Value { get; } = value;

    /// <summary>Whether the values must stay exact (integers past bf16's 256), so that what is computed from them stays f32.</summary>
    public bool Exact { get; } = exact;

    public override string Name => OpName;
    public override IReadOnlyList<OperandSpec> Operands => [];
    public override IReadOnlyList<KeyValuePair<string, object>> Attributes =>
        Exact ? [new(ExactAttribute, true), new("key", Key)] : [new("key", Key)];
    public override TypeResult InferType(IReadOnlyList<TensorType> inputs) => DeclaredType;

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs) =>
        Value ?? throw new VoxTileException($"weight '{Key}' has no data (the graph was parsed without weights)");

    /// <summary>A weight node for a tensor; its name defaults to the key.</summary>
    public static Node Create(string key, Tensor value, string? name = null, bool exact = false) =>
        Node.CreateTyped(new Weight(key, TensorType.F32(value.Shape), value, exact), [], TensorType.F32(value.Shape), name);

    public static Node Create(string key, TensorType type, Tensor? value, string? name, bool exact = false) =>
        Node.CreateTyped(new Weight(key, type, value, exact), [], type, name);
}
