using VoxTile.IR;
using VoxTile.IR.Interp;
using VoxTile.IR.Ops.Elementwise;
using VoxTile.IR.Ops.Graph;
using VoxTile.Lowering.Passes;
using VoxTile.Lowering.Targets;

namespace VoxTile.Lowering.Tests.Passes;

public sealed class GraphRewriterTests
{
    /// <summary>sub(a, b) → add(a, neg(b)): the replacement's new nodes are visited too.</summary>
    private sealed class SubToAddNeg : IRewriteRule
    {
        public string Name => "sub-to-add-neg";
        public Node? Rewrite(Node node, PassContext context) =>
            node.Op is Sub ? Nn.Add(node.Inputs[0], Nn.Neg(node.Inputs[1])) : null;
    }

    /// <summary>neg(x) → scale(x, -1): fires on nodes that another rule created.</summary>
    private sealed class NegToScale : IRewriteRule
    {
        public string Name => "neg-to-scale";
        public Node? Rewrite(Node node, PassContext context) => node.Op is Neg ? Nn.Scale(node.Inputs[0], factor: -1f) : null;
    }

    [Fact]
    public void RulesComposeAndKeepValuesAndNames()
    {
        var a = Input.Create("a", TensorType.F32(2, 3));
        var b = Input.Create("b", TensorType.F32(2, 3));
        var d = Nn.Sub(a, b, name: "diff");
        var g = Graph.Create("g", [a, b], [Nn.Mul(d, d)]);
        var ctx = new PassContext(TargetSpec.WormholeN150);
        var r = new RulePass("test", new SubToAddNeg(), new NegToScale()).Run(g, ctx);
        Assert.DoesNotContain(r.Nodes, n => n.Op is Sub or Neg);
        Assert.Contains(r.Nodes, n => n.Name == "diff" && n.Op is Add);
        var x = new Tensor([2, 3], [1, 2, 3, 4, 5, 6]);
        var y = new Tensor([2, 3], [6, 5, 4, 3, 2, 1]);
        Assert.Equal(Interpreter.Run(g, [x, y])[0].Data, Interpreter.Run(r, [x, y])[0].Data);
    }

    [Fact]
    public void DeepChainsDoNotOverflowTheStack()
    {
        var a = Input.Create("a", TensorType.F32(4));
        Node x = a;
        for (int i = 0; i < 20000; i++) x = Nn.Sub(x, a);
        var g = Graph.Create("deep", [a], [x]);
        var r = new RulePass("test", new SubToAddNeg()).Run(g, new PassContext(TargetSpec.WormholeN150));
        Assert.DoesNotContain(r.Nodes, n => n.Op is Sub);
    }

    [Fact]
    public void PipelineParsesKnownPassesAndRefusesUnknownOnes()
    {
        var known = new Dictionary<string, Func<Pass>> { ["noop"] = () => new RulePass("noop") };
        Assert.Equal("noop,noop", PassPipeline.Parse("noop, noop", known).ToString());
        var e = Assert.Throws<VoxTileException>(() => PassPipeline.Parse("noop,bogus", known));
        Assert.Contains("unknown pass 'bogus'", e.Message);
    }

    [Fact]
    public void TargetsCarryTheirCapacities()
    {
        Assert.Equal(64, TargetSpec.WormholeN150.Cores);
        Assert.Equal((64, 2, 128), (TargetSpec.WormholeN300.Cores, TargetSpec.WormholeN300.Chips, TargetSpec.WormholeN300.MeshCores));
        Assert.Equal((1, 8), (TargetSpec.WormholeT3000.MeshRows, TargetSpec.WormholeT3000.MeshCols));
        Assert.Equal((8, 4, 32), (TargetSpec.WormholeGalaxy.MeshRows, TargetSpec.WormholeGalaxy.MeshCols, TargetSpec.WormholeGalaxy.Chips));
        Assert.Equal((130, 2), (TargetSpec.BlackholeP300.Cores, TargetSpec.BlackholeP300.Chips));
        Assert.All(TargetSpec.Tenstorrent, t => Assert.Contains(t.DramBytes, new[] { 12L << 30, 32L << 30 }));
        Assert.Equal(130, TargetSpec.BlackholeP150.Cores);
        Assert.Equal((long)(0.95 * 1_369_120), TargetSpec.WormholeN150.L1BudgetPerCore);
        Assert.Equal(1088, TargetSpec.TileBytes(DType.BFP8_B));
        Assert.Throws<VoxTileException>(() => TargetSpec.Parse("grayskull"));
    }
}
