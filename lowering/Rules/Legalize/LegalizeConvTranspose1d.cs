using VoxTile.IR;
using VoxTile.IR.Ops.Conv;
using Tt = VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Lowering.Rules.Legalize;

/// <summary>
/// <c>nn.conv_transpose1d</c> (reached with <see cref="Passes.LoweringOptions.ConvTransposeAsConvTranspose2d"/>, or for
/// dilation ≠ 1) → <c>ttnn.conv_transpose2d</c> of height 1: input channels-last [B, 1, L, C_in] (a flattened
/// [1, 1, B·L, C_in] is the same), weight [C_in, C_out/g, 1, K] on the host, TTNN's default mirror_kernel (PyTorch's
/// semantics). The result is channels-last, flattened.
/// </summary>
public sealed class LegalizeConvTranspose1d : ILegalizeRule
{
    public string Name => "legalize-conv-transpose1d";

    public DeviceValue? Lower(Node node, Legalizer l)
    {
        if (node.Op is not ConvTranspose1d op) return null;
        var x = l.Value(node.Inputs[0]);
        var w = l.Value(node.Inputs[1]);
        int b = x.Shape[0], cin = x.Shape[1], len = x.Shape[2], coutG = w.Shape[1], k = w.Shape[2];
        var weight = ConvOperands.Weight(l, node, w, [cin, coutG, 1, k]);
        if (weight is null || !ConvOperands.TryBias(l, node, 2, out var bias)) return null;
        var perm = Perms.ChannelsLast(3);
        var input = ConvOperands.Input(l, x, perm, ConvOperands.InputDType(l, node, cin), false, [1, 1, b * len, cin], [b, 1, len, cin]);
        var conv = new Tt.ConvTranspose2d
        {
            InChannels = cin,
            OutChannels = coutG * op.Groups,
            BatchSize = b,
            InputHeight = 1,
            InputWidth = len,
            KernelSize = [1, k],
            Stride = [1, op.Stride],
            Padding = [0, op.Padding],
            OutputPadding = [0, op.OutputPadding],
            Dilation = [1, op.Dilation],
            Groups = op.Groups,
        };
        var y = bias is null ? l.Emit(conv, input, weight) : l.Emit(conv, input, weight, bias);
        return DeviceValue.Of(y, perm, node.Shape.ToArray());
    }
}
