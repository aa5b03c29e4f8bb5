using VoxTile.IR;
using VoxTile.Lowering.Passes;
using VoxTile.Lowering.Rules.Decompose;

namespace VoxTile.Lowering.Tests.Rules.Decompose;

public sealed class DecomposeSoftplusF32Tests
{
    private static PassContext F32 => RuleCheck.Context(new LoweringOptions { WeightDType = DType.F32, ActivationDType = DType.F32 });

    [Fact]
    public void EqualsTheOpInF32AcrossItsRange()
    {
        var x = new Tensor([1, 4000], [.. Enumerable.Range(0, 4000).Select(i => -60f + i * 0.03f)]);
        var g = RuleCheck.Build("sp", [TensorType.F32(1, 4000)], n => Nn.Softplus(n[0]));
        var d = new DecomposePass().Run(g, F32);
        Assert.False(RuleCheck.Contains(d, "nn.softplus"));
        var want = RuleCheck.Run(g, x);
        var got = RuleCheck.Run(d, x);
        // Absolute error of fp32 log(1 + e^−|x|): an ulp of 1 at most, and no relative error above an ulp where x > 20.
        for (int i = 0; i < x.Length; i++)
            Assert.True(Math.Abs(got.Data[i] - want.Data[i]) <= 1.2e-7 + 2.4e-7 * Math.Abs(want.Data[i]), $"x {x.Data[i]}: {got.Data[i]} vs {want.Data[i]}");
    }

    [Fact]
    public void LeavesBf16PlansAlone()
    {
        var g = RuleCheck.Build("sp", [TensorType.F32(1, 8)], n => Nn.Softplus(n[0]));
        Assert.True(RuleCheck.Contains(new DecomposePass().Run(g, RuleCheck.Context()), "nn.softplus"));
    }
}
