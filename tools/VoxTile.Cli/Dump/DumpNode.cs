namespace VoxTile.Cli.Dump;

/// <summary>One value as the dot and HTML views draw it.</summary>
/// <param name="Placement">host, dram, l1, l1-sharded, or none (a stage before planning).</param>
internal sealed record DumpNode(int Id, string Name, string Op, string Type, string Placement, IReadOnlyList<int> Inputs, string? Why);
