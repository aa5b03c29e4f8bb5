using VoxTile.IR;
using VoxTile.Lowering.Targets;

namespace VoxTile.Lowering.Planning.Workarounds;

/// <summary>
/// A TTNN defect on real hardware that the planner steers around, citing its upstream issue so that the
/// workaround can be deleted once the fix ships. <see cref="Affects"/> says whether an op (with the sizes it would
/// run at) hits the defect; the planner then slices the op along time until no slice does.
/// </summary>
public sealed record KnownDefect
{
    /// <summary>The upstream issue, e.g. <c>tenstorrent/tt-metal#55545</c>.</summary>
    public required string Issue { get; init; }

    /// <summary>What goes wrong, in one line.</summary>
    public required string Summary { get; init; }

    /// <summary>How the planner avoids it, in one line.</summary>
    public required string Avoidance { get; init; }

    /// <summary>Whether a node with this op, these operand types and this output type hits the defect on the target.</summary>
    public required Func<Op, IReadOnlyList<TensorType>, TensorType, TargetSpec, bool> Affects { get; init; }

    public override string ToString() => $"{Issue}: {Summary}";
}
