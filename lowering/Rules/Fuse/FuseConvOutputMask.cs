using VoxTile.IR;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.Lowering.Targets;

namespace VoxTile.Lowering.Rules.Fuse;

/// <summary>
/// <c>conv(x) * mask</c> with a row mask (one value per output frame, broadcast over the channels: VITS's
/// <c>conv(x) * x_mask</c>) → <c>cpu.conv1d</c> with <c>output_mask</c>, applied last. Only the <c>cpu</c> target.
/// </summary>
public sealed class FuseConvOutputMask : IFuseRule
{
    public string Name => "fuse-conv-output-mask";

    public bool AppliesTo(TargetSpec target) => !target.IsTenstorrent;

    public Node? Rewrite(Node node, FuseContext cx)
    {
        if (node.Op is not Multiply) return null;
        foreach (var side in node.Inputs)
        {
            if (ConvPatterns.Behind(side, node, cx) is not { Node: var conv, Conv: var f }) continue;
            if (ConvPatterns.Other(node, side) is not { } m || f.OutputMask is not null) continue;
            if (!ConvPatterns.IsRowMask(m.Type, node.Type, f.Rows) || !ConvPatterns.HoldsRows(node.Type, f.Rows, f.ResultChannels)
                || FuseContext.DependsOn(m, conv)) continue;
            return (f with { OutputMask = m }).Replacing(node);
        }
        return null;
    }
}
