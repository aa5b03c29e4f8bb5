using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR.Ops.Elementwise;
using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Tests.Support;
using VoxTile.IR.Verify;

namespace VoxTile.IR.Tests.Verify;

public sealed class VerifierTests
{
    [Property(MaxTest = 60)]
    public Property BuiltGraphsVerify() => Prop.ForAll(RandomGraphs.Cases.ToArbitrary(), c =>
    {
        var errors = Verifier.Check(c.Graph);
        Assert.True(errors.Count == 0, $"{c}\n{string.Join("\n", errors)}");
        Verifier.VerifyOrThrow(c.Graph);
    });

    [Fact]
    public void ReportsAValueTypedOtherThanItsOpInfers()
    {
        var x = Input.Create("x", TensorType.F32(1, 4, 10));
        var bad = Node.CreateTyped(new Relu(), [x], TensorType.F32(1, 4, 9), "r");
        var worse = Node.CreateTyped(new Neg(), [Nn.Neg(bad)], TensorType.F32(4, 9)); // the inner neg agrees with its operand's (wrong) type
        var g = Graph.Create("g", [x], [worse]);
        var errors = Verifier.Check(g);
        Assert.Equal(2, errors.Count);
        Assert.Equal("%r (nn.relu): typed f32[1,4,9] but the op infers f32[1,4,10]", errors[0]);
        Assert.Equal("nn.neg: typed f32[4,9] but the op infers f32[1,4,9]", errors[1]);
        var e = Assert.Throws<VoxTileException>(() => Verifier.VerifyOrThrow(g));
        Assert.Contains("@g fails verification", e.Message);
        Assert.Contains("(and 1 more)", e.Message);
    }

    [Fact]
    public void ReportsOperandsTheOpRejects()
    {
        var x = Input.Create("x", TensorType.F32(2, 3));
        var y = Input.Create("y", TensorType.F32(4, 3));
        var g = Graph.Create("g", [x, y], [Node.CreateTyped(new Add(), [x, y], TensorType.F32(4, 3))]);
        Assert.Contains("do not broadcast", Assert.Single(Verifier.Check(g)));
        var h = Graph.Create("h", [x], [Node.CreateTyped(new Add(), [x], TensorType.F32(2, 3))]);
        Assert.Contains("1 operands", Assert.Single(Verifier.Check(h)));
    }

    [Fact]
    public void LayoutsAndPlacementsAreNotTypeErrors()
    {
        var x = Input.Create("x", TensorType.F32(1, 8));
        var r = Nn.Relu(x);
        var placed = r.WithType(r.Type with { Layout = Layout.Tile, Memory = MemoryConfig.L1Interleaved });
        Assert.Empty(Verifier.Check(Graph.Create("g", [x], [Nn.Neg(placed)])));
        var other = r.WithType(r.Type with { DType = DType.BF16 });
        Assert.Contains("typed bf16[1,8]", Assert.Single(Verifier.Check(Graph.Create("g", [x], [other]))));
    }

    [Fact]
    public void TheLegalOpCheckNamesEveryOpThatMustNotSurvive()
    {
        var x = Input.Create("x", TensorType.F32(1, 8));
        var g = Graph.Create("g", [x], [Nn.Gelu(Nn.Mul(Nn.Relu(x), Weight.Create("w", new Tensor([8]))))]);
        Assert.Empty(Verifier.Check(g, _ => true, "for the test"));

        var errors = Verifier.Check(g, op => op is not Gelu, "after decompose");
        Assert.Contains("op nn.gelu is not legal after decompose", Assert.Single(errors));

        errors = Verifier.Check(g, op => op is Weight, "on ttnn");
        Assert.Equal(["nn.relu", "nn.mul", "nn.gelu"], errors.Select(e => e.Split(':')[0]));
        Assert.Contains("not legal on ttnn", Assert.Throws<VoxTileException>(() => Verifier.VerifyOrThrow(g, op => op.Name.StartsWith("ttnn.", StringComparison.Ordinal), "on ttnn")).Message);

        Assert.Contains("weight", Assert.Single(Verifier.Check(g, op => op is not Weight, "without weights")));
    }
}
