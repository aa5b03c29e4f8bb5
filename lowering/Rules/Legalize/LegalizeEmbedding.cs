using VoxTile.IR;
using VoxTile.IR.Ops.Index;
using Tt = VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Lowering.Rules.Legalize;

/// <summary>
/// <c>nn.embedding</c> → <c>ttnn.embedding</c>: ids (fp32 integers in the nn graph) as [B, S] uint32 ROW_MAJOR — the
/// op's operand requirement inserts the typecast and layout change, and the truncating cast is exact for integer
/// ids — and the table [V, H] bf16 ROW_MAJOR. The result [B, S, H] is the nn value's bytes.
/// </summary>
public sealed class LegalizeEmbedding : ILegalizeRule
{
    public string Name => "legalize-embedding";

    public DeviceValue? Lower(Node node, Legalizer l)
    {
        if (node.Op is not Embedding) return null;
        var ids = l.Value(node.Inputs[0]);
        var table = l.Value(node.Inputs[1]);
        var s = ids.Shape;
        int[] rows = s.Length == 0 ? [1, 1] : s.Length == 1 ? [1, s[0]] : [(int)Tensor.Count(s.AsSpan(0, s.Length - 1)), s[^1]];
        var idNode = l.Reshape(l.Read(ids, Perms.Identity(s.Length), Form.Raw, ids.IsConstant ? DType.U32 : null), rows);
        var tableNode = table.Constant is { } c
            ? l.Materialize(c, table.Shape, [0, 1], DType.BF16, Layout.RowMajor)
            : l.Read(table, [0, 1], Form.Exact, DType.BF16);
        var y = l.Emit(new Tt.Embedding(), idNode, tableNode);
        return DeviceValue.Of(y, Perms.Identity(node.Shape.Rank), node.Shape.ToArray());
    }
}
