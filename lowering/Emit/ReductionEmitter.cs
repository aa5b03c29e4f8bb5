using VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Lowering.Emit;

/// <summary>
/// <c>ttnn.sum(x, dim=…, keepdim=…)</c> and <c>ttnn.mean</c> with the dims always written (TTNN's <c>dim=None</c>
/// reduces every axis), one dim as an int; <c>ttnn.cumsum(x, dim)</c> (its first parameter is <c>input</c>).
/// </summary>
internal sealed class ReductionEmitter : IOpEmitter
{
    public IReadOnlyCollection<string> Ops { get; } = ["ttnn.sum", "ttnn.mean", "ttnn.cumsum"];

    public string Emit(EmitStep s) => s.Op switch
    {
        Sum r => Reduce(s, r.Dim, r.Keepdim),
        Mean r => Reduce(s, r.Dim, r.Keepdim),
        Cumsum c => s.Assign("ttnn.cumsum", s.In(0), Py.Int(c.Dim), s.DTypeArgUnlessFrom(0), s.MemoryConfigArg),
        _ => throw new InvalidOperationException($"{s.Op.Name} is not a reduction"),
    };

    private static string Reduce(EmitStep s, int[] dims, bool keepdim) =>
        s.Assign(s.Op.Name, s.In(0), "dim=" + (dims.Length == 1 ? Py.Int(dims[0]) : Py.List(dims)), "keepdim=" + Py.Bool(keepdim), s.MemoryConfigArg);
}
