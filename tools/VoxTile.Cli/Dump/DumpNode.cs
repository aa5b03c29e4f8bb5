namespace VoxTile.Cli.Dump;

/// <summary>One value as the dump views draw it.</summary>
/// <param name="Placement">host (a host op), host-weight (a conv weight TTNN takes on the host), dram, l1, l1-sharded, or none (a stage before planning).</param>
/// <param name="Module">The model module it belongs to (<c>dec.ups.0</c>; see <see cref="ModulePath"/>), or null for the graph's inputs and shared constants.</param>
/// <param name="OpNumber">Its number among the ops in schedule order (what <c>--range</c> counts); null for inputs and weights.</param>
internal sealed record DumpNode(int Id, string Name, string Op, string Type, string Placement, IReadOnlyList<int> Inputs, string? Why,
    string? Module = null, int? OpNumber = null)
{
    /// <summary>A value computed outside a <see cref="DumpView.Select"/>ion that a selected op reads (drawn faded, its operands not followed).</summary>
    public bool Outside { get; init; }

    public bool IsOp => OpNumber is not null;
}
