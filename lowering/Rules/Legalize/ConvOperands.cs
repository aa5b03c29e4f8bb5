using VoxTile.IR;
using VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Lowering.Rules.Legalize;

/// <summary>
/// What the three conv rules share: the input read channels-last in the dtype the conv takes and made ROW_MAJOR
/// before any reshape (a reshape of a TILE tensor to a narrow width pads every row to 32), and the weights and bias
/// as host constants.
/// </summary>
internal static class ConvOperands
{
    private const int TileWidth = 32;

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
    /// <para><paramref name="tiled"/>: the conv takes TILE bf16 input (<see cref="TtnnConv.Requirements"/>): a bf16 input
    /// in TILE goes in as it is, reshaped only where TTNN views the reshape (<see cref="Reshape.KeepsBytes"/>: the
    /// same tiles, as a MeloTTS frame view [1, F, s, C] read as [1, F·s, C]); no <c>ttnn.to_layout</c>.</para>
    /// </summary>
    public static Node Input(Legalizer l, DeviceValue x, int[] perm, DType dtype, bool tiled, params int[][] accepted)
    {
        var n = l.Read(x, perm, Form.Raw, dtype);
        // Channels that are not whole tiles go ROW_MAJOR even where the conv takes tiles: TILE pads every row to whole
        // tiles, so a 16-channel input (MeloTTS's last HiFi-GAN stage) would hold twice its bytes in L1 and in each
        // explicit slice of it, and the plan spills for it; one ttnn.to_layout in L1 costs less than those spills.
        tiled &= WholeTiles(accepted[0][^1]);
        bool Accepted(Node m) => accepted.Any(a => a.AsSpan().SequenceEqual(Legalizer.Sizes(m)));
        if (tiled && dtype == DType.BF16 && (n.Type.Layout ?? Layout.Tile) == Layout.Tile)
        {
            if (Accepted(n)) return n;
            var s = Legalizer.Sizes(n);
            if (s.Length >= 2 && accepted.FirstOrDefault(a => Reshape.KeepsBytes(n.Type, n.Type with { Shape = new Shape(a) })) is { } view)
                return l.Reshape(n, view);
        }
        if (!Accepted(n) && accepted[0][^1] > Legalizer.Sizes(n)[^1]) n = l.Reshape(n, accepted[0]);
        // A widening reshape (a [B, C, 1] value read as [B, 1, C]) leaves TILE bf16 input the conv takes as it is.
        if (tiled && dtype == DType.BF16 && (n.Type.Layout ?? Layout.Tile) == Layout.Tile && Accepted(n)) return n;
        n = l.ToLayout(n, Layout.RowMajor);
        return Accepted(n) ? n : l.Reshape(n, accepted[0]);
    }

    /// <summary>Whether a conv input of <paramref name="channels"/> channels fills whole tiles, so TILE pads none of its rows (else it goes ROW_MAJOR).</summary>
    public static bool WholeTiles(int channels) => channels % TileWidth == 0;

    /// <summary>Whether the conv takes its input TILE in bf16 (its input requirement allows TILE).</summary>
    public static bool TakesTiles(ITtnnOp conv) => conv.RequirementOf(0).Layout != LayoutRequirement.RowMajor;

    /// <summary>
    /// Conv weights stay on the host; TTNN prepares them on the first call. f32 when activations are f32, else bf16
    /// ROW_MAJOR, or bfp8_b when <see cref="Passes.LoweringOptions.WeightDType"/> asks for it (the emitted conv config
    /// then says <c>weights_dtype=ttnn.bfloat8_b</c>), packed as TTNN prepares it (Plan/ConvWeightMatrix: each shared
    /// exponent over 16 consecutive output channels). A grouped conv whose groups do not fill whole blocks of 16 output
    /// channels keeps bf16: TTNN expands grouped weights block-diagonally, so its exponent blocks would mix zeros of
    /// other groups that the plan's compact [C_out, C_in/groups, K] cannot hold. Transposed convs keep bf16 too
    /// (TTNN prepares their [C_in, C_out/groups, K] weights otherwise).
    /// </summary>
    public static DType WeightDType(Legalizer l, Node node)
    {
        if (l.Activation == DType.F32) return DType.F32;
        if (l.Options.WeightDType != DType.BFP8_B) return DType.BF16;
        var (cout, groups) = node.Op switch
        {
            IR.Ops.Conv.Conv1d c => (node.Inputs[1].Shape[0].Value, c.Groups),
            IR.Ops.Conv.Conv2d c => (node.Inputs[1].Shape[0].Value, c.Groups),
            _ => (0, 0),
        };
        return groups == 1 || (groups > 1 && cout / groups % 16 == 0) ? DType.BFP8_B : DType.BF16;
    }

    /// <summary>The bias dtype: f32 with f32 activations, else bf16 (its [1, 1, 1, O] is prepared by TTNN in any case).</summary>
    public static DType BiasDType(Legalizer l) => BiasDType(l.Activation);

    /// <summary>The bias dtype for <paramref name="activations"/> (also of a bias the fuse pass makes).</summary>
    public static DType BiasDType(DType activations) => activations == DType.F32 ? DType.F32 : DType.BF16;

    public static Node? Weight(Legalizer l, Node node, DeviceValue w, int[] shape, string? what = null, Func<Tensor, Tensor>? transform = null)
    {
        if (w.Constant is not { } c)
        {
            l.Reject("its weight is computed on the device, but TTNN convs take weights from the host: it must be a compile-time constant");
            return null;
        }
        var dtype = WeightDType(l, node);
        var layout = dtype.IsBlockFloat() ? Layout.Tile : Layout.RowMajor;
        if (transform is null) return l.Materialize(c, w.Shape, Perms.Identity(w.Rank), dtype, layout, shape);
        return l.ConstantNode(Legalizer.DerivedKey(c.Key, what!), shape, dtype, layout, () => c.Value is { } v ? transform(v) : null);
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
        bias = l.Materialize(c, b.Shape, [0], BiasDType(l), Layout.RowMajor, [1, 1, 1, b.Shape[0]]);
        return true;
    }
}
