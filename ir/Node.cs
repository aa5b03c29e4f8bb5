using System.Collections.Immutable;

namespace VoxTile.IR;

/// <summary>
/// An immutable value in the graph: an op applied to operand nodes, with its inferred type and an optional name
/// (printed as <c>%name</c>; unnamed values print as numbers in order of definition).
/// </summary>
public sealed class Node
{
    private Node(Op op, ImmutableArray<Node> inputs, TensorType type, string? name)
    {
        Op = op;
        Inputs = inputs;
        Type = type;
        Name = name;
    }

    public Op Op { get; }
    public ImmutableArray<Node> Inputs { get; }
    public TensorType Type { get; }
    public string? Name { get; }

    public Shape Shape => Type.Shape;

    /// <summary>Applies <paramref name="op"/> to <paramref name="inputs"/>; throws a one-line <see cref="VoxTileException"/> when the types do not fit.</summary>
    public static Node Create(Op op, IReadOnlyList<Node> inputs, string? name = null)
    {
        if (!op.AcceptsOperandCount(inputs.Count))
            throw new VoxTileException($"{op.Name}: {inputs.Count} operands given, expected ({string.Join(", ", op.Operands.Select(o => o.Name + (o.Kind == OperandKind.Optional ? "?" : o.Kind == OperandKind.Variadic ? "*" : "")))})");
        var r = op.InferType([.. inputs.Select(i => i.Type)]);
        if (!r.Ok) throw new VoxTileException($"{op.Name}{(name is null ? "" : " (" + name + ")")}: {r.Error}");
        return new Node(op, [.. inputs], r.Type!, ValidName(name));
    }

    /// <summary>A node whose type is given rather than inferred (graph inputs, weights, and values parsed from text before verification).</summary>
    public static Node CreateTyped(Op op, IReadOnlyList<Node> inputs, TensorType type, string? name = null) =>
        new(op, [.. inputs], type, ValidName(name));

    /// <summary>The same value under a name (a new node: nodes are immutable; name values before using them).</summary>
    public Node Named(string name) => new(Op, Inputs, Type, ValidName(name));

    /// <summary>This node with another type (the lowering sets layouts and memory placements this way).</summary>
    public Node WithType(TensorType type) => new(Op, Inputs, type, Name);

    /// <summary>This node with other operands (for rewrites); the type is inferred again.</summary>
    public Node WithInputs(IReadOnlyList<Node> inputs) =>
        inputs.Count == Inputs.Length && inputs.Select((n, i) => ReferenceEquals(n, Inputs[i])).All(b => b) ? this : Create(Op, inputs, Name);

    public static bool IsValidName(string s) =>
        s.Length > 0 && (char.IsAsciiLetter(s[0]) || s[0] == '_') && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.');

    private static string? ValidName(string? name) =>
        name is null || IsValidName(name) ? name : throw new ArgumentException($"'{name}' is not a valid value name (letters, digits, '_' and '.', not starting with a digit)");

    public override string ToString() => $"%{Name ?? "?"} = {Op.Name} : {Type}";
}
