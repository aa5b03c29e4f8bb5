namespace VoxTile.IR;

/// <summary>The outcome of type inference: a type, or the reason the operands are invalid. Inference never throws.</summary>
public readonly record struct TypeResult(TensorType? Type, string? Error)
{
    public bool Ok => Type is not null;
    public static implicit operator TypeResult(TensorType t) => new(t, null);
    public static TypeResult Fail(string error) => new(null, error);
}
