using VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Lowering.Emit;

/// <summary>
/// Moves and conversions the planner and the legalizer insert: <c>ttnn.to_memory_config(x, config)</c> (spills,
/// reshards, DRAM↔L1), <c>ttnn.to_layout(x, layout, memory_config=…)</c> (tilize, untilize) and
/// <c>ttnn.typecast(x, dtype)</c>.
/// </summary>
internal sealed class LayoutEmitter : IOpEmitter
{
    public IReadOnlyCollection<string> Ops { get; } = ["ttnn.to_memory_config", "ttnn.to_layout", "ttnn.typecast"];

    public string Emit(EmitStep s) => s.Op switch
    {
        ToMemoryConfig => s.Assign("ttnn.to_memory_config", s.In(0), s.Context.MemoryConfig(s.OutType)),
        ToLayout l => s.Assign("ttnn.to_layout", s.In(0), TtnnSpelling.Layout(l.Layout), s.MemoryConfigArg),
        Typecast c => s.Assign("ttnn.typecast", s.In(0), TtnnSpelling.DType(c.Dtype.ToDType()), s.MemoryConfigArg),
        _ => throw new InvalidOperationException($"{s.Op.Name} is not a layout conversion"),
    };
}
