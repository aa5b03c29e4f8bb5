using VoxTile.IR;
using VoxTile.IR.Ops.Elementwise;
using VoxTile.IR.Ops.Graph;
using VoxTile.Lowering.Passes;
using VoxTile.Lowering.Rules.Fold;
using VoxTile.Lowering.Targets;

namespace VoxTile.Lowering.Tests.Rules.Fold;

public sealed class FoldMultiplyByOneTests
{
    private static Graph Fold(Graph g) => new FoldConstantsPass().Run(g, new PassContext(TargetSpec.WormholeN150));

    [Fact]
    public void AMaskOfOnesDisappears()
    {
        var x = Input.Create("x", TensorType.F32(1, 4, 8));
        // A sequence mask of a clip's own length, as decompose and fold-constants leave it: lt(iota, 8) of constants.
        var mask = Nn.Less(Weight.Create("const.iota_1x1x8", new Tensor([1, 1, 8], [0, 1, 2, 3, 4, 5, 6, 7])), Nn.Full(8f, shape: []));
        var g = Graph.Create("m", [x], [Nn.Relu(Nn.Mul(Nn.Mul(x, mask), Nn.Full(1f, shape: [1, 4, 1])))]);

        var f = Fold(g);

        Assert.True(!f.Nodes.Any(n => n.Op is Mul), VoxTile.IR.Text.Printer.Print(f));
        Assert.Same(x, f.Outputs[0].Inputs[0]);
    }

    [Fact]
    public void OnesThatBroadcastOrOtherValuesStay()
    {
        var x = Input.Create("x", TensorType.F32(1, 1, 8));
        var g = Graph.Create("m", [x], [Nn.Mul(x, Nn.Full(1f, shape: [1, 4, 8])), Nn.Mul(x, Weight.Create("half", Tensor.Full([1, 1, 8], 0.5f)))]);

        var f = Fold(g);

        Assert.Equal(2, f.Nodes.Count(n => n.Op is Mul));
    }
}
