using VoxTile.IR;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.Lowering.Targets;

namespace VoxTile.Lowering.Rules.Fuse;

/// <summary>
/// WaveNet's gate on a conv's result y of 2h channels, <c>tanh(y[…, :h]) * sigmoid(y[…, h:])</c>, with y read only by
/// the two slices → <c>cpu.conv1d</c> with <c>activation = gated_tanh_sigmoid</c> (h channels out). A TTNN conv
/// config fuses one unary op, not this, so only the <c>cpu</c> target.
/// </summary>
public sealed class FuseConvGate : IFuseRule
{
    public string Name => "fuse-conv-gate";

    public bool AppliesTo(TargetSpec target) => !target.IsTenstorrent;

    public Node? Rewrite(Node node, FuseContext cx)
    {
        if (node.Op is not Multiply) return null;
        Node a = node.Inputs[0], b = node.Inputs[1];
        var (t, s) = a.Op is Tanh && b.Op is Sigmoid ? (a, b) : b.Op is Tanh && a.Op is Sigmoid ? (b, a) : (null, null);
        if (t is null || s is null || !cx.OnlyReadBy(t, node) || !cx.OnlyReadBy(s, node)) return null;
        Node lo = t.Inputs[0], hi = s.Inputs[0];
        if (lo.Op is not Slice || hi.Op is not Slice || !cx.OnlyReadBy(lo, t) || !cx.OnlyReadBy(hi, s)) return null;
        var y = lo.Inputs[0];
        if (!ReferenceEquals(y, hi.Inputs[0]) || cx.Uses(y) != 2) return null;
        var conv = y;
        if (conv.Op is Reshape && cx.OnlyReadBy(conv.Inputs[0], conv)) conv = conv.Inputs[0];
        if (FusedConv.Of(conv) is not { } f || conv.Type.DType != node.Type.DType) return null;
        if (f.Activation != ConvActivation.None || f.HasEpilogueAfterActivation || f.Geometry.OutChannels % 2 != 0) return null;
        int h = f.Geometry.OutChannels / 2;
        if (!Halves(y, (Slice)lo.Op, 0, h) || !Halves(y, (Slice)hi.Op, h, 2 * h)) return null;
        if (!ConvPatterns.HoldsRows(node.Type, f.Rows, h)) return null;
        return (f with { Activation = ConvActivation.GatedTanhSigmoid }).Replacing(node);
    }

    /// <summary>Whether <paramref name="s"/> keeps channels [from, to) of <paramref name="y"/> and all of every other dim.</summary>
    private static bool Halves(Node y, Slice s, int from, int to)
    {
        if (!y.Shape.IsFixed) return false;
        var d = y.Shape.ToArray();
        int r = d.Length;
        for (int i = 0; i < r - 1; i++)
            if (s.SliceStart[i] != 0 || s.SliceEnd[i] != d[i] || s.SliceStep[i] != 1) return false;
        return s.SliceStart[r - 1] == from && s.SliceEnd[r - 1] == to && s.SliceStep[r - 1] == 1 && d[r - 1] == 2 * (to - from);
    }
}
