using VoxTile.IR;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.Lowering.Targets;

namespace VoxTile.Lowering.Rules.Fuse;

/// <summary>
/// <c>conv(x) + r</c> with r of the result's size and order (a ResBlock's <c>conv2(…) + x</c>, WaveNet's skip sums) →
/// <c>cpu.conv1d</c> with <c>residual</c>, added after the activation as the result is stored. TTNN's conv has no
/// residual input, so only the <c>cpu</c> target.
/// </summary>
public sealed class FuseConvResidual : IFuseRule
{
    public string Name => "fuse-conv-residual";

    public bool AppliesTo(TargetSpec target) => !target.IsTenstorrent;

    public Node? Rewrite(Node node, FuseContext cx)
    {
        if (node.Op is not Add) return null;
        foreach (var side in node.Inputs)
        {
            if (ConvPatterns.Behind(side, node, cx) is not { Node: var conv, Conv: var f }) continue;
            if (ConvPatterns.Other(node, side) is not { } r || f.HasEpilogueAfterActivation) continue;
            int channels = f.ResultChannels;
            if (!ConvPatterns.IsRowFloat(r.Type) || !ConvPatterns.HoldsRows(r.Type, f.Rows, channels)
                || !ConvPatterns.HoldsRows(node.Type, f.Rows, channels) || FuseContext.DependsOn(r, conv)) continue;
            return (f with { Residual = r }).Replacing(node);
        }
        return null;
    }
}
