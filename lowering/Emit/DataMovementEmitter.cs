using VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Lowering.Emit;

/// <summary>
/// Data movement with TTNN's positional forms: <c>ttnn.reshape(x, [shape])</c> (the result's fixed shape, never a −1),
/// <c>ttnn.permute(x, [dims])</c>, <c>ttnn.transpose(x, d1, d2)</c>, <c>ttnn.concat([xs], dim=…)</c>,
/// <c>ttnn.slice(x, starts, ends, steps)</c> (positional: the overloads name them differently) and
/// <c>ttnn.pad(x, [(before, after), …], value)</c>.
/// </summary>
internal sealed class DataMovementEmitter : IOpEmitter
{
    public IReadOnlyCollection<string> Ops { get; } = ["ttnn.reshape", "ttnn.permute", "ttnn.transpose", "ttnn.concat", "ttnn.slice", "ttnn.pad"];

    public string Emit(EmitStep s) => s.Op switch
    {
        Reshape r => s.Assign("ttnn.reshape", s.In(0), Py.List(s.OutType.Shape.IsFixed ? s.OutType.Shape.ToArray() : r.Shape), s.MemoryConfigArg),
        Permute p => s.Assign("ttnn.permute", s.In(0), Py.List(p.Dims), s.MemoryConfigArg),
        Transpose t => s.Assign("ttnn.transpose", s.In(0), Py.Int(t.Dim1), Py.Int(t.Dim2), s.MemoryConfigArg),
        Concat c => s.Assign("ttnn.concat", "[" + string.Join(", ", Enumerable.Range(0, s.InputCount).Select(s.In)) + "]", "dim=" + Py.Int(c.Dim), s.MemoryConfigArg),
        Slice l => s.Assign("ttnn.slice", s.In(0), Py.List(l.SliceStart), Py.List(l.SliceEnd), Py.List(l.SliceStep), s.MemoryConfigArg),
        Pad p => s.Assign("ttnn.pad", s.In(0), "[" + string.Join(", ", p.Padding.Select(Py.Tuple)) + "]", Py.Float(p.Value), s.MemoryConfigArg),
        _ => throw new InvalidOperationException($"{s.Op.Name} is not a data movement"),
    };
}
