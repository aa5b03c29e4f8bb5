using VoxTile.IR;
using VoxTile.IR.Numerics;
using VoxTile.IR.Ops.Index;
using Tt = VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Lowering.Rules.Legalize;

/// <summary>
/// <c>nn.embedding</c> → <c>ttnn.embedding</c>: ids (fp32 integers in the nn graph) as [B, S] uint32 ROW_MAJOR — the
/// op's operand requirement inserts the typecast and layout change, and the truncating cast is exact for integer
/// ids — and the table [V, H] bf16 ROW_MAJOR. The result [B, S, H] is the nn value's bytes.
/// <para>
/// TTNN's embedding takes bf16 tables only. With f32 activations a constant table is split into three bf16 tables
/// (hi = bf16(x), mid = bf16(x − hi), lo = bf16(x − hi − mid): 3 × 8 significant bits cover fp32's 24), each gathered
/// by the same ids and summed in f32 as hi + (mid + lo), which gives the fp32 rows back exactly. Otherwise the f32
/// plan's text encoder would start from bf16-rounded phone, tone and language rows.
/// </para>
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
        if (table.Constant is { } exact && l.Activation == DType.F32)
        {
            var parts = Enumerable.Range(0, 3)
                .Select(k => l.Emit(new Tt.Embedding(), idNode, l.ConstantNode(Legalizer.DerivedKey(exact.Key, $"bf16_part{k}"), table.Shape, DType.BF16,
                    Layout.RowMajor, () => exact.Value is { } v ? Part(v, k) : null)))
                .Select(e => l.Cast(e, DType.F32)).ToArray();
            var sum = l.Emit(new Tt.Add(), parts[0], l.Emit(new Tt.Add(), parts[1], parts[2]));
            return DeviceValue.Of(sum, Perms.Identity(node.Shape.Rank), node.Shape.ToArray());
        }
        var tableNode = table.Constant is { } c
            ? l.Materialize(c, table.Shape, [0, 1], DType.BF16, Layout.RowMajor)
            : l.Read(table, [0, 1], Form.Exact, DType.BF16);
        var y = l.Emit(new Tt.Embedding(), idNode, tableNode);
        return DeviceValue.Of(y, Perms.Identity(node.Shape.Rank), node.Shape.ToArray());
    }

    /// <summary>Part <paramref name="k"/> (0 hi, 1 mid, 2 lo) of the bf16 split of <paramref name="table"/>: each the bf16 rounding of what the earlier parts leave.</summary>
    internal static Tensor Part(Tensor table, int k)
    {
        var y = new Tensor((int[])table.Shape.Clone());
        for (long i = 0; i < table.Length; i++)
        {
            float rest = table.Data[i], part = 0;
            for (int j = 0; j <= k; j++)
            {
                part = BFloat16.Round(rest);
                rest -= part;
            }
            y.Data[i] = part;
        }
        return y;
    }
}
