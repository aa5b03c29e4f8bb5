using VoxTile.IR;
using VoxTile.IR.Ops.Graph;
using VoxTile.Lowering.Costs;
using VoxTile.Lowering.Plan;
using VoxTile.Lowering.Planning;
using VoxTile.Lowering.Targets;
using VoxTile.Lowering.Tests.Planning;
using Tt = VoxTile.IR.Ttnn;

namespace VoxTile.Lowering.Tests.Costs;

public sealed class CostModelTests
{
    private static readonly TargetSpec N150 = TargetSpec.WormholeN150;

    private static Node In(string name, DType t, MemoryConfig? m, params int[] shape) =>
        Input.Create(name, new TensorType(t, new Shape(shape), Layout.Tile, m));

    private static Node Placed(Node n, MemoryConfig? m) => n.WithType(n.Type with { Layout = Layout.Tile, Memory = m });

    /// <summary>max(bytes / DRAM bandwidth, FLOPs / (cores × rate at the fidelity)): a 1024³ bf16 matmul with every operand in DRAM.</summary>
    [Fact]
    public void MatmulIsTheRooflineOfItsBytesAndFlops()
    {
        var a = In("a", DType.BF16, MemoryConfig.DramInterleaved, 1, 1, 1024, 1024);
        var b = In("b", DType.BF16, MemoryConfig.DramInterleaved, 1024, 1024);
        var y = Placed(Tt.Matmul(a, b), MemoryConfig.DramInterleaved);
        var c = CostModel.Of(y, N150);
        double flops = 2.0 * 1024 * 1024 * 1024;
        Assert.Equal(flops, c.Flops);
        Assert.Equal(MathFidelity.HiFi4, c.Fidelity);
        Assert.Equal(64, c.Cores);
        Assert.Equal(flops / (64 * 1024 * 1e9), c.ComputeSeconds, 12); // HiFi4: 64 cycles per 32×32×32 tile → 1024 FLOPs/cycle/core
        Assert.Equal(3L * 1024 * 1024 * 2, c.DramBytes);
        Assert.Equal(c.DramBytes / 288e9, c.DramSeconds, 15);
        Assert.Equal(0, c.NocBytes);
        Assert.Equal(Math.Max(c.ComputeSeconds, c.DramSeconds), c.Seconds, 15);
    }

    /// <summary>bf16↔HiFi4, bfp8_b↔HiFi2, bfp4_b↔LoFi: the weight's dtype sets the fidelity, and the matrix time scales with it.</summary>
    [Theory]
    [InlineData(DType.BF16, MathFidelity.HiFi4, 64)]
    [InlineData(DType.BFP8_B, MathFidelity.HiFi2, 32)]
    [InlineData(DType.BFP4_B, MathFidelity.LoFi, 16)]
    public void FidelityFollowsTheWeightDtype(DType weights, MathFidelity fidelity, int cyclesPerTile)
    {
        Assert.Equal(fidelity, FidelityPolicy.For(weights));
        var a = In("a", DType.BF16, MemoryConfig.L1Interleaved, 1, 1, 2048, 2048);
        var b = In("b", weights, MemoryConfig.DramInterleaved, 2048, 2048);
        var c = CostModel.Of(Placed(Tt.Matmul(a, b), MemoryConfig.L1Interleaved), N150);
        Assert.Equal(fidelity, c.Fidelity);
        Assert.Equal(2.0 * 2048 * 2048 * 2048 * cyclesPerTile / 65536 / 64 / 1e9, c.ComputeSeconds, 12);
    }

    /// <summary>Sharded operands are local; L1-interleaved ones cross the NoC; DRAM ones cost DRAM bandwidth.</summary>
    [Fact]
    public void PlacementDecidesWhereTheBytesGo()
    {
        var t = new TensorType(DType.BF16, new Shape(1, 1, 2048, 256), Layout.Tile);
        var shard = TensorFootprint.CanonicalShard(t, N150);
        Node Add(MemoryConfig m)
        {
            var x = In("x", DType.BF16, m, 1, 1, 2048, 256);
            return Placed(Tt.Add(x, x), m);
        }
        var sharded = CostModel.Of(Add(shard), N150);
        var l1 = CostModel.Of(Add(MemoryConfig.L1Interleaved), N150);
        var dram = CostModel.Of(Add(MemoryConfig.DramInterleaved), N150);
        long bytes = 2048L * 256 * 2;
        Assert.Equal((0L, 0L), (sharded.DramBytes, sharded.NocBytes));
        Assert.Equal((0L, 3 * bytes), (l1.DramBytes, l1.NocBytes));
        Assert.Equal((3 * bytes, 0L), (dram.DramBytes, dram.NocBytes));
        Assert.True(sharded.Seconds < l1.Seconds && l1.Seconds < dram.Seconds);
        Assert.Equal(l1.NocBytes / (64 * 32 * 1e9), l1.MoveSeconds, 15); // Wormhole: 32 B/cycle per core
    }

    [Fact]
    public void BlackholeMovesTwiceTheBytesPerCycle()
    {
        Assert.Equal(32, EngineRates.NocBytesPerCycle(TargetSpec.WormholeN150));
        Assert.Equal(64, EngineRates.NocBytesPerCycle(TargetSpec.BlackholeP150));
    }

    /// <summary>Conv FLOPs are 2 · L_out · O · C/groups · K; a slice reads only its window.</summary>
    [Fact]
    public void ConvFlopsAndSliceBytes()
    {
        var x = Input.Create("x", new TensorType(DType.BF16, new Shape(1, 1, 1000, 64), Layout.RowMajor, MemoryConfig.DramInterleaved));
        var w = Weight.Create("w", new TensorType(DType.BF16, new Shape(128, 64, 5), Layout.RowMajor), null, "w");
        var y = Placed(Tt.Conv1d(x, w, batchSize: 1, inChannels: 64, inputLength: 1000, kernelSize: 5, outChannels: 128, padding: [2, 2]), MemoryConfig.DramInterleaved);
        Assert.Equal(2.0 * 1000 * 128 * 64 * 5, CostModel.Of(y, N150).Flops);
        var s = IR.Ops.Ttnn.Slice.Create(x, [0, 0, 0, 0], [1, 1, 100, 64], [1, 1, 1, 1]);
        var sc = CostModel.Of(s.WithType(s.Type with { Layout = Layout.RowMajor, Memory = MemoryConfig.DramInterleaved }), N150);
        Assert.Equal(2 * 100 * 64 * 2, sc.DramBytes);
    }

    /// <summary>Over whole plans the modeled time is never below the roofline bound, and the summary adds up the steps.</summary>
    [Fact]
    public void ModeledTimeIsNeverBelowTheRoofline()
    {
        for (int seed = 1; seed <= 12; seed++)
        {
            var c = TtnnGraphs.Random(seed);
            MemoryPlan plan;
            try { plan = MemoryPlanner.Plan(c.Graph, c.Target); }
            catch (VoxTileException) { continue; }
            var dp = PlanBuilder.Build(plan, new PlanBuildOptions { Model = "test", PackWeights = false });
            Assert.True(dp.Summary.ModeledSeconds >= dp.Summary.RooflineSeconds * (1 - 1e-9), $"seed {seed}: modeled {dp.Summary.ModeledSeconds} < roofline {dp.Summary.RooflineSeconds}");
            Assert.Equal(dp.Summary.ModeledSeconds, dp.Steps.Sum(s => s.ModeledSeconds), 12);
            Assert.Equal(plan.Steps.Where(s => s.Kind != StepKind.Deallocate).Sum(s => CostModel.Of(s.Node, c.Target).DramBytes), dp.Summary.DramBytesMoved);
        }
    }
}
