using VoxTile.IR;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.Lowering.Targets;

namespace VoxTile.Lowering.Rules.Fuse;

/// <summary>
/// <c>conv(x) + v</c> with v a per-channel vector computed at run time (WaveNet's conditioning on the speaker
/// embedding, <c>cond_layer(g)</c>) → <c>cpu.conv1d</c> with <c>bias_add</c>: vt_conv1d adds it to the bias before
/// the epilogue. In a batch, v may hold one vector per item ([N, 1, C], each item's speaker): vt_conv1d then adds item
/// n's to item n's rows, so each item rounds as its batch-of-one run does. A card cannot (TTNN prepares a conv's bias
/// on the host), so only the <c>cpu</c> target.
/// </summary>
public sealed class FuseConvBiasAdd : IFuseRule
{
    public string Name => "fuse-conv-bias-add";

    public bool AppliesTo(TargetSpec target) => !target.IsTenstorrent;

    public Node? Rewrite(Node node, FuseContext cx)
    {
        if (node.Op is not Add) return null;
        foreach (var side in node.Inputs)
        {
            if (ConvPatterns.Behind(side, node, cx) is not { Node: var conv, Conv: var f }) continue;
            if (ConvPatterns.Other(node, side) is not { } v) continue;
            if (!ConvPatterns.IsChannelVector(v.Type, f.Geometry.OutChannels)
                && !ConvPatterns.IsItemChannelVector(v.Type, node.Type, f.Geometry.BatchSize, f.Geometry.OutChannels)) continue;
            if (f.BiasAdd is not null || f.Activation != ConvActivation.None || f.HasEpilogueAfterActivation) continue;
            if (!ConvPatterns.HoldsRows(node.Type, f.Rows, f.Geometry.OutChannels) || FuseContext.DependsOn(v, conv)) continue;
            return (f with { BiasAdd = v }).Replacing(node);
        }
        return null;
    }
}
