using VoxTile.IR;

namespace VoxTile.Lowering.Planning;

/// <summary>
/// One step of the planned schedule. For <see cref="StepKind.Op"/> and <see cref="StepKind.Spill"/>, <see cref="Node"/>
/// is the value the step computes (its operands are the planned values it reads); for
/// <see cref="StepKind.Deallocate"/> it is the value freed. <see cref="CbBytes"/> are the op's circular buffers per
/// core and <see cref="L1InUse"/> the L1 per core in use while it runs: CBs plus everything from the lowest live
/// tensor up (holes included).
/// </summary>
public sealed record ScheduledStep(StepKind Kind, Node Node, long CbBytes, long L1InUse, string Why);
