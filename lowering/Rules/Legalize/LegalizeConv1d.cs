using VoxTile.IR;
using VoxTile.IR.Ops.Conv;
using Tt = VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Lowering.Rules.Legalize;

/// <summary>
/// <c>nn.conv1d</c> → <c>ttnn.conv1d</c>: input channels-last [B, L, C] (or a previous conv's flattened
/// [1, 1, B·L, C], which TTNN takes as is), weight [O, C/groups, K] and bias [1, 1, 1, O] on the host,
/// asymmetric padding as (left, right). The result stays flattened, [1, 1, B·L_out, O]: it is the channels-last
/// value's bytes, and the next conv or elementwise op reads it without a reshape.
/// </summary>
public sealed class LegalizeConv1d : ILegalizeRule
{
    public string Name => "legalize-conv1d";

    public DeviceValue? Lower(Node node, Legalizer l)
    {
        if (node.Op is not Conv1d op) return null;
        var x = l.Value(node.Inputs[0]);
        var w = l.Value(node.Inputs[1]);
        int b = x.Shape[0], c = x.Shape[1], len = x.Shape[2], o = w.Shape[0], k = w.Shape[2];
        var weight = ConvOperands.Weight(l, node, w, w.Shape);
        if (weight is null || !ConvOperands.TryBias(l, node, 2, out var bias)) return null;
        var perm = Perms.ChannelsLast(3);
        var conv = new Tt.Conv1d
        {
            InChannels = c,
            OutChannels = o,
            BatchSize = b,
            InputLength = len,
            KernelSize = k,
            Stride = op.Stride,
            Padding = [op.Padding, op.PaddingRight < 0 ? op.Padding : op.PaddingRight],
            Dilation = op.Dilation,
            Groups = op.Groups,
        };
        var input = ConvOperands.Input(l, x, perm, ConvOperands.InputDType(l, node, c), ConvOperands.TakesTiles(conv), [b, len, c], [1, 1, b * len, c], [b, len, 1, c]);
        var y = bias is null ? l.Emit(conv, input, weight) : l.Emit(conv, input, weight, bias);
        return DeviceValue.Of(y, perm, node.Shape.ToArray());
    }
}
