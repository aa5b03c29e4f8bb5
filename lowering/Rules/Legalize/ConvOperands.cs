using VoxTile.IR;

namespace VoxTile.Lowering.Rules.Legalize;

/// <summary>
/// What the three conv rules share: the input read channels-last in the dtype the conv takes and made ROW_MAJOR
/// before any reshape (a reshape of a TILE tensor to a narrow width pads every row to 32), and the weights and bias
/// as host constants.
/// </summary>
internal static class ConvOperands
{
    /// <summary>
    /// The input dtype: the compute dtype, except that an odd channel count in bf16 would make ROW_MAJOR rows of
    /// 2·odd bytes, below the device's 4-byte page granule, so such an input goes in f32 (the conv takes both).
    /// </summary>
    public static DType InputDType(Legalizer l, Node node, int channels)
    {
        var t = l.ComputeDType(node);
        return t == DType.BF16 && channels % 2 == 1 ? DType.F32 : t;
    }

    /// <summary>
    /// The input in <paramref name="perm"/>, ROW_MAJOR, in one of the <paramref name="accepted"/> shapes (else the
    /// first). The reshape happens on the side where rows are wide: before untilizing when it widens them (a
    /// [1, C, 1] conditioning vector becomes [1, 1, C] in TILE, not C one-value pages), after when it narrows them
    /// (ref_enc's one-channel image goes ROW_MAJOR at 513 wide, not TILE at 1 wide).
    /// </summary>
    public static Node Input(Legalizer l, DeviceValue x, int[] perm, DType dtype, params int[][] accepted)
    {
        var n = l.Read(x, perm, Form.Raw, dtype);
        bool Accepted(Node m) => accepted.Any(a => a.AsSpan().SequenceEqual(Legalizer.Sizes(m)));
        if (!Accepted(n) && accepted[0][^1] > Legalizer.Sizes(n)[^1]) n = l.Reshape(n, accepted[0]);
        n = l.ToLayout(n, Layout.RowMajor);
        return Accepted(n) ? n : l.Reshape(n, accepted[0]);
    }

    /// <summary>
    /// Conv weights stay on the host, ROW_MAJOR; TTNN prepares them on the first call. bf16 unless activations are f32:
    /// the operand takes bf16 or f32 only (tt-mlir turns bfp8_b conv weights into bf16 too); a bfp8_b
    /// <see cref="Passes.LoweringOptions.WeightDType"/> needs a <c>weights_dtype</c> attribute on the ttnn convs,
    /// which the dialect does not have yet.
    /// </summary>
    public static DType WeightDType(Legalizer l) => l.Activation == DType.F32 ? DType.F32 : DType.BF16;

    public static Node? Weight(Legalizer l, Node node, DeviceValue w, int[] shape, string? what = null, Func<Tensor, Tensor>? transform = null)
    {
        if (w.Constant is not { } c)
        {
            l.Reject("its weight is computed on the device, but TTNN convs take weights from the host: it must be a compile-time constant");
            return null;
        }
        if (transform is null) return l.Materialize(c, w.Shape, Perms.Identity(w.Rank), WeightDType(l), Layout.RowMajor, shape);
        return l.ConstantNode(Legalizer.DerivedKey(c.Key, what!), shape, WeightDType(l), Layout.RowMajor, () => c.Value is { } v ? transform(v) : null);
    }

    /// <summary>The bias as TTNN's [1, 1, 1, O] host constant; null when there is none, and a rejection when it is computed.</summary>
    public static bool TryBias(Legalizer l, Node node, int index, out Node? bias)
    {
        bias = null;
        if (node.Inputs.Length <= index) return true;
        var b = l.Value(node.Inputs[index]);
        if (b.Constant is not { } c)
        {
            l.Reject("its bias is computed on the device, but TTNN convs take the bias from the host: it must be a compile-time constant");
            return false;
        }
        bias = l.Materialize(c, b.Shape, [0], WeightDType(l), Layout.RowMajor, [1, 1, 1, b.Shape[0]]);
        return true;
    }
}
