using VoxTile.IR;
using VoxTile.IR.Ops.Linear;
using VoxTile.IR.Ops.Movement;
using Tt = VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Lowering.Rules.Legalize;

/// <summary>
/// <c>nn.linear</c> → <c>ttnn.linear</c>. A constant weight [O, I] is transposed now into TTNN's [K, N] = [I, O]
/// (<c>const.&lt;key&gt;.p10</c>), in <see cref="Passes.LoweringOptions.WeightDType"/>; a computed one is read as is with
/// transpose_b. The bias is [1, O] in the activation dtype (bf16 even beside bfp8_b weights: it is added once per
/// output, not shared across a block). The input may lie in any permutation whose last axis is the features; the
/// result keeps it.
/// <para>
/// When the features are a reshape that merges trailing axes lying on the device in another order (ref_enc's
/// [B, T, 128, F₆] → [B, T, 128·F₆] of an NHWC conv output, whose bytes run F₆-major), the weight's columns are
/// permuted at compile time to the device order instead (<c>const.&lt;key&gt;.cols_…</c>), and the merge is a reshape
/// of the bytes as they lie: no permute.
/// </para>
/// </summary>
public sealed class LegalizeLinear : ILegalizeRule
{
    public string Name => "legalize-linear";

    public DeviceValue? Lower(Node node, Legalizer l)
    {
        if (node.Op is not Linear) return null;
        var x = l.Value(node.Inputs[0]);
        var w = l.Value(node.Inputs[1]);
        int rank = x.Rank, o = w.Shape[0];
        var dtype = l.ComputeDType(node);
        int[] perm;
        Node input, weight;
        bool transposeB = false;
        if (w.Constant is { } c && AbsorbedMerge(node, l) is { } merged)
        {
            (perm, input, var order) = merged;
            weight = l.ConstantNode(Legalizer.DerivedKey(c.Key, "cols_" + string.Concat(order)), [w.Shape[1], o], l.Options.WeightDType, Layout.Tile,
                () => c.Value is { } v ? PermutedColumns(v, o, l.Value(node.Inputs[0].Inputs[0]).Shape[^order.Length..], order) : null);
            input = l.Cast(input, dtype);
        }
        else
        {
            perm = l.PermWithLast(node, x, rank - 1);
            input = l.Read(x, perm, Form.Congruent, dtype);
            if (w.Constant is { } wc) weight = l.Materialize(wc, w.Shape, [1, 0], l.Options.WeightDType, Layout.Tile);
            else
            {
                weight = l.Read(w, [0, 1], Form.Exact, dtype);
                transposeB = true;
            }
        }
        var op = new Tt.Linear { TransposeB = transposeB };
        if (node.Inputs.Length < 3) return DeviceValue.Of(l.Emit(op, input, weight), perm, node.Shape.ToArray());
        var b = l.Value(node.Inputs[2]);
        var biasDType = l.Activation == DType.F32 || dtype == DType.F32 ? DType.F32 : DType.BF16;
        var bias = b.Constant is { } bc
            ? l.Materialize(bc, b.Shape, [0], biasDType, Layout.Tile, [1, o])
            : l.Reshape(l.Read(b, [0], Form.Exact, biasDType), [1, o]);
        return DeviceValue.Of(l.Emit(op, input, weight, bias), perm, node.Shape.ToArray());
    }

    /// <summary>
    /// For x = reshape(u) merging u's trailing axes k… into the features, when u's device order ends with exactly those
    /// axes but not in nn order: the result's permutation, u's bytes reshaped to [leading…, features], and the order
    /// (relative to k) in which the merged axes lie.
    /// </summary>
    private static (int[] Perm, Node Input, int[] Order)? AbsorbedMerge(Node node, Legalizer l)
    {
        var r = node.Inputs[0];
        if (r.Op is not Reshape || !l.TryValue(r.Inputs[0], out var u) || u.IsConstant) return null;
        var us = u.Shape;
        var rs = r.Shape.ToArray();
        int k = rs.Length - 1, n = us.Length;
        if (k >= n || !us.AsSpan(0, k).SequenceEqual(rs.AsSpan(0, k))) return null;
        var tail = u.Perm[k..];
        if (tail.Any(a => a < k) || Perms.IsIdentity([.. tail.Select(a => a - k)])) return null;
        var lead = u.Perm[..k];
        var raw = l.Read(u, u.Perm, Form.Raw);
        var input = l.Reshape(raw, [.. Perms.Apply(us, lead), rs[^1]]);
        return ([.. lead, k], input, [.. tail.Select(a => a - k)]);
    }

    /// <summary>W [O, Π dims] with its columns re-ordered to the merged axes' device order, as TTNN's [K, N].</summary>
    private static Tensor PermutedColumns(Tensor w, int o, int[] dims, int[] order)
    {
        var t = new Transpose { Perm = [0, .. order.Select(a => a + 1)] }.Evaluate([w.Reshape([o, .. dims])]);
        return new Transpose { Perm = [1, 0] }.Evaluate([t.Reshape(o, w.Shape[1])]);
    }
}
