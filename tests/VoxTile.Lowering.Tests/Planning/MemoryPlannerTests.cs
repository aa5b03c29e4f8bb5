using FsCheck;
using FsCheck.Xunit;
using VoxTile.IR;
using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.Lowering.Passes;
using VoxTile.Lowering.Planning;
using VoxTile.Lowering.Targets;
using Xunit.Abstractions;
using Tt = VoxTile.IR.Ttnn;

namespace VoxTile.Lowering.Tests.Planning;

public sealed class MemoryPlannerTests(ITestOutputHelper output)
{
    /// <summary>Random chains and DAGs at budgets from 48 KiB to a full n150 core: the plan is sound and computes the same values.</summary>
    [Property(MaxTest = 60)]
    public void RandomGraphsPlanSoundly(int seed)
    {
        var c = TtnnGraphs.Random(seed);
        MemoryPlan plan;
        try { plan = MemoryPlanner.Plan(c.Graph, c.Target); }
        catch (VoxTileException e) when (e.Message.Contains("does not fit", StringComparison.Ordinal) || e.Message.Contains("even alone", StringComparison.Ordinal))
        {
            return; // an op whose weights alone exceed a tiny budget: refusing it, in one line, is the contract
        }
        PlanChecks.AssertSound(plan);
        PlanChecks.AssertSameValues(c.Graph, plan, c.Inputs);
    }

    /// <summary>At the smallest budgets the planner must spill, reshard and slice; the values stay the same.</summary>
    [Fact]
    public void TightBudgetsSpillSliceAndKeepValues()
    {
        int spills = 0, sliced = 0, reshards = 0, plans = 0;
        for (int seed = 1; seed <= 40; seed++)
        {
            var c = TtnnGraphs.Random(seed, maxRows: 2048);
            var target = TtnnGraphs.WithBudget(96 + seed % 3 * 48);
            MemoryPlan plan;
            try { plan = MemoryPlanner.Plan(c.Graph, target); }
            catch (VoxTileException) { continue; }
            plans++;
            PlanChecks.AssertSound(plan);
            PlanChecks.AssertSameValues(c.Graph, plan, c.Inputs);
            spills += plan.Spills;
            sliced += plan.SlicedOps;
            reshards += plan.Reshards;
        }
        output.WriteLine($"{plans} plans: {spills} spills, {sliced} ops sliced, {reshards} reshards");
        Assert.True(plans >= 30, $"only {plans} of 40 graphs planned");
        Assert.True(spills > 0 && sliced > 0, "tight budgets should force spills and slices");
    }

    /// <summary>Belady: when a tensor must leave L1, it is the one whose next reader comes last.</summary>
    [Fact]
    public void SpillsTheTensorUsedFarthestAhead()
    {
        // Each value is 48 KiB per core (bf16 [1,1,1536,1024] over 64 cores); 80 KiB of tensors fit. p is computed
        // first and read last, so when a needs room, p goes to DRAM.
        var target = TtnnGraphs.WithBudget(96);
        var x = Input.Create("x", new TensorType(DType.BF16, new Shape(1, 1, 1536, 1024), Layout.Tile));
        var p = Tt.Tanh(x, name: "p");
        var a = Tt.Relu(x, name: "a");
        var c = Tt.Sigmoid(a, name: "c");
        var d = Tt.Add(a, c, name: "d");
        var g = Graph.Create("belady", [x], [Tt.Multiply(p, d, name: "e")]);
        var plan = MemoryPlanner.Plan(g, target);
        PlanChecks.AssertSound(plan);
        output.WriteLine(PlanTextOf(plan));
        var spills = plan.Steps.Where(s => s.Kind == StepKind.Spill).ToList();
        Assert.Equal(["p"], spills.Select(s => s.Node.Inputs[0].Name));
        Assert.Contains("farthest", plan.Why[spills[0].Node.Inputs[0]]);
    }

    private static (Graph Graph, Tensor Input) OversizedConv(System.Random rng)
    {
        var x = Input.Create("x", new TensorType(DType.BF16, new Shape(1, 1, 3000, 64), Layout.RowMajor));
        var w = Weight.Create("w", new TensorType(DType.BF16, new Shape(64, 64, 7), Layout.RowMajor), Random(rng, 64, 64, 7), "w");
        var y = Tt.Conv1d(x, w, batchSize: 1, inChannels: 64, inputLength: 3000, kernelSize: 7, outChannels: 64, padding: [3, 3], name: "y");
        return (Graph.Create("sliced", [x], [Tt.Relu(y, name: "z")]), Random(rng, 1, 1, 3000, 64));
    }

    /// <summary>
    /// A conv whose result alone exceeds half the budget is one conv step that TTNN slices through DRAM: its input and
    /// output in DRAM, the fewest slices whose working set (one slice's) leaves half the budget free, no slice or concat.
    /// </summary>
    [Fact]
    public void OversizedConvIsSlicedByTtnnThroughDram()
    {
        var target = TtnnGraphs.WithBudget(128);
        var (g, x) = OversizedConv(new System.Random(3));
        var plan = MemoryPlanner.Plan(g, target, PlannerOptions.Default with { OpBudget = 0 }); // no op to spare on explicit slices
        PlanChecks.AssertSound(plan);
        Assert.Equal(1, plan.SlicedOps);
        Assert.DoesNotContain(plan.Graph.Nodes, n => n.Op is Slice or Concat);
        var node = plan.Graph.Nodes.Single(n => n.Op is Conv1d);
        var conv = (Conv1d)node.Op;
        Assert.Equal(ConvSliceType.Width, conv.SliceType);
        Assert.Equal(BufferType.Dram, node.Type.Memory!.Buffer);
        Assert.Equal(BufferType.Dram, node.Inputs[0].Type.Memory!.Buffer);
        Assert.Contains("sliced by TTNN in", plan.Why[node]);
        // One slice fits the budget; the fewest slices that leave half of it free, or (as here, where the weight block
        // alone is most of the budget) the fewest that fit at all. The whole conv would not fit.
        long PerSlice(Conv1d op) => op.WorkingSetBytes([.. node.Inputs.Select(i => i.Type)], node.Type);
        long budget = target.L1BudgetPerCore, half = (long)(PlannerOptions.Default.SliceThreshold * budget);
        Assert.True(PerSlice(conv) <= budget, $"one of {conv.NumSlices} slices needs {PerSlice(conv)} B, more than the {budget} B budget");
        long bound = PerSlice(conv) <= half ? half : budget;
        if (conv.NumSlices > 2) Assert.True(PerSlice(conv.WithSlices(ConvSliceType.Width, conv.NumSlices - 1)) > bound, "one slice fewer would have done");
        Assert.True(PerSlice(conv.WithSlices(ConvSliceType.None, 0)) > budget, "the whole conv would have fit");
        output.WriteLine($"{conv.NumSlices} slices, {PerSlice(conv)} B per slice of a {target.L1BudgetPerCore} B budget");
        PlanChecks.AssertSameValues(g, plan, [x]);
    }

    /// <summary>With TTNN's DRAM slicing off, the conv is cut along time explicitly; the slices join back to the same value.</summary>
    [Fact]
    public void OversizedConvIsSlicedAlongTimeExplicitlyWhenAsked()
    {
        var target = TtnnGraphs.WithBudget(128);
        var (g, x) = OversizedConv(new System.Random(3));
        var plan = MemoryPlanner.Plan(g, target, PlannerOptions.Default with { DramSliceConvs = false });
        PlanChecks.AssertSound(plan);
        Assert.Equal(1, plan.SlicedOps);
        var convs = plan.Graph.Nodes.Where(n => n.Op is Conv1d).ToList();
        Assert.True(convs.Count > 1);
        Assert.All(convs, n => Assert.False(((Conv1d)n.Op).IsDramSliced));
        Assert.Equal(3000, convs.Sum(n => n.Shape[2].Value));
        Assert.Contains("sliced in", plan.Why[plan.Graph.Nodes.Single(n => n.Name == "y")]);
        PlanChecks.AssertSameValues(g, plan, [x]);
    }

    /// <summary>tt-metal #55545: on Wormhole a k11 128-channel conv1d of length 8193–8704 is sliced out of that range; elsewhere it is not.</summary>
    [Theory]
    [InlineData("wormhole_n150", 8500, true)]
    [InlineData("wormhole_n150", 8193, true)]
    [InlineData("wormhole_n150", 8704, true)]
    [InlineData("wormhole_n150", 8192, false)]
    [InlineData("wormhole_n150", 8705, false)]
    [InlineData("blackhole_p150", 8500, false)]
    public void Issue55545IsSlicedAround(string targetName, int length, bool fires)
    {
        var target = TargetSpec.Parse(targetName);
        var x = Input.Create("x", new TensorType(DType.BF16, new Shape(1, 1, length, 128), Layout.RowMajor));
        var w = Weight.Create("w", new TensorType(DType.BF16, new Shape(128, 128, 11), Layout.RowMajor), null, "w");
        var y = Tt.Conv1d(x, w, batchSize: 1, inChannels: 128, inputLength: length, kernelSize: 11, outChannels: 128, padding: [5, 5], name: "y");
        var g = Graph.Create("resblock", [x], [Tt.LeakyRelu(y, 0.1f, name: "out")]);
        var plan = MemoryPlanner.Plan(g, target);
        PlanChecks.AssertSound(plan);
        var convs = plan.Graph.Nodes.Select(n => n.Op).OfType<Conv1d>().ToList();
        Assert.Equal(fires, plan.Workarounds.Any(w => w.Contains("tt-metal#55545", StringComparison.Ordinal)));
        if (fires)
        {
            Assert.True(convs.Count >= 2);
            Assert.All(convs, c => Assert.False(c.InputLength is >= 8193 and <= 8704 || c.OutputLength is >= 8193 and <= 8704, $"a slice of length {c.InputLength} is still in the defect's range"));
            Assert.Equal(length, convs.Sum(c => c.OutputLength));
        }
    }

    [Fact]
    public void EveryWorkaroundCitesItsUpstreamIssue()
    {
        Assert.NotEmpty(Lowering.Planning.Workarounds.KnownDefects.All);
        foreach (var d in Lowering.Planning.Workarounds.KnownDefects.All)
            Assert.Matches(@"^tenstorrent/[a-z-]+#\d+$", d.Issue);
    }

    /// <summary>Host ops (no device form) read and write DRAM; their readers and producers adapt.</summary>
    [Fact]
    public void HostOpsWorkInDram()
    {
        var x = Input.Create("x", new TensorType(DType.BF16, new Shape(1, 1, 64, 64), Layout.Tile));
        var a = Tt.Relu(x, name: "a");
        var h = Nn.Neg(a, name: "h");
        var g = Graph.Create("host", [x], [Tt.Exp(h, name: "e")]);
        var plan = MemoryPlanner.Plan(g, TargetSpec.WormholeN150);
        PlanChecks.AssertSound(plan);
        var placed = plan.Graph.Nodes.ToDictionary(n => n.Name ?? "", n => n.Type.Memory);
        Assert.Equal(MemoryConfig.DramInterleaved, placed["a"]);
        Assert.Equal(MemoryConfig.DramInterleaved, placed["h"]);
        Assert.Equal(ValueKind.HostOp, plan.Kinds[plan.Graph.Nodes.Single(n => n.Name == "h")]);
    }

    /// <summary>A sharded-only producer feeding a reader of interleaved tensors gets a reshard between them.</summary>
    [Fact]
    public void ShardedProducersFeedInterleavedReadersThroughAReshard()
    {
        // A 512-channel k7 conv fits only writing block shards (its weight block is too large otherwise); a reshape
        // that moves bytes (a copy: the last dim changes) reads only interleaved tensors.
        var x = Input.Create("x", new TensorType(DType.BF16, new Shape(1, 1, 256, 192), Layout.RowMajor));
        var w = Weight.Create("w", new TensorType(DType.BF16, new Shape(512, 192, 7), Layout.RowMajor), null, "w");
        var y = Tt.Conv1d(x, w, batchSize: 1, inChannels: 192, inputLength: 256, kernelSize: 7, outChannels: 512, padding: [3, 3], name: "y");
        var r = Tt.Reshape(y, [1, 512, 256], name: "r");
        var g = Graph.Create("reshard", [x], [Tt.Relu(r, name: "out")]);
        var plan = MemoryPlanner.Plan(g, TargetSpec.WormholeN150);
        PlanChecks.AssertSound(plan);
        Assert.Equal(1, plan.Reshards);
        var conv = plan.Graph.Nodes.Single(n => n.Op is Conv1d);
        Assert.Equal(TensorMemoryLayout.BlockSharded, conv.Type.Memory!.Layout);
        Assert.Contains("reshard", plan.Why[conv]);
    }

    [Fact]
    public void PlanningIsDeterministic()
    {
        var c = TtnnGraphs.Random(17);
        Assert.Equal(PlanTextOf(MemoryPlanner.Plan(c.Graph, c.Target)), PlanTextOf(MemoryPlanner.Plan(c.Graph, c.Target)));
    }

    [Fact]
    public void ThePassIsRegisteredAndPublishesThePlanAsItsResult()
    {
        var c = TtnnGraphs.Random(5);
        var ctx = new PassContext(TargetSpec.WormholeN150);
        Assert.Null(ctx.Result<MemoryPlan>());
        var planned = PassRegistry.Parse(PlanMemoryPass.PassName).Run(c.Graph, ctx);
        var plan = ctx.Result<MemoryPlan>();
        Assert.NotNull(plan);
        Assert.Same(planned, plan!.Graph);
        Assert.Contains(ctx.Diagnostics, d => d.StartsWith("plan-memory:", StringComparison.Ordinal));
    }

    [Fact]
    public void SymbolicShapesAreRefusedInOneLine()
    {
        var x = Input.Create("x", new TensorType(DType.BF16, new Shape([Dim.Of(1), Dim.Sym("T"), Dim.Of(32)]), Layout.Tile));
        var g = Graph.Create("sym", [x], [Tt.Relu(x)]);
        var e = Assert.Throws<VoxTileException>(() => MemoryPlanner.Plan(g, TargetSpec.WormholeN150));
        Assert.Contains("length bucket", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void BucketsAreWholeMultiplesOf128Frames()
    {
        Assert.Equal(128, LengthBuckets.Round(1));
        Assert.Equal(128, LengthBuckets.Round(128));
        Assert.Equal(256, LengthBuckets.Round(129));
        Assert.Equal(896, LengthBuckets.Round(861));
        // No bucket puts the HiFi-GAN's 64T stage into tt-metal #55545's lengths.
        for (int f = 1; f <= 6000; f += 7) Assert.False(64 * LengthBuckets.Round(f) is >= 8193 and <= 8704);
    }

    internal static string PlanTextOf(MemoryPlan plan) =>
        Lowering.Planning.PlanText.Print(Lowering.Plan.PlanBuilder.Build(plan, new Lowering.Plan.PlanBuildOptions { Model = "test", PackWeights = false }), explain: true);

    internal static Tensor Random(System.Random rng, params int[] shape)
    {
        var t = new Tensor(shape);
        for (long i = 0; i < t.Length; i++) t.Data[i] = (float)(rng.NextDouble() - 0.5);
        return t;
    }
}
