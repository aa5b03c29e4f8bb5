using VoxTile.IR;

namespace VoxTile.Lowering.Planning;

/// <summary>
/// Where a value sat in each core's L1 and for how long: [Address, Address + Size) from the step that computes it
/// (<see cref="From"/>) until the step that frees it (<see cref="To"/>, a deallocate or the spill that moves it out).
/// </summary>
public sealed record L1Block(Node Value, long Address, long Size, int From, int To);
