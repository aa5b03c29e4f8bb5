using VoxTile.Lowering.Targets;

namespace VoxTile.Lowering.Planning;

public static class TargetArch
{
    /// <summary>The architecture, from the target's name (<c>wormhole_n150</c>, <c>blackhole_p150</c>; the CPU target by its kind).</summary>
    public static Arch Of(TargetSpec target) =>
        !target.IsTenstorrent ? Arch.Cpu : target.Name.StartsWith("blackhole", StringComparison.Ordinal) ? Arch.Blackhole : Arch.Wormhole;
}
