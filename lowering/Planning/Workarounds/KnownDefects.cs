using VoxTile.IR;
using VoxTile.Lowering.Targets;
using TtConv1d = VoxTile.IR.Ops.Ttnn.Conv1d;

namespace VoxTile.Lowering.Planning.Workarounds;

/// <summary>
/// The table of TTNN defects the planner avoids. Each entry cites its upstream issue; delete it when the fix is
/// in the TTNN the plans run on.
/// </summary>
public static class KnownDefects
{
    /// <summary>
    /// tt-metal #55545: on Wormhole, <c>ttnn.conv1d</c> with kernel 11 at 128 channels returns wrong values for input
    /// lengths 8193–8704. The HiFi-GAN's second resblock stage runs exactly that conv (128 channels, kernel 11, at 64
    /// samples per frame: 129–136 frames land in the range). Length buckets of 128 frames never produce those lengths;
    /// a plan for any other length slices the conv along time so that no slice's length falls in the range.
    /// </summary>
    public static KnownDefect Conv1dK11C128Lengths { get; } = new()
    {
        Issue = "tenstorrent/tt-metal#55545",
        Summary = "Wormhole ttnn.conv1d with kernel 11 at 128 channels returns wrong values for lengths 8193–8704",
        Avoidance = "slice the conv along time so that no slice's input or output length is in 8193–8704",
        Affects = (op, inputs, output, target) =>
            op is TtConv1d c && TargetArch.Of(target) == Arch.Wormhole && c.KernelSize == 11 && c.InChannels == 128 && c.OutChannels == 128
            && (InBadRange(c.InputLength) || InBadRange(c.OutputLength)),
    };

    public const int Issue55545First = 8193, Issue55545Last = 8704;

    private static bool InBadRange(int length) => length is >= Issue55545First and <= Issue55545Last;

    public static IReadOnlyList<KnownDefect> All { get; } = [Conv1dK11C128Lengths];

    /// <summary>The defects a node would hit, in table order.</summary>
    public static IEnumerable<KnownDefect> Hit(Op op, IReadOnlyList<TensorType> inputs, TensorType output, TargetSpec target) =>
        All.Where(d => d.Affects(op, inputs, output, target));
}
