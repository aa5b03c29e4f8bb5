using VoxTile.Lowering.Rules.Decompose;
using VoxTile.Lowering.Rules.Fold;
using VoxTile.Lowering.Rules.Legalize;

namespace VoxTile.Lowering.Passes;

/// <summary>
/// Every pass a text pipeline may name, by its kebab-case name. <see cref="Default"/> is what <c>voxtile compile</c>
/// runs; each stage of <c>voxtile dump --stage</c> is a prefix of it.
/// </summary>
public static class PassRegistry
{
    public static IReadOnlyDictionary<string, Func<Pass>> Known { get; } = new Dictionary<string, Func<Pass>>(StringComparer.Ordinal)
    {
        [DecomposePass.PassName] = () => new DecomposePass(),
        [FoldConstantsPass.PassName] = () => new FoldConstantsPass(),
        [LegalizeTtnnPass.PassName] = () => new LegalizeTtnnPass(),
        [Rules.Fuse.FusePass.PassName] = () => new Rules.Fuse.FusePass(),
        [Planning.PlanMemoryPass.PassName] = () => new Planning.PlanMemoryPass(),
    };

    public static PassPipeline Parse(string text) => PassPipeline.Parse(text, Known);
}
