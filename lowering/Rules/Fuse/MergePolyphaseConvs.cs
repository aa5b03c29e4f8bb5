using VoxTile.IR;
using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.Lowering.Targets;

namespace VoxTile.Lowering.Rules.Fuse;

/// <summary>
/// The phases of a polyphase ConvTranspose1d (lower-conv-transpose-to-polyphase): convs that read the same input
/// with the same geometry and whose results a concat lays side by side on the channels → one conv with their weights
/// (and biases) stacked at compile time, whose [N·Q, s·O] result is the concat's bytes; the reshape after it still
/// interleaves the phases. One GEMM with N = s·O instead of s narrow ones, on a card as on the CPU: every target.
/// </summary>
public sealed class MergePolyphaseConvs : IFuseRule
{
    public string Name => "merge-polyphase-convs";

    public bool AppliesTo(TargetSpec target) => true;

    public Node? Rewrite(Node node, FuseContext cx)
    {
        if (node.Op is not Concat cat || node.Inputs.Length < 2 || !node.Shape.IsFixed) return null;
        int rank = node.Type.Rank;
        if ((cat.Dim < 0 ? cat.Dim + rank : cat.Dim) != rank - 1) return null;
        var phases = new List<FusedConv>();
        foreach (var part in node.Inputs)
        {
            if (!cx.OnlyReadBy(part, node) || FusedConv.Of(part) is not { } f || part.Op is not Conv1d) return null;
            phases.Add(f);
        }
        var first = phases[0];
        var g = first.Geometry;
        bool same = phases.All(p => ReferenceEquals(p.Input, first.Input) && p.Activation == ConvActivation.None && p.Geometry.Groups == 1
            && p.Geometry.InChannels == g.InChannels && p.Geometry.KernelSize == g.KernelSize && p.Geometry.Stride == g.Stride
            && p.Geometry.Dilation == g.Dilation && p.Geometry.PadLeft == g.PadLeft && p.Geometry.PadRight == g.PadRight
            && p.Geometry.BatchSize == g.BatchSize && p.Geometry.InputLength == g.InputLength
            && p.Weight.Op is Weight { Value: not null } && p.Weight.Type.DType == first.Weight.Type.DType && p.Weight.Type.Layout == first.Weight.Type.Layout
            && (p.Bias is null) == (first.Bias is null) && (p.Bias is null || p.Bias.Op is Weight { Value: not null }));
        int total = phases.Sum(p => p.Geometry.OutChannels);
        if (!same || !node.Shape.Equals(new Shape(1, 1, first.Rows, total)) || node.Type.DType != first.DType) return null;

        var weight = Stack(phases.Select(p => p.Weight).ToList(), [total, g.InChannels, g.KernelSize]);
        var bias = first.Bias is null ? null : Stack(phases.Select(p => p.Bias!).ToList(), [1, 1, 1, total]);
        var merged = first with
        {
            Geometry = new Conv1d
            {
                InChannels = g.InChannels,
                OutChannels = total,
                BatchSize = g.BatchSize,
                InputLength = g.InputLength,
                KernelSize = g.KernelSize,
                Stride = g.Stride,
                Padding = g.Padding,
                Dilation = g.Dilation,
                Groups = 1,
            },
            Weight = weight,
            Bias = bias,
        };
        return merged.Replacing(node);
    }

    /// <summary>The weights' values one after another (each is [O_i, …] along its first axis, or a [1, 1, 1, O_i] bias along its last).</summary>
    private static Node Stack(List<Node> parts, int[] shape)
    {
        var data = new float[Tensor.Count(shape)];
        int at = 0;
        foreach (var p in parts)
        {
            var v = ((Weight)p.Op).Value!;
            v.Data.CopyTo(data, at);
            at += v.Data.Length;
        }
        var keys = parts.Select(p => ((Weight)p.Op).Key).ToList();
        var key = (keys.All(k => k == keys[0]) ? keys[0] : CommonStem(keys)) + $".stacked{parts.Count}";
        var type = parts[0].Type with { Shape = new Shape(shape), Memory = null };
        return Weight.Create(key, type, new Tensor(shape, data), Node.IsValidName(key) ? key : null);
    }

    /// <summary>The keys' common prefix cut back to its last '.' or '_' (…polyphase_s8_r0, …_r1 → …polyphase_s8).</summary>
    private static string CommonStem(List<string> keys)
    {
        int n = keys.Min(k => k.Length);
        int len = 0;
        while (len < n && keys.All(k => k[len] == keys[0][len])) len++;
        var prefix = keys[0][..len];
        int cut = Math.Max(prefix.LastIndexOf('.'), prefix.LastIndexOf('_'));
        return cut > 0 ? prefix[..cut] : prefix;
    }
}
