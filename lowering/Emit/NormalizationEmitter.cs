using VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Lowering.Emit;

/// <summary>
/// <c>ttnn.layer_norm(x, epsilon=…, weight=…, bias=…)</c> with epsilon always written (TTNN's default is 1e-12, not
/// 1e-5) and <c>ttnn.softmax(x, dim=…, numeric_stable=True)</c> (the IR subtracts the max, as the stable kernel does).
/// </summary>
internal sealed class NormalizationEmitter : IOpEmitter
{
    public IReadOnlyCollection<string> Ops { get; } = ["ttnn.layer_norm", "ttnn.softmax"];

    public string Emit(EmitStep s) => s.Op switch
    {
        LayerNorm n => s.Assign("ttnn.layer_norm", s.In(0), "epsilon=" + Py.Float(n.Epsilon),
            s.InputCount > 1 ? "weight=" + s.In(1) : null, s.InputCount > 2 ? "bias=" + s.In(2) : null, s.MemoryConfigArg),
        Softmax m => s.Assign("ttnn.softmax", s.In(0), "dim=" + Py.Int(m.Dim), s.MemoryConfigArg, "numeric_stable=True"),
        _ => throw new InvalidOperationException($"{s.Op.Name} is not a normalization"),
    };
}
