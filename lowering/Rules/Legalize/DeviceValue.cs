using VoxTile.IR;

namespace VoxTile.Lowering.Rules.Legalize;

/// <summary>
/// A value of the nn graph as the device holds it: the row-major bytes of <see cref="Node"/> are the nn value
/// transposed by <see cref="Perm"/>. The node's own shape may be any shape with those bytes (a conv's output stays
/// in TTNN's flattened [1, 1, N·L, C] until a consumer needs another form), so reshapes and nn transposes are free
/// until someone reads the value in a form it does not have. A compile-time constant has no node: it is
/// materialised per use, already in the permutation, dtype and layout its consumer wants.
/// </summary>
public sealed class DeviceValue
{
    private DeviceValue(Node? node, int[] perm, int[] shape, Constant? constant)
    {
        Node = node;
        Perm = perm;
        Shape = shape;
        Constant = constant;
    }

    /// <summary>The device node, or null for a constant.</summary>
    public Node? Node { get; }

    /// <summary>Device axis i holds nn axis Perm[i].</summary>
    public int[] Perm { get; }

    /// <summary>The shape of the nn value.</summary>
    public int[] Shape { get; }

    public Constant? Constant { get; }

    public int Rank => Shape.Length;

    public bool IsConstant => Constant is not null;

    /// <summary>The shape of the value in its device permutation.</summary>
    public int[] DeviceShape => Perms.Apply(Shape, Perm);

    public long Count => Tensor.Count(Shape);

    public static DeviceValue Of(Node node, int[] perm, int[] shape)
    {
        if (perm.Length != shape.Length) throw new ArgumentException($"a permutation of {perm.Length} axes for a value of rank {shape.Length}");
        if (node.Shape.IsFixed && Tensor.Count(node.Shape.ToArray()) != Tensor.Count(shape))
            throw new ArgumentException($"device node {node.Type} cannot hold a value of [{string.Join(",", shape)}]");
        return new(node, perm, shape, null);
    }

    public static DeviceValue Of(Constant constant, int[] shape) => new(null, Perms.Identity(shape.Length), shape, constant);

    /// <summary>The same bytes seen as the nn value broadcast to <paramref name="rank"/> (leading size-1 axes).</summary>
    public DeviceValue Expand(int rank)
    {
        if (rank == Rank) return this;
        var shape = Enumerable.Repeat(1, rank - Rank).Concat(Shape).ToArray();
        return new(Node, Perms.Expand(Perm, rank), shape, Constant?.Reshaped(shape));
    }

    /// <summary>The same bytes seen as another nn value (an nn reshape or transpose that the device need not perform).</summary>
    public DeviceValue Relabel(int[] perm, int[] shape) =>
        Node is not null ? Of(Node, perm, shape) : throw new InvalidOperationException("a constant is relabelled by folding it");

    /// <summary>Whether reading the value in <paramref name="perm"/> needs no data movement.</summary>
    public bool HasDataIn(int[] perm) => IsConstant || Perms.SameData(Shape, Perm, perm);
}

/// <summary>A compile-time value: its <c>const.</c>-style key (naming the content) and its data in nn order (null in a graph without weight data).</summary>
public sealed record Constant(string Key, Tensor? Value)
{
    public Constant Reshaped(int[] shape) => this with { Value = Value?.Reshape(shape) };
}
