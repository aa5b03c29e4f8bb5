namespace VoxTile.Lowering.Emit;

/// <summary>
/// <c>ttnn.embedding(ids, weight, layout=…, memory_config=…)</c>: the output layout written out (TTNN's default is
/// ROW_MAJOR), <c>dtype=</c> only where the result is not in the table's dtype.
/// </summary>
internal sealed class EmbeddingEmitter : IOpEmitter
{
    public IReadOnlyCollection<string> Ops { get; } = ["ttnn.embedding"];

    public string Emit(EmitStep s) => s.Assign("ttnn.embedding", s.In(0), s.In(1),
        s.OutType.Layout is { } l ? "layout=" + TtnnSpelling.Layout(l) : null, s.DTypeArgUnlessFrom(1), s.MemoryConfigArg);
}
