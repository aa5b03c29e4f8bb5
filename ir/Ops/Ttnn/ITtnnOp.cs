namespace VoxTile.IR.Ops.Ttnn;

/// <summary>
/// What every <c>ttnn.*</c> op declares beside its type inference and reference semantics: the layouts, dtypes and
/// placements its operands must have on the device (the legalizer inserts <c>ttnn.to_layout</c>,
/// <c>ttnn.typecast</c> or <c>ttnn.to_memory_config</c> where a value does not meet them) and its circular-buffer
/// footprint for the memory planner. The native kernel the CPU runtime runs it with is a <see cref="KernelAttribute"/>
/// on the op's class.
/// </summary>
public interface ITtnnOp
{
    /// <summary>
    /// One requirement per declared operand, in declaration order; a variadic operand's requirement applies to each
    /// of its tensors (see <see cref="RequirementOf"/>). It may depend on the op's attributes (front padding needs
    /// ROW_MAJOR in <c>ttnn.pad</c>).
    /// </summary>
    IReadOnlyList<OperandRequirement> OperandRequirements { get; }

    /// <summary>
    /// Estimated circular-buffer bytes per core while the op runs: L1 the program claims beside its input and output
    /// tensors (CBs grow up from the unreserved base, tensors down from the top; the two must not meet). The model
    /// is <see cref="TtnnWorkingSet"/>'s; inputs and output carry the layouts and placements the planner chose
    /// (a sharded operand's CB aliases its shard and costs nothing extra).
    /// </summary>
    long WorkingSetBytes(IReadOnlyList<TensorType> inputs, TensorType output);

    /// <summary>The requirement on the node's operand at <paramref name="index"/> (optional operands keep their slot; a trailing variadic one repeats).</summary>
    OperandRequirement RequirementOf(int index) => OperandRequirements[Math.Min(index, OperandRequirements.Count - 1)];
}
