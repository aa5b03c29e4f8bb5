using VoxTile.IR;
using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Text;
using VoxTile.Lowering.Plan;
using VoxTile.Lowering.Planning;
using VoxTile.Lowering.Targets;
using VoxTile.Lowering.Tests.Planning;
using Tt = VoxTile.IR.Ttnn;

// Not "...Tests.Golden": that namespace would hide VoxTile.Testing.Golden from every other test of this project.
namespace VoxTile.Lowering.Tests.GoldenDumps;

/// <summary>
/// The planned stage of small graphs as <c>voxtile dump --explain</c> prints it, pinned to golden files: placements,
/// spills, slices, reshards, deallocations and their reasons. Each text also parses back as a graph.
/// </summary>
public sealed class PlannedGraphGoldenTests
{
    private static string Dump(Graph g, TargetSpec target, bool explain = true)
    {
        var plan = PlanBuilder.Build(MemoryPlanner.Plan(g, target), new PlanBuildOptions { Model = "golden", PackWeights = false });
        var text = PlanText.Print(plan, explain);
        var parsed = Parser.Parse(text);
        Assert.Equal(plan.Steps.Count(s => !s.IsDeallocate), parsed.Nodes.Count(n => n.Op is not Weight));
        return text;
    }

    private static Node W(string key, DType t, Layout layout, params int[] shape) =>
        Weight.Create(key, new TensorType(t, new Shape(shape), layout), null, key);

    /// <summary>conv → bias → leaky_relu → matmul → tanh on n150: everything fits, sharded where the readers allow.</summary>
    [Fact]
    public void ChainOnN150()
    {
        var x = Input.Create("x", new TensorType(DType.BF16, new Shape(1, 1, 256, 64), Layout.RowMajor));
        var c = Tt.Conv1d(x, W("conv.weight", DType.BF16, Layout.RowMajor, 128, 64, 3), batchSize: 1, inChannels: 64, inputLength: 256, kernelSize: 3,
            outChannels: 128, bias_tensor: W("conv.bias", DType.BF16, Layout.RowMajor, 1, 1, 1, 128), padding: [1, 1], name: "c");
        var b = Tt.Add(c, W("cond", DType.BF16, Layout.Tile, 1, 1, 1, 128), name: "b");
        var r = Tt.LeakyRelu(b, 0.1f, name: "r");
        var m = Tt.Matmul(r, W("proj", DType.BFP8_B, Layout.Tile, 128, 64), name: "m");
        var g = Graph.Create("chain", [x], [Tt.Tanh(m, name: "y")]);
        GoldenText.Check("chain_n150", Dump(g, TargetSpec.WormholeN150));
    }

    /// <summary>The farthest-next-use spill at a 96 KiB budget.</summary>
    [Fact]
    public void SpillAt96KiB()
    {
        var x = Input.Create("x", new TensorType(DType.BF16, new Shape(1, 1, 1536, 1024), Layout.Tile));
        var p = Tt.Tanh(x, name: "p");
        var a = Tt.Relu(x, name: "a");
        var d = Tt.Add(a, Tt.Sigmoid(a, name: "c"), name: "d");
        var g = Graph.Create("spill", [x], [Tt.Multiply(p, d, name: "e")]);
        GoldenText.Check("spill_96k", Dump(g, TtnnGraphs.WithBudget(96)));
    }

    /// <summary>A conv too large for a 128 KiB budget, sliced along time and joined.</summary>
    [Fact]
    public void SlicedConvAt128KiB()
    {
        var x = Input.Create("x", new TensorType(DType.BF16, new Shape(1, 1, 3000, 64), Layout.RowMajor));
        var y = Tt.Conv1d(x, W("w", DType.BF16, Layout.RowMajor, 64, 64, 7), batchSize: 1, inChannels: 64, inputLength: 3000, kernelSize: 7, outChannels: 64, padding: [3, 3], name: "y");
        var g = Graph.Create("sliced", [x], [Tt.Relu(y, name: "z")]);
        GoldenText.Check("sliced_conv_128k", Dump(g, TtnnGraphs.WithBudget(128)));
    }

    /// <summary>tt-metal #55545's shape on Wormhole: the conv is cut out of the defect's lengths.</summary>
    [Fact]
    public void Issue55545OnN150()
    {
        var x = Input.Create("x", new TensorType(DType.BF16, new Shape(1, 1, 8500, 128), Layout.RowMajor));
        var y = Tt.Conv1d(x, W("w", DType.BF16, Layout.RowMajor, 128, 128, 11), batchSize: 1, inChannels: 128, inputLength: 8500, kernelSize: 11, outChannels: 128, padding: [5, 5], name: "y");
        var g = Graph.Create("resblock", [x], [Tt.LeakyRelu(y, 0.1f, name: "out")]);
        GoldenText.Check("issue55545_n150", Dump(g, TargetSpec.WormholeN150));
    }
}
