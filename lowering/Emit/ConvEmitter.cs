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
/// A conv1d's fused activation goes in its <c>Conv2dConfig(activation=…)</c>.
/// </summary>
internal sealed class ConvEmitter : IOpEmitter
{
    public IReadOnlyCollection<string> Ops { get; } = ["ttnn.conv1d", "ttnn.conv2d", "ttnn.conv_transpose2d"];

    public string Emit(EmitStep s)
    {
        var cx = s.Context;
        var site = s.Out;
        bool cached = IsWeight(s, 1) && (s.InputCount < 3 || IsWeight(s, 2));
        string weight = cached ? $"W[{Py.Str("@" + site)}]" : s.In(1);
        string? bias = s.InputCount > 2 ? (cached ? $"W[{Py.Str("@" + site + ".bias")}]" : s.In(2)) : null;
        if (cached) cx.ConvSites.Add((site, cx.WeightName(s.Step.Inputs[1]), s.InputCount > 2 ? cx.WeightName(s.Step.Inputs[2]) : null));

        var args = new List<string?> { "input_tensor=" + s.In(0), "weight_tensor=" + weight, "device=device" };
        args.AddRange(s.Op switch
        {
            Conv1d c => Conv1dArgs(c),
            Conv2d c => Conv2dArgs(c),
            ConvTranspose2d c => ConvTranspose2dArgs(c),
            _ => throw new InvalidOperationException($"{s.Op.Name} is not a convolution"),
        });
        args.Add("dtype=" + TtnnSpelling.DType(s.OutType.DType));
        if (bias is not null) args.Add("bias_tensor=" + bias);
        var (activation, param) = s.Op is Conv1d fused ? (fused.Activation, fused.ActivationParam) : (ConvActivation.None, 0f);
        args.Add("conv_config=" + cx.ConvConfig(s.InType(1).DType, s.OutType.Layout ?? Layout.Tile, activation, param));
        args.Add("compute_config=" + cx.ComputeConfig([s.InType(0).DType, s.InType(1).DType]));
        args.Add(s.MemoryConfigArg);
        if (s.Op is ConvTranspose2d t) args.Add("mirror_kernel=" + Py.Bool(t.MirrorKernel));
        if (!cached) return s.Assign(s.Op.Name, [.. args]);
        args.Add("return_weights_and_bias=True");
        var prepared = $"[W[{Py.Str("@" + site)}], {(bias is null ? "_" : $"W[{Py.Str("@" + site + ".bias")}]")}]";
        return $"{site}, {prepared} = {EmitStep.Call(s.Op.Name, [.. args])}";
    }

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
