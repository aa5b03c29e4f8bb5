using VoxTile.IR;
using VoxTile.Lowering.Passes;
using VoxTile.Lowering.Rules.Decompose;

namespace VoxTile.Lowering.Tests.Rules.Decompose;

public sealed class DecomposeBf16OnlyUnaryF32Tests
{
    private static PassContext F32 => RuleCheck.Context(new LoweringOptions { WeightDType = DType.F32, ActivationDType = DType.F32 });

    [Theory]
    [InlineData("softplus")]
    [InlineData("sigmoid")]
    [InlineData("tanh")]
    public void EqualsTheOpInF32AcrossItsRange(string op)
    {
        var x = new Tensor([1, 4000], [.. Enumerable.Range(0, 4000).Select(i => -120f + i * 0.06f)]);
        var g = RuleCheck.Build(op, [TensorType.F32(1, 4000)], n => op switch
        {
            "softplus" => Nn.Softplus(n[0]),
            "sigmoid" => Nn.Sigmoid(n[0]),
            _ => Nn.Tanh(n[0]),
        });
        var d = new DecomposePass().Run(g, F32);
        Assert.False(RuleCheck.Contains(d, "nn." + op));
        var want = RuleCheck.Run(g, x);
        var got = RuleCheck.Run(d, x);
        // fp32 rounding of values of magnitude ≤ 1 (an ulp or two of 1), and no relative error above an ulp where softplus returns x.
        for (int i = 0; i < x.Length; i++)
            Assert.True(Math.Abs(got.Data[i] - want.Data[i]) <= 2.4e-7 + 2.4e-7 * Math.Abs(want.Data[i]), $"{op}({x.Data[i]}): {got.Data[i]} vs {want.Data[i]}");
    }

    [Fact]
    public void LeavesBf16PlansAlone()
    {
        var g = RuleCheck.Build("sp", [TensorType.F32(1, 8)], n => Nn.Tanh(Nn.Sigmoid(Nn.Softplus(n[0]))));
        var d = new DecomposePass().Run(g, RuleCheck.Context());
        Assert.True(RuleCheck.Contains(d, "nn.softplus") && RuleCheck.Contains(d, "nn.sigmoid") && RuleCheck.Contains(d, "nn.tanh"));
    }
}
