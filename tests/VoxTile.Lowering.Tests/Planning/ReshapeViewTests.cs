using FsCheck;
using FsCheck.Xunit;
using VoxTile.IR;
using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.Lowering.Costs;
using VoxTile.Lowering.Planning;
using VoxTile.Lowering.Targets;
using Tt = VoxTile.IR.Ttnn;

namespace VoxTile.Lowering.Tests.Planning;

/// <summary>
/// Reshapes TTNN runs as views (tt-metal's <c>this_is_view</c>): placed where their operand is, no L1 of their own,
/// the operand's buffer held until the last reader of any tensor sharing it, no cost; other reshapes copy.
/// </summary>
public sealed class ReshapeViewTests
{
    private static TensorType Bf16(Layout layout, params int[] shape) => new(DType.BF16, new Shape(shape), layout);

    [Theory]
    [InlineData(new[] { 1, 1, 229376, 16 }, new[] { 1, 448, 512, 16 }, true)] // whole tiles of rows both ways
    [InlineData(new[] { 1, 1, 3584, 16 }, new[] { 1, 448, 8, 16 }, false)] // 8 rows per frame: each gains 24 rows of padding
    [InlineData(new[] { 1, 1, 125, 192 }, new[] { 1, 125, 192 }, true)] // the second-last dim kept
    [InlineData(new[] { 1, 1, 114688, 32 }, new[] { 1, 229376, 16 }, false)] // the last dim changes
    public void TileReshapesKeepTheirBytesExactlyWhereTtnnViewsThem(int[] from, int[] to, bool keeps)
    {
        Assert.Equal(keeps, Reshape.KeepsBytes(Bf16(Layout.Tile, from), Bf16(Layout.Tile, to)));
        // ROW_MAJOR keeps the bytes whenever the last dim stays.
        Assert.Equal(from[^1] == to[^1], Reshape.KeepsBytes(Bf16(Layout.RowMajor, from), Bf16(Layout.RowMajor, to)));
    }

    /// <summary>
    /// MeloTTS's decoder product: x [1, 1, F·s, C] viewed as [1, F, s, C], times the frame mask [1, F, 1, 1], viewed back.
    /// Both reshapes are views (sharded where x is), cost nothing and hold no L1; the values are the graph's.
    /// </summary>
    [Fact]
    public void AFrameViewProductViewsItsOperandBothWays()
    {
        const int frames = 64, s = 64, c = 16;
        var x = Input.Create("x", Bf16(Layout.Tile, 1, 1, frames * s, c));
        var m = Input.Create("m", Bf16(Layout.Tile, 1, frames, 1, 1));
        var a = Tt.LeakyRelu(x, negativeSlope: 0.1f, name: "a");
        var v = Tt.Reshape(a, [1, frames, s, c], name: "v");
        var p = Tt.Multiply(v, m, name: "p");
        var back = Tt.Reshape(p, [1, 1, frames * s, c], name: "back");
        var g = Graph.Create("frame_view", [x, m], [Tt.Relu(back, name: "out")]);
        var plan = MemoryPlanner.Plan(g, TargetSpec.WormholeN150);
        PlanChecks.AssertSound(plan);
        var rng = new System.Random(4);
        PlanChecks.AssertSameValues(g, plan, [MemoryPlannerTests.Random(rng, 1, 1, frames * s, c), Mask(rng, frames)]);

        var views = plan.Graph.Nodes.Where(n => n.Op is Reshape).ToList();
        Assert.Equal(2, views.Count);
        foreach (var view in views)
        {
            Assert.True(ReshapeViews.IsView(view), $"{view} is not a view");
            Assert.Equal(view.Inputs[0].Type.Memory, view.Type.Memory);
            Assert.DoesNotContain(plan.L1Blocks, b => ReferenceEquals(b.Value, view));
            Assert.Equal(0, CostModel.Of(view, plan.Target).Seconds);
            Assert.Contains("a view of", plan.Why[view]);
        }
        Assert.True(views[0].Type.Memory!.Shard is not null, "the leaky_relu writes shards and the view keeps them");
    }

    /// <summary>A reshape whose reader cannot take its operand's placement (a graph output wants DRAM) copies, to another kind.</summary>
    [Fact]
    public void AReshapeWhoseReadersWantAnotherKindOfPlacementCopies()
    {
        var x = Input.Create("x", Bf16(Layout.Tile, 1, 1, 2048, 32));
        var a = Tt.Relu(x, name: "a");
        var g = Graph.Create("copy", [x], [Tt.Reshape(a, [1, 32, 64, 32], name: "out")]);
        var plan = MemoryPlanner.Plan(g, TargetSpec.WormholeN150);
        PlanChecks.AssertSound(plan);
        var r = plan.Graph.Nodes.Single(n => n.Op is Reshape);
        Assert.Equal(BufferType.L1, r.Inputs[0].Type.Memory!.Buffer);
        Assert.Equal(MemoryConfig.DramInterleaved, r.Type.Memory);
        Assert.False(ReshapeViews.IsView(r));
        Assert.True(CostModel.Of(r, plan.Target).Seconds > 0);
    }

    /// <summary>
    /// A buffer spilled while two tensors holding it still have readers is copied to DRAM once: the other holder's
    /// readers read a view of the copy (a DRAM view, no program), not a second copy.
    /// </summary>
    [Fact]
    public void ASpilledBufferIsCopiedOnceForAllItsHolders()
    {
        // 32 KiB per core each (bf16 [1,1,1024,1024] over 64 cores); 80 KiB of tensors fit. When b is computed, the buffer
        // of a and its view v (both read again only at the end) goes to DRAM rather than s (read next).
        var target = TtnnGraphs.WithBudget(96);
        var x = Input.Create("x", Bf16(Layout.Tile, 1, 1, 1024, 1024));
        var a = Tt.Relu(x, name: "a");
        var v = Tt.Reshape(a, [1, 2, 512, 1024], name: "v");
        var s = Tt.Relu(v, name: "s");
        var b = Tt.Tanh(x, name: "b");
        var c = Tt.Add(Tt.Reshape(s, [1, 1, 1024, 1024]), b, name: "c");
        var g = Graph.Create("spilled_view", [x], [Tt.Add(a, c, name: "out1"), Tt.Relu(v, name: "out2")]);
        var plan = MemoryPlanner.Plan(g, target);
        PlanChecks.AssertSound(plan);
        PlanChecks.AssertSameValues(g, plan, [MemoryPlannerTests.Random(new System.Random(2), 1, 1, 1024, 1024)]);
        var spills = plan.Steps.Where(step => step.Kind == StepKind.Spill).ToList();
        Assert.Single(spills);
        Assert.Equal("a", spills[0].Node.Inputs[0].Name);
        var dramView = plan.Graph.Nodes.Single(n => n.Op is Reshape && ReferenceEquals(n.Inputs[0], spills[0].Node));
        Assert.True(ReshapeViews.IsView(dramView));
        Assert.Equal(MemoryConfig.DramInterleaved, dramView.Type.Memory);
        Assert.Contains(plan.Graph.Outputs, o => o.Name == "out2" && ReferenceEquals(o.Inputs[0], dramView));
        // v was a view in L1 when the buffer left: the DRAM view stands in for it, it is no view made afterwards.
        Assert.Equal(BufferType.L1, plan.Graph.Nodes.Single(n => n.Name == "v").Type.Memory!.Buffer);
    }

    /// <summary>
    /// Chains of views among eltwise ops at budgets tight enough to spill: the plan is sound (a view's operand stays
    /// allocated while the view is read; a spilled buffer takes every tensor sharing it along) and computes the graph's values.
    /// </summary>
    [Property(MaxTest = 40)]
    public void ViewsUnderSpillPressurePlanSoundly(int seed)
    {
        var rng = new System.Random(seed);
        long[] budgets = [96, 160, 256];
        var target = TtnnGraphs.WithBudget(budgets[rng.Next(budgets.Length)]);
        int rows = 64 * (4 + rng.Next(28)), c = rng.Next(2) == 0 ? 32 : 64, parts = 2;
        var x = Input.Create("x", Bf16(Layout.Tile, 1, 1, rows, c));
        var mask = Input.Create("m", Bf16(Layout.Tile, 1, parts, 1, 1));
        var values = new List<Node> { x };
        int ops = 6 + rng.Next(14);
        for (int k = 0; k < ops; k++)
        {
            var a = values[values.Count - 1 - rng.Next(Math.Min(values.Count, 4))];
            Node y = rng.Next(5) switch
            {
                0 => Tt.Relu(a),
                1 => Tt.Reshape(Tt.Multiply(Tt.Reshape(a, [1, parts, rows / parts, c]), mask), [1, 1, rows, c]),
                2 => Tt.Add(a, values[rng.Next(values.Count)]),
                3 => Tt.Tanh(Tt.Reshape(a, [1, rows, c])) is var t ? Tt.Reshape(t, [1, 1, rows, c]) : a,
                _ => Tt.Multiply(Tt.Reshape(a, [1, parts, rows / parts, c]), mask) is var p ? Tt.Add(Tt.Reshape(p, [1, 1, rows, c]), a) : a,
            };
            values.Add(y);
        }
        // At least one frame-view product, read by an op in L1 (a graph output would take it to DRAM).
        values.Add(Tt.Relu(Tt.Reshape(Tt.Multiply(Tt.Reshape(values[^1], [1, parts, rows / parts, c]), mask), [1, 1, rows, c])));
        var outputs = new List<Node> { values[^1] };
        if (values.Count > 3 && rng.Next(2) == 0) outputs.Add(Tt.Relu(values[1 + rng.Next(values.Count - 2)]));
        var g = Graph.Create("views", [x, mask], outputs);
        MemoryPlan plan;
        try { plan = MemoryPlanner.Plan(g, target); }
        catch (VoxTileException e) when (e.Message.Contains("even alone", StringComparison.Ordinal)) { return; }
        PlanChecks.AssertSound(plan);
        PlanChecks.AssertSameValues(g, plan, [MemoryPlannerTests.Random(rng, 1, 1, rows, c), Mask(rng, parts)]);
        Assert.Contains(plan.Graph.Nodes, ReshapeViews.IsView);
    }

    private static Tensor Mask(System.Random rng, int frames)
    {
        var t = new Tensor([1, frames, 1, 1]);
        for (int i = 0; i < frames; i++) t.Data[i] = rng.Next(4) == 0 ? 0 : 1;
        return t;
    }
}
