using VoxTile.IR;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.Lowering.Plan;

namespace VoxTile.Lowering.Emit;

/// <summary>
/// The three convolutions, every argument by keyword (TTNN's conv bindings are keyword-only) in the binding's order.
/// The IR's attributes are TTNN's: channels-last input as the plan holds it ([N, L, 1, C], [N, L, C] or flattened
/// [1, 1, N·L, C]), host weight [O, C/groups, K] (conv1d), OIHW (conv2d) or [C_in, C_out/groups, KH, KW]
/// (conv_transpose2d, with <c>mirror_kernel</c> always written: docstring and binding disagree on its default), bias
/// [1, 1, 1, O]; the output [1, 1, N·L_out, O] in the plan's dtype, layout (<c>Conv2dConfig.output_layout</c>) and
/// memory config. Weights from the plan go in on the host the first time and TTNN returns them prepared
/// (<c>return_weights_and_bias=True</c>); the call site keeps that copy in <c>W["@site"]</c> for the next run.
/// A conv1d's fused activation goes in its <c>Conv2dConfig(activation=…)</c>, its act block height (the planner's
/// choice where the default would not fit beside the live tensors) in <c>Conv2dConfig(act_block_h_override=…)</c>.
/// <para>A conv that TTNN slices through DRAM gets <c>slice_config=ttnn.Conv2dSliceConfig(slice_type=…, num_slices=…)</c>
/// (conv2d's keyword; conv_transpose2d's is <c>dram_slice_config</c>). TTNN's conv1d has no slice config
/// (ttnn-api-notes.md §3), so a sliced conv1d is written as the conv2d it stands for: height 1, width L, kernel (1, K),
/// sliced along the width. That is the form of conv1d's docstring ("a 2D convolution of input height 1 and width
/// input_length") and of the newest conv1d.cpp, and its input [N, 1, L, C] is, for one utterance, the flattened
/// [1, 1, L, C] every conv here writes: no data moves. (The older L-by-1 form of the conv1d test would read
/// [N, L, 1, C], a different tiling of the same values.) Its host weight [O, C/groups, K] is viewed as OIHW
/// [O, C/groups, 1, K] once, where the call site's weights are set up (tt-metal's own conv1d.py reshapes the host
/// weight the same way).</para>
/// </summary>
internal sealed class ConvEmitter : IOpEmitter
{
    public IReadOnlyCollection<string> Ops { get; } = ["ttnn.conv1d", "ttnn.conv2d", "ttnn.conv_transpose2d"];

    public string Emit(EmitStep s)
    {
        var cx = s.Context;
        var site = s.Out;
        var asConv2d = s.Op is Conv1d { IsDramSliced: true } sliced1d ? sliced1d : null;
        int[]? oihw = asConv2d is { } w4 ? [w4.OutChannels, w4.InChannels / w4.Groups, 1, w4.KernelSize] : null;
        bool cached = IsWeight(s, 1) && (s.InputCount < 3 || IsWeight(s, 2));
        string weight = cached ? $"W[{Py.Str("@" + site)}]" : oihw is null ? s.In(1) : EmitStep.Call("ttnn.reshape", s.In(1), Py.List(oihw));
        string? bias = s.InputCount > 2 ? (cached ? $"W[{Py.Str("@" + site + ".bias")}]" : s.In(2)) : null;
        if (cached) cx.ConvSites.Add((site, cx.WeightName(s.Step.Inputs[1]), s.InputCount > 2 ? cx.WeightName(s.Step.Inputs[2]) : null, oihw));

        string input = s.In(0), prelude = "";
        if (asConv2d is { } c1 && !HeightOneInput(s.InType(0), c1))
        {
            // [N, L, C] or [N, L, 1, C] → [1, 1, N·L, C]: the flattened form conv2d reads.
            input = s.Out + "_in";
            prelude = $"{input} = {EmitStep.Call("ttnn.reshape", s.In(0), Py.List([1, 1, c1.BatchSize * c1.InputLength, c1.InChannels]))}\n    ";
        }
        var args = new List<string?> { "input_tensor=" + input, "weight_tensor=" + weight, "device=device" };
        args.AddRange(s.Op switch
        {
            Conv1d c when c.IsDramSliced => Conv1dAsConv2dArgs(c),
            Conv1d c => Conv1dArgs(c),
            Conv2d c => Conv2dArgs(c),
            ConvTranspose2d c => ConvTranspose2dArgs(c),
            _ => throw new InvalidOperationException($"{s.Op.Name} is not a convolution"),
        });
        args.Add("dtype=" + TtnnSpelling.DType(s.OutType.DType));
        if (bias is not null) args.Add("bias_tensor=" + bias);
        var (activation, param) = s.Op is Conv1d fused ? (fused.Activation, fused.ActivationParam) : (ConvActivation.None, 0f);
        int actBlockH = s.Op is Conv1d blocked ? blocked.ActBlockH : 0;
        args.Add("conv_config=" + cx.ConvConfig(s.InType(1).DType, s.OutType.Layout ?? Layout.Tile, activation, param, actBlockH));
        args.Add("compute_config=" + cx.ComputeConfig([s.InType(0).DType, s.InType(1).DType]));
        args.Add(s.MemoryConfigArg);
        var (sliceType, slices) = s.Op switch
        {
            Conv1d c => (c.SliceType, c.NumSlices),
            Conv2d c => (c.SliceType, c.NumSlices),
            _ => (ConvSliceType.None, 0),
        };
        if (sliceType != ConvSliceType.None) args.Add("slice_config=" + SliceConfig(sliceType, slices));
        if (s.Op is ConvTranspose2d t) args.Add("mirror_kernel=" + Py.Bool(t.MirrorKernel));
        string function = asConv2d is null ? s.Op.Name : "ttnn.conv2d";
        if (!cached) return prelude + s.Assign(function, [.. args]);
        args.Add("return_weights_and_bias=True");
        var prepared = $"[W[{Py.Str("@" + site)}], {(bias is null ? "_" : $"W[{Py.Str("@" + site + ".bias")}]")}]";
        return $"{prelude}{site}, {prepared} = {EmitStep.Call(function, [.. args])}";
    }

    /// <summary>TTNN's DRAM slice config: <c>ttnn.Conv2dSliceConfig</c> is keyword-only, its type a <c>SliceTypeEnum</c> member.</summary>
    private static string SliceConfig(ConvSliceType type, int count) =>
        EmitStep.Call("ttnn.Conv2dSliceConfig", "slice_type=ttnn.Conv2dSliceConfig.SliceTypeEnum." + (type == ConvSliceType.Height ? "SliceHeight" : "SliceWidth"),
            $"num_slices={count}");

    /// <summary>Whether the input already is the height-1 conv2d's [N, 1, L, C] or its flattened [1, 1, N·L, C].</summary>
    private static bool HeightOneInput(TensorType x, Conv1d c)
    {
        var d = x.Shape.ToArray();
        return d.Length == 4 && d[^1] == c.InChannels && ((d[0] == c.BatchSize && d[1] == 1 && d[2] == c.InputLength) || (d[0] == 1 && d[1] == 1 && d[2] == c.BatchSize * c.InputLength));
    }

    /// <summary>A DRAM-sliced conv1d as TTNN's conv2d of height 1 and width L (see the class comment for why this form).</summary>
    private static IEnumerable<string> Conv1dAsConv2dArgs(Conv1d c) =>
    [
        $"in_channels={c.InChannels}", $"out_channels={c.OutChannels}", $"batch_size={c.BatchSize}", "input_height=1", $"input_width={c.InputLength}",
        "kernel_size=" + Py.Tuple([1, c.KernelSize]), "stride=" + Py.Tuple([1, c.Stride]),
        "padding=" + Py.Tuple([0, 0, c.PadLeft, c.PadRight]), "dilation=" + Py.Tuple([1, c.Dilation]), $"groups={c.Groups}",
    ];

    private static bool IsWeight(EmitStep s, int i) => s.Context.Plan.Tensor(s.Step.Inputs[i]).Kind == PlanTensorKind.Weight;

    private static IEnumerable<string> Conv1dArgs(Conv1d c) =>
    [
        $"in_channels={c.InChannels}", $"out_channels={c.OutChannels}", $"batch_size={c.BatchSize}", $"input_length={c.InputLength}",
        $"kernel_size={c.KernelSize}", $"stride={c.Stride}",
        "padding=" + (c.PadLeft == c.PadRight ? Py.Int(c.PadLeft) : Py.Tuple([c.PadLeft, c.PadRight])),
        $"dilation={c.Dilation}", $"groups={c.Groups}",
    ];

    private static IEnumerable<string> Conv2dArgs(Conv2d c) =>
    [
        $"in_channels={c.InChannels}", $"out_channels={c.OutChannels}", $"batch_size={c.BatchSize}", $"input_height={c.InputHeight}",
        $"input_width={c.InputWidth}", "kernel_size=" + Py.Tuple(c.KernelSize), "stride=" + Py.Tuple(c.Stride),
        "padding=" + Py.Tuple(c.Padding), "dilation=" + Py.Tuple(c.Dilation), $"groups={c.Groups}",
    ];

    private static IEnumerable<string> ConvTranspose2dArgs(ConvTranspose2d c) =>
    [
        $"in_channels={c.InChannels}", $"out_channels={c.OutChannels}", $"batch_size={c.BatchSize}", $"input_height={c.InputHeight}",
        $"input_width={c.InputWidth}", "kernel_size=" + Py.Tuple(c.KernelSize), "stride=" + Py.Tuple(c.Stride),
        "padding=" + Py.Tuple(c.Padding), "output_padding=" + Py.Tuple(c.OutputPadding), "dilation=" + Py.Tuple(c.Dilation), $"groups={c.Groups}",
    ];
}
