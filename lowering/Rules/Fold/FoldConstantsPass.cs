using VoxTile.IR;
using VoxTile.Lowering.Passes;

namespace VoxTile.Lowering.Rules.Fold;

/// <summary><c>fold-constants</c>: <see cref="FoldConstants"/> and <see cref="FoldMultiplyByOne"/> over the whole graph, then equal constants shared.</summary>
public sealed class FoldConstantsPass() : RulePass(PassName, new FoldMultiplyByOne(), new FoldConstants())
{
    public const string PassName = "fold-constants";

    public override Graph Run(Graph graph, PassContext context) => ShareConstants.Run(base.Run(graph, context));
}
