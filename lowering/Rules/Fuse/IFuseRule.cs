using VoxTile.IR;
using VoxTile.Lowering.Targets;

namespace VoxTile.Lowering.Rules.Fuse;

/// <summary>
/// A fusion: given a ttnn node whose operands are already fused, the one node (or a reshape of it) that computes the
/// same value as it and the producers it absorbs, or null. Unlike a plain rewrite it reads use counts
/// (<see cref="FuseContext.Uses"/>): a producer is absorbed only when the node is its one reader. Each rule says which
/// targets it serves: Tenstorrent plans fuse only what one TTNN call runs; the <c>cpu</c> target fuses whatever
/// vt_conv1d takes.
/// </summary>
public interface IFuseRule
{
    string Name { get; }

    bool AppliesTo(TargetSpec target);

    Node? Rewrite(Node node, FuseContext context);
}
