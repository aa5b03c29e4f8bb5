namespace VoxTile.IR.Ops.Ttnn;

/// <summary>
/// What the three ttnn convolutions share: the channels-last input forms TTNN accepts, the [1, 1, 1, O] bias, the
/// operand requirements (input ROW_MAJOR bf16/f32, or TILE bf16 where TTNN untilizes it itself; weights and bias stay on the host,
/// TTNN prepares them itself; weights bf16/f32 ROW_MAJOR, or bfp8_b tiles when the conv config asks for bfp8_b weights) and the NHWC ⇄ NCHW moves around the fp32 references in <c>Ops/Conv</c>.
/// </summary>
internal static class TtnnConv
{
    /// <summary>
    /// Null when <paramref name="x"/> is the NHWC input [N, H, W, C] given by the attributes, or its flattened form
    /// [1, 1, N·H·W, C] (the layout of a conv's output, so convs chain without a reshape); otherwise why not.
    /// <paramref name="alsoNlc"/> admits conv1d's [N, L, C].
    /// </summary>
    public static string? InputError(TensorType x, int n, int h, int w, int c, string form, bool alsoNlc = false)
    {
        if (!x.DType.IsFloat()) return $"input_tensor must be a float tensor, got {x}";
        if (!x.Shape.IsFixed) return $"input_tensor needs a fixed shape (batch_size and the spatial sizes are attributes), got {x}";
        var s = x.Shape.ToArray();
        bool ok = s.SequenceEqual([n, h, w, c]) || s.SequenceEqual([1, 1, n * h * w, c]) || (alsoNlc && s.SequenceEqual([n, h * w, c]));
        return ok ? null : $"input_tensor must be {form} = [{n}, {h}, {w}, {c}] or flattened [1, 1, {n * h * w}, {c}], got {x}";
    }

    public static string? BiasError(IReadOnlyList<TensorType> t, int outChannels)
    {
        if (t.Count < 3) return null;
        return t[2].Shape.Equals(new Shape(1, 1, 1, outChannels)) && t[2].DType.IsFloat() ? null
            : $"bias_tensor must be a float [1, 1, 1, {outChannels}], got {t[2]}";
    }

    public static string? CountsError(params (string Name, int Value)[] counts) =>
        counts.FirstOrDefault(c => c.Value < 1) is { Name: not null } bad ? $"{bad.Name} must be ≥ 1, got {bad.Value}" : null;

    /// <summary>The channels-last input as [N, C, H, W] for the references.</summary>
    public static Tensor ToNchw(Tensor x, int n, int h, int w, int c) =>
        new Movement.Transpose { Perm = [0, 3, 1, 2] }.Evaluate([x.Reshape(n, h, w, c)]);

    /// <summary>A reference's [N, O, H, W] as TTNN's output [1, 1, N·H·W, O].</summary>
    public static Tensor ToFlatNhwc(Tensor y)
    {
        var t = new Movement.Transpose { Perm = [0, 2, 3, 1] }.Evaluate([y]);
        return t.Reshape(1, 1, y.Shape[0] * y.Shape[2] * y.Shape[3], y.Shape[1]);
    }

    /// <summary>
    /// The operand requirements. <paramref name="tiledInput"/>: the conv takes a TILE bf16 input as it is — TTNN's halo
    /// step untilizes it (ttnn-api-notes.md §3: "ROW_MAJOR is preferred; the halo step converts TILE input"), so no
    /// <c>ttnn.to_layout</c> goes before it. An f32 input stays ROW_MAJOR (tt-mlir's conv workaround makes conv inputs
    /// ROW_MAJOR; the notes give TILE conversion for bf16 only), and so does a strided conv's (tt-mlir's large strided
    /// conv2d tests "will not pass if the input is in tile layout": test/ttmlir/Silicon/TTNN/n150/conv/large_conv2d_*.mlir).
    /// </summary>
    public static IReadOnlyList<OperandRequirement> Requirements(bool tiledInput) => tiledInput ? s_tiledInput : s_rowMajorInput;

    private static readonly OperandRequirement[] s_hostOperands =
    [
        // bfp8_b weights (Conv2dConfig.weights_dtype) are tiles: TTNN's prepared matrix, lowering's ConvWeightMatrix.
        OperandRequirement.Host("weight_tensor", DType.BF16, DType.F32, DType.BFP8_B) with { Layout = LayoutRequirement.Any },
        OperandRequirement.Host("bias_tensor", DType.BF16, DType.F32),
    ];

    private static readonly IReadOnlyList<OperandRequirement> s_rowMajorInput =
        [OperandRequirement.Device("input_tensor", LayoutRequirement.RowMajor, true, DType.BF16, DType.F32), .. s_hostOperands];

    private static readonly IReadOnlyList<OperandRequirement> s_tiledInput =
        [OperandRequirement.Device("input_tensor", LayoutRequirement.Any, true, DType.BF16, DType.F32) with { RowMajorDTypes = [DType.F32] }, .. s_hostOperands];
}
