using VoxTile.IR;
using VoxTile.IR.Ops.Graph;
using VoxTile.Lowering.Passes;
using VoxTile.Lowering.Planning;
using VoxTile.Lowering.Targets;
using VoxTile.Models.Pipelines;

namespace VoxTile.Models.Tests.Pipelines;

/// <summary>
/// The op budget each part is planned within: issue 11's 1000 ops for the converter, none for MeloTTS, or the one given;
/// and shorter conv act blocks for the converter's parts only (MeloTTS's plans keep their decisions).
/// </summary>
public sealed class CompileSubjectTests
{
    private static CompileSubject Subject(string part)
    {
        var x = Input.Create("x", TensorType.F32(1, 4));
        return new CompileSubject(part, Graph.Create("g", [x], [Nn.Add(x, x)]), new Dictionary<string, int>(), "m", new Dictionary<string, string>(), 22050, null);
    }

    [Theory]
    [InlineData(CompileSubject.Convert, 1000)]
    [InlineData(CompileSubject.ExtractSe, 1000)]
    [InlineData(CompileSubject.Tts, int.MaxValue)]
    public void EachPartHasItsOwnOpBudget(string part, int budget)
    {
        var lowering = new LoweringOptions { Planner = PlannerOptions.Default with { OpBudget = 7 } };
        Assert.Equal(budget, Subject(part).Options(TargetSpec.WormholeN150, lowering).Lowering.Planner.OpBudget);
        Assert.Equal(0, Subject(part).Options(TargetSpec.WormholeN150, lowering, opBudget: 0).Lowering.Planner.OpBudget);
        Assert.Equal(1500, Subject(part).Options(TargetSpec.WormholeN150, lowering, opBudget: 1500).Lowering.Planner.OpBudget);
    }

    [Theory]
    [InlineData(CompileSubject.Convert)]
    [InlineData(CompileSubject.ExtractSe)]
    [InlineData(CompileSubject.Tts)]
    public void EveryPartKeepsTheActBlockChoiceItIsGiven(string part)
    {
        Assert.True(Subject(part).Options(TargetSpec.WormholeN150, new LoweringOptions()).Lowering.Planner.ShrinkConvActBlocks, "shorter act blocks by default");
        var off = new LoweringOptions { Planner = PlannerOptions.Default with { ShrinkConvActBlocks = false } };
        Assert.False(Subject(part).Options(TargetSpec.WormholeN150, off).Lowering.Planner.ShrinkConvActBlocks, "an explicit refusal is kept");
    }
}
