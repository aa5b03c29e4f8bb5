using VoxTile.IR;
using VoxTile.Models.Parameters;

namespace VoxTile.Models.OpenVoice;

/// <summary>The PyTorch layers the VITS family is made of, as IR builders over checkpoint keys.</summary>
internal static class Layers
{
    /// <summary>nn.Conv1d with weight <c>{prefix}.weight</c> [out, in/groups, k] and bias <c>{prefix}.bias</c> [out].</summary>
    public static Node Conv1d(WeightNodes w, string prefix, Node x, int inCh, int outCh, int kernel,
        int dilation = 1, int? padding = null, bool bias = true, int groups = 1)
    {
        var weight = w.Get(prefix + ".weight", [outCh, inCh / groups, kernel]);
        var b = bias ? w.Get(prefix + ".bias", [outCh], fanIn: inCh / groups * kernel) : null;
        return Nn.Conv1d(x, weight, bias: b, padding: padding ?? dilation * (kernel - 1) / 2, dilation: dilation, groups: groups);
    }

    /// <summary>nn.ConvTranspose1d: weight [in, out, k].</summary>
    public static Node ConvTranspose1d(WeightNodes w, string prefix, Node x, int inCh, int outCh, int kernel, int stride, int padding)
    {
        var weight = w.Get(prefix + ".weight", [inCh, outCh, kernel], fanIn: outCh * kernel);
        var b = w.Get(prefix + ".bias", [outCh], fanIn: outCh * kernel);
        return Nn.ConvTranspose1d(x, weight, bias: b, stride: stride, padding: padding);
    }

    public static Node Linear(WeightNodes w, string prefix, Node x, int inF, int outF)
    {
        var weight = w.Get(prefix + ".weight", [outF, inF]);
        var b = w.Get(prefix + ".bias", [outF], fanIn: inF);
        return Nn.Linear(x, weight, bias: b);
    }

    /// <summary>Channels [from, to) of a [B, C, T] value.</summary>
    public static Node Channels(Node x, int from, int to) => Nn.Slice(x, 1, from, end: to);
}
