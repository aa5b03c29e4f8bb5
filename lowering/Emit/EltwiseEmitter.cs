using VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Lowering.Emit;

/// <summary>
/// Unary, binary and ternary eltwise ops: <c>y = ttnn.exp(x, memory_config=…)</c>,
/// <c>y = ttnn.add(a, b, memory_config=…)</c> (<c>dtype=</c> only where the result is not in a's dtype),
/// <c>ttnn.leaky_relu(x, negative_slope=…)</c> (TTNN has no default slope), <c>ttnn.softplus(x, beta=…, threshold=…)</c>,
/// <c>ttnn.where(predicate, true_value, false_value)</c>. TTNN's defaults are the IR's semantics elsewhere
/// (exact gelu and tanh: <c>fast_and_approximate_mode=False</c>).
/// </summary>
internal sealed class EltwiseEmitter : IOpEmitter
{
    private static readonly string[] Unary = ["ttnn.abs", "ttnn.ceil", "ttnn.exp", "ttnn.gelu", "ttnn.log", "ttnn.relu", "ttnn.rsqrt", "ttnn.sigmoid", "ttnn.sqrt", "ttnn.tanh"];
    private static readonly string[] Binary = ["ttnn.add", "ttnn.subtract", "ttnn.multiply", "ttnn.divide", "ttnn.eq", "ttnn.gt", "ttnn.lt", "ttnn.ge"];

    public IReadOnlyCollection<string> Ops { get; } = [.. Unary, .. Binary, "ttnn.leaky_relu", "ttnn.softplus", "ttnn.where"];

    public string Emit(EmitStep s) => s.Op switch
    {
        LeakyRelu l => s.Assign("ttnn.leaky_relu", s.In(0), "negative_slope=" + Py.Float(l.NegativeSlope), s.MemoryConfigArg),
        Softplus p => s.Assign("ttnn.softplus", s.In(0), "beta=" + Py.Float(p.Beta), "threshold=" + Py.Float(p.Threshold), s.MemoryConfigArg),
        Where => s.Assign("ttnn.where", s.In(0), s.In(1), s.In(2), s.MemoryConfigArg),
        _ when Binary.Contains(s.Op.Name) => s.Assign(s.Op.Name, s.In(0), s.In(1), s.DTypeArgUnlessFrom(0), s.MemoryConfigArg),
        _ => s.Assign(s.Op.Name, s.In(0), s.MemoryConfigArg),
    };
}
