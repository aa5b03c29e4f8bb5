using VoxTile.IR;
using VoxTile.IR.Ops.Graph;

namespace VoxTile.Lowering.Planning;

/// <summary>
/// The planner's working form of one value: mutable while the planner slices ops, inserts moves and places
/// values; turned into immutable nodes of the planned graph at the end.
/// </summary>
internal sealed class PlanValue(int id, ValueKind kind, Op op, TensorType type, string? name)
{
    public int Id { get; } = id;
    public ValueKind Kind { get; } = kind;
    public Op Op { get; set; } = op;
    public List<PlanValue> Inputs { get; } = [];

    /// <summary>The type with its layout chosen; <see cref="TensorType.Memory"/> is the placement once decided.</summary>
    public TensorType Type { get; set; } = type;

    /// <summary>The value's name; the planner names every value before it explains anything, so that its reasons can name them.</summary>
    public string? Name { get; set; } = name;
    public long Seed { get; init; }
    public bool IsOutput { get; set; }

    /// <summary>A <c>ttnn.to_memory_config</c> the planner made: its target is the planner's choice.</summary>
    public bool Retargetable { get; init; }

    public List<(PlanValue Consumer, int Operand)> Consumers { get; } = [];

    /// <summary>Schedule position of the op computing it (−1 for inputs and weights).</summary>
    public int Position { get; set; } = -1;

    /// <summary>Schedule positions of the ops reading it, ascending, each once.</summary>
    public List<int> Uses { get; } = [];

    /// <summary>Placements in order of preference, each feasible for the producer and accepted by every consumer.</summary>
    public List<MemoryConfig?> Preferences { get; } = [];

    /// <summary>
    /// Why the value is where it is, in the order the reasons arose. Each is formatted when read, after the planner
    /// has named every value, so that it can name the values it refers to.
    /// </summary>
    public List<Func<string>> Notes { get; } = [];

    public string Why => string.Join("; ", Notes.Select(n => n()));

    public bool IsLeaf => Kind is ValueKind.Input or ValueKind.Noise or ValueKind.Weight or ValueKind.HostWeight;

    public Weight? WeightOp => Op as Weight;

    /// <summary>The value as reasons and errors name it: <c>%name (op)</c>, or before naming the op and its result type.</summary>
    public override string ToString() => Name is null ? $"{Op.Name} giving {Type}" : $"%{Name} ({Op.Name})";
}
