using VoxTile.IR;
using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Text;
using VoxTile.Lowering.Rules.Legalize;

namespace VoxTile.Lowering.Tests.Rules.Legalize;

/// <summary>Which values stay f32 is read from the typed <see cref="Weight.Exact"/> flag, never from a weight's key.</summary>
public sealed class ExactValuesTests
{
    private static (Graph Graph, Node Sum) PrefixSum(string key, bool exact)
    {
        var x = Input.Create("x", TensorType.F32(1, 4));
        var tri = Weight.Create(key, new Tensor([4, 4]), key, exact);
        var sum = Nn.MatMul(x, tri, name: "sum");
        return (Graph.Create("g", [x], [sum]), sum);
    }

    [Fact]
    public void AMatmulAgainstAnExactWeightIsExactWhateverItsKey()
    {
        var (g, sum) = PrefixSum("w", exact: true);
        var r = ExactValues.Analyze(g);
        Assert.True(r.IsExact(sum));
        Assert.True(r.ComputesExact(sum));
    }

    [Fact]
    public void AKeyThatLooksLikeAPrefixSumMatrixDecidesNothing()
    {
        var (g, sum) = PrefixSum("const.cumsum_tri4", exact: false);
        Assert.False(ExactValues.Analyze(g).IsExact(sum));
    }

    [Fact]
    public void TheFlagSurvivesTheTextForm()
    {
        var (g, _) = PrefixSum("w", exact: true);
        var text = g.ToString();
        Assert.Contains("weight \"w\" {exact = true} : f32[4,4]", text);
        var back = Parser.Parse(text);
        Assert.True(back.Nodes.Select(n => n.Op).OfType<Weight>().Single().Exact);
        Assert.Equal(text, back.ToString());
    }
}
