namespace VoxTile.IR.Ops.Graph;

/// <summary>
/// A graph input. Its type is declared in the graph's signature, not inferred; it is never evaluated. A noise input
/// (<see cref="NoiseSeed"/> set) is one the runtime fills itself before each run with the standard-normal draw of
/// that seed (<c>nn.randn_like</c>'s, which legalization turns into such an input); it prints as
/// <c>%noise: f32[1,192,862]{tile} {noise_seed = 0}</c>.
/// </summary>
public sealed class Input(TensorType type, long? noiseSeed = null) : Op
{
    public const string OpName = "input";
    public const string NoiseSeedAttribute = "noise_seed";

    public TensorType DeclaredType { get; } = type;

    /// <summary>The seed of the draw the runtime fills this input with; null for an input the caller binds.</summary>
    public long? NoiseSeed { get; } = noiseSeed;

    public override string Name => OpName;
    public override IReadOnlyList<OperandSpec> Operands => [];
    public override IReadOnlyList<KeyValuePair<string, object>> Attributes =>
        NoiseSeed is { } s ? [new(NoiseSeedAttribute, s)] : [];
    public override TypeResult InferType(IReadOnlyList<TensorType> inputs) => DeclaredType;
    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs) =>
        throw new InvalidOperationException("graph inputs are bound by the interpreter, not evaluated");

    public static Node Create(string name, TensorType type, long? noiseSeed = null) =>
        Node.CreateTyped(new Input(type, noiseSeed), [], type, name);
}
