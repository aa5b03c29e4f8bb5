using VoxTile.Lowering.Plan;
using VoxTile.Lowering.Planning;

namespace VoxTile.Lowering;

/// <summary>A compiled plan, the memory plan it came from, how long compiling took (in all and per pass), and the passes' notes.</summary>
public sealed record CompileResult(DevicePlan Plan, MemoryPlan Memory, TimeSpan Elapsed, IReadOnlyList<(string Pass, TimeSpan Time)> PassTimes, IReadOnlyList<string> Notes);
