using VoxTile.IR;
using VoxTile.IR.Ops.Conv;
using Tt = VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Lowering.Rules.Legalize;

/// <summary>
/// A one-channel conv1d whose stride divides its kernel (the STFT's: kernel n_fft 1024, stride hop 256, from
/// DecomposeSpectrogram) → the clip cut into frames of one hop, [B, L/hop, hop], and a stride-1 conv1d of
/// n_fft/hop taps over hop channels: out[t] = Σⱼ Σ_c W[o, 0, j·hop + c] · x[(t + j)·hop + c]. A one-channel
/// channels-last input would be one value per row (one 32-wide tile or one page per sample); the framed clip is
/// the same bytes, 256 wide. The weight is re-laid at compile time
/// (<c>const.&lt;key&gt;.frames_s&lt;hop&gt;</c>).
/// </summary>
public sealed class LegalizeFramingConv1d : ILegalizeRule
{
    public string Name => "legalize-framing-conv1d";

    public DeviceValue? Lower(Node node, Legalizer l)
    {
        if (node.Op is not Conv1d op) return null;
        var x = l.Value(node.Inputs[0]);
        var w = l.Value(node.Inputs[1]);
        int s = op.Stride, k = w.Shape[2];
        if (x.Shape[1] != 1 || w.Shape[1] != 1 || op.Groups != 1 || op.Dilation != 1 || op.Padding != 0 || op.PaddingRight > 0
            || s < 2 || k % s != 0 || !w.IsConstant) return null;
        int b = x.Shape[0], len = x.Shape[2], o = w.Shape[0], frames = node.Shape[2].Value, taps = k / s;
        int rows = frames - 1 + taps;
        var weight = ConvOperands.Weight(l, node, w, [o, s, taps], $"frames_s{s}",
            v => new IR.Ops.Movement.Transpose { Perm = [0, 2, 1] }.Evaluate([v.Reshape(o, taps, s)]));
        if (weight is null || !ConvOperands.TryBias(l, node, 2, out var bias)) return null;

        // The clip's bytes in nn order, cut to whole frames of one hop (the frames use (F − 1)·hop + n_fft ≤ L samples).
        // Framed before it goes ROW_MAJOR, so that no ROW_MAJOR page is the whole clip.
        var clip = l.Reshape(l.Read(x, Perms.Identity(3), Form.Raw), [b, len]);
        if (rows * s < len) clip = l.Slice(clip, 1, 0, rows * s);
        var conv = new Tt.Conv1d { InChannels = s, OutChannels = o, BatchSize = b, InputLength = rows, KernelSize = taps };
        var dtype = ConvOperands.InputDType(l, node, s);
        var framed = l.Cast(l.Reshape(clip, [b, rows, s]), dtype);
        if (dtype != DType.BF16 || !ConvOperands.TakesTiles(conv) || !ConvOperands.WholeTiles(s)) framed = l.ToLayout(framed, Layout.RowMajor);
        var y = bias is null ? l.Emit(conv, framed, weight) : l.Emit(conv, framed, weight, bias);
        return DeviceValue.Of(y, Perms.ChannelsLast(3), node.Shape.ToArray());
    }
}
