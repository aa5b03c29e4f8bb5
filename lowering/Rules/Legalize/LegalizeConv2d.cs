using VoxTile.IR;
using VoxTile.IR.Ops.Conv;
using Tt = VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Lowering.Rules.Legalize;

/// <summary>
/// <c>nn.conv2d</c> (ref_enc's 3×3 stride-2 stack) → <c>ttnn.conv2d</c>: input NHWC, or the previous conv's
/// flattened [1, 1, N·H·W, C], which TTNN takes as is, so the six convs and their ReLUs chain with no reshape;
/// weight [O, C/g, KH, KW] and bias [1, 1, 1, O] on the host. The result is NHWC, flattened.
/// </summary>
public sealed class LegalizeConv2d : ILegalizeRule
{
    public string Name => "legalize-conv2d";

    public DeviceValue? Lower(Node node, Legalizer l)
    {
        if (node.Op is not Conv2d op) return null;
        var x = l.Value(node.Inputs[0]);
        var w = l.Value(node.Inputs[1]);
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], wd = x.Shape[3], o = w.Shape[0];
        var weight = ConvOperands.Weight(l, node, w, w.Shape);
        if (weight is null || !ConvOperands.TryBias(l, node, 2, out var bias)) return null;
        var perm = Perms.ChannelsLast(4);
        var conv = new Tt.Conv2d
        {
            InChannels = c,
            OutChannels = o,
            BatchSize = n,
            InputHeight = h,
            InputWidth = wd,
            KernelSize = [w.Shape[2], w.Shape[3]],
            Stride = op.Stride,
            Padding = op.Padding,
            Dilation = op.Dilation,
            Groups = op.Groups,
        };
        var input = ConvOperands.Input(l, x, perm, ConvOperands.InputDType(l, node, c), ConvOperands.TakesTiles(conv), [1, 1, n * h * wd, c], [n, h, wd, c]);
        var y = bias is null ? l.Emit(conv, input, weight) : l.Emit(conv, input, weight, bias);
        return DeviceValue.Of(y, perm, node.Shape.ToArray());
    }
}
