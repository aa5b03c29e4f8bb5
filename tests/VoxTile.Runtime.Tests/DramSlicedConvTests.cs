using FsCheck;
using FsCheck.Fluent;
using VoxTile.IR;
using VoxTile.IR.Ops.Graph;
using VoxTile.Lowering;
using VoxTile.Lowering.Passes;
using VoxTile.Lowering.Planning;
using VoxTile.Lowering.Targets;
using VoxTile.Runtime.Execution;
using Xunit.Abstractions;
using Tt = VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Runtime.Tests;

/// <summary>
/// A conv too large for L1 is one conv step that TTNN slices through DRAM (its slice config), and the runtime gives
/// exactly what the same conv gives unsliced, and what the explicit slice/conv/concat steps give: the same values,
/// bit for bit, in bf16 and f32. The runtime's device memory checks the per-slice working set against L1.
/// </summary>
public sealed class DramSlicedConvTests(ITestOutputHelper output)
{
    public sealed record Case(int Length, int Channels, int OutChannels, int Kernel, int Dilation, int PadLeft, int PadRight, bool F32, int Seed)
    {
        public override string ToString() =>
            $"Case(L {Length}, C {Channels} → {OutChannels}, k {Kernel}, d {Dilation}, pad ({PadLeft}, {PadRight}), {(F32 ? "f32" : "bf16")}, seed {Seed})";
    }

    private static Gen<Case> Cases =>
        from length in Gen.Choose(1500, 5000)
        from channels in Gen.Elements(32, 48, 64)
        from outChannels in Gen.Elements(32, 64)
        from kernel in Gen.Elements(3, 5, 7)
        from dilation in Gen.Choose(1, 3)
        from left in Gen.Choose(0, dilation * (kernel - 1))
        from right in Gen.Choose(0, dilation * (kernel - 1))
        from f32 in Gen.Elements(false, true)
        from seed in Gen.Choose(0, 1 << 20)
        select new Case(length, channels, outChannels, kernel, dilation, left, right, f32, seed);

    /// <summary>A budget at which convs of these sizes are too large to run whole beside their neighbours.</summary>
    private static TargetSpec Small(long kib) => TargetSpec.WormholeN150 with
    {
        L1UsageCap = 1.0,
        L1ReservedPerCore = TargetSpec.WormholeN150.L1BytesPerCore - kib * 1024,
    };

    private static Graph Conv(Case c)
    {
        var rng = new Random(c.Seed);
        Tensor Rand(params int[] shape)
        {
            var t = new Tensor(shape);
            for (int i = 0; i < t.Length; i++) t.Data[i] = (float)(rng.NextDouble() - 0.5) / 4;
            return t;
        }
        var x = IR.Ops.Graph.Input.Create("x", TensorType.F32(1, c.Channels, c.Length));
        var y = Nn.Conv1d(x, Weight.Create("w", Rand(c.OutChannels, c.Channels, c.Kernel)), bias: Weight.Create("b", Rand(c.OutChannels)),
            padding: c.PadLeft, paddingRight: c.PadRight, dilation: c.Dilation);
        return Graph.Create("conv", [x], [Nn.LeakyRelu(y, negativeSlope: 0.1f, name: "y")]);
    }

    private static Tensor InputOf(Case c)
    {
        var rng = new Random(c.Seed + 1);
        var t = new Tensor([1, c.Channels, c.Length]);
        for (int i = 0; i < t.Length; i++) t.Data[i] = (float)(rng.NextDouble() * 2 - 1);
        return t;
    }

    private static (Tensor Output, IReadOnlyList<Tt.Conv1d> Convs, int Slices, int Concats) Run(Case c, TargetSpec target, bool dramSlices)
    {
        var act = c.F32 ? DType.F32 : DType.BF16;
        var plan = Compiler.Compile(Conv(c), new CompileOptions
        {
            Target = target,
            Model = "dram-sliced conv",
            Lowering = new LoweringOptions { WeightDType = act, ActivationDType = act, Planner = PlannerOptions.Default with { DramSliceConvs = dramSlices, OpBudget = 0, ShrinkConvActBlocks = false } },
        }).Plan;
        using var e = new Executor(PlanLoader.Load(plan, target, "dram-sliced conv"));
        var y = e.Run(new Dictionary<string, Tensor> { ["x"] = InputOf(c) })[0];
        var ops = e.Kernels.Select(k => k.Op).ToList();
        return (y, [.. ops.OfType<Tt.Conv1d>()], ops.Count(o => o is Tt.Slice), ops.Count(o => o is Tt.Concat));
    }

    [Fact]
    public void DramSlicedConvEqualsTheUnslicedAndTheExplicitSlices()
    {
        int sliced = 0;
        var property = Prop.ForAll(Cases.ToArbitrary(), c =>
        {
            var target = Small(256);
            var whole = Run(c, TargetSpec.WormholeN150, dramSlices: true);
            var dram = Run(c, target, dramSlices: true);
            var explicitly = Run(c, target, dramSlices: false);
            Assert.True(whole.Convs.Count == 1 && !whole.Convs[0].IsDramSliced, $"{c}: the full budget runs the conv whole");
            Assert.Equal(whole.Output.Data, dram.Output.Data);
            Assert.Equal(whole.Output.Data, explicitly.Output.Data);
            if (explicitly.Convs.Count > 1)
            {
                // Where the planner had to cut the conv, TTNN's slicing replaces the explicit slices: one conv, no slice or concat.
                sliced++;
                var conv = Assert.Single(dram.Convs);
                Assert.True(conv.IsDramSliced && conv.NumSlices >= 2 && conv.SliceType == Tt.ConvSliceType.Width, $"{c}: {conv}");
                Assert.Equal(0, dram.Slices + dram.Concats);
                Assert.True(conv.Activation == Tt.ConvActivation.LeakyRelu, "the fused activation rides in the sliced conv");
            }
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(12), property);
        output.WriteLine($"{sliced} of 12 cases were sliced");
        Assert.True(sliced > 0, "no case was large enough to be sliced");
    }

    /// <summary>The runtime's device memory holds the sliced conv to its per-slice working set: with less L1 than one slice needs, it fails at the conv.</summary>
    [Fact]
    public void TheRuntimeChecksOneSliceAgainstL1()
    {
        var c = new Case(3000, 64, 64, 7, 1, 3, 3, false, 1);
        var target = Small(256);
        var plan = Compiler.Compile(Conv(c), new CompileOptions
        {
            Target = target,
            Model = "dram-sliced conv",
            // Without shorter act blocks: with one this conv would run whole in L1 (ConvActBlockTests checks that case).
            Lowering = new LoweringOptions { Planner = PlannerOptions.Default with { OpBudget = 0, ShrinkConvActBlocks = false } },
        }).Plan;
        var loaded = PlanLoader.Load(plan, target, "dram-sliced conv");
        int at = loaded.Ops.ToList().FindIndex(o => o is Tt.Conv1d);
        var conv = (Tt.Conv1d)loaded.Ops[at]!;
        Assert.True(conv.IsDramSliced);
        var step = plan.Steps[at];
        long perSlice = conv.WorkingSetBytes([.. step.Inputs.Select(i => loaded.Types[i])], loaded.Types[step.Output]);
        // The same plan on a card whose L1 is 4 KiB short of one slice: the slice's CBs no longer fit, and the run fails at the conv.
        var shortOfOneSlice = TargetSpec.WormholeN150 with { L1UsageCap = 1.0, L1ReservedPerCore = TargetSpec.WormholeN150.L1BytesPerCore - (perSlice - 4096) };
        using var e = new Executor(PlanLoader.Load(plan, shortOfOneSlice, "dram-sliced conv"));
        var ex = Assert.Throws<VoxTileException>(() => e.Run(new Dictionary<string, Tensor> { ["x"] = InputOf(c) }));
        output.WriteLine(ex.Message);
        Assert.Contains("circular buffers", ex.Message);
        Assert.Contains("ttnn.conv1d", ex.Message);
        using var fits = new Executor(loaded);
        fits.Run(new Dictionary<string, Tensor> { ["x"] = InputOf(c) });
        Assert.True(fits.Memory.PeakL1PerCore <= target.L1BudgetPerCore);
    }
}
