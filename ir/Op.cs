namespace VoxTile.IR;

/// <summary>
/// An operation: its name, operands and attributes (written by the op generator from the declaration), its type
/// inference and its fp32 reference semantics (written by hand, next to each other in the op's one file).
/// Ops are immutable values; a <see cref="Node"/> applies one to its operands.
/// </summary>
public abstract class Op
{
    public abstract string Name { get; }

    public abstract IReadOnlyList<OperandSpec> Operands { get; }

    /// <summary>Attributes as (snake_case name, value), sorted by name.</summary>
    public abstract IReadOnlyList<KeyValuePair<string, object>> Attributes { get; }

    /// <summary>The result type for these operand types, or why they are invalid. Never throws.</summary>
    public abstract TypeResult InferType(IReadOnlyList<TensorType> inputs);

    /// <summary>The fp32 reference semantics: the oracle that every decomposition and lowered plan is checked against.</summary>
    public abstract Tensor Evaluate(IReadOnlyList<Tensor> inputs);

    /// <summary>Whether <paramref name="count"/> operands suit this op's operand list.</summary>
    public bool AcceptsOperandCount(int count)
    {
        int required = 0, optional = 0;
        bool variadic = false;
        foreach (var o in Operands)
        {
            switch (o.Kind)
            {
                case OperandKind.Required: required++; break;
                case OperandKind.Optional: optional++; break;
                default: variadic = true; break;
            }
        }
        return variadic ? count >= required + 1 : count >= required && count <= required + optional;
    }

    public override string ToString() => Name;
}

/// <summary>Marks a class as an op declaration: its printed name and its operands ("bias?" optional, "inputs*" variadic).</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class OpAttribute(string name, params string[] operands) : Attribute
{
    public string Name { get; } = name;
    public string[] OperandNames { get; } = operands;
}

/// <summary>Marks a property of an op as an attribute: printed, parsed and compared. Declare it C# <c>required</c> when it has no sensible default.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class AttrAttribute : Attribute
{
    /// <summary>Print the attribute only when it differs from its default (an optional fusion most ops do not carry).</summary>
    public bool OmitDefault { get; init; }
}

public enum OperandKind { Required, Optional, Variadic }

public sealed record OperandSpec(string Name, OperandKind Kind);
