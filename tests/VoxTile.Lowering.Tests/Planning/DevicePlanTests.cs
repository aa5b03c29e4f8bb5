using VoxTile.IR;
using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Text;
using VoxTile.Lowering.Plan;
using VoxTile.Lowering.Planning;
using VoxTile.Lowering.Rules.Legalize;
using VoxTile.Lowering.Targets;
using VoxTile.Models.Config;
using VoxTile.Models.OpenVoice;
using Xunit.Abstractions;

namespace VoxTile.Lowering.Tests.Planning;

/// <summary>The device plan a compile writes: self-contained, round-tripping through the .vtp file, readable without the compiler's objects.</summary>
public sealed class DevicePlanTests(ITestOutputHelper output)
{
    /// <summary>The converter-tiny shape written out (channels 16–32, n_fft 128, upsampling 4·4·2).</summary>
    internal static ConverterConfig TinyConfig() => ConverterConfig.ReleasedV2 with
    {
        FilterLength = 128,
        HopLength = 32,
        WinLength = 128,
        InterChannels = 16,
        HiddenChannels = 32,
        UpsampleRates = [4, 4, 2],
        UpsampleInitialChannel = 32,
        UpsampleKernelSizes = [8, 8, 4],
        GinChannels = 32,
    };

    private static byte[] Bytes(DevicePlan p)
    {
        using var ms = new MemoryStream();
        PlanFile.Write(ms, p);
        return ms.ToArray();
    }

    /// <summary>Every tensor, step, attribute and packed weight survives the file, and the program reads without the IR's objects.</summary>
    private static void AssertRoundTrips(DevicePlan plan, IReadOnlyDictionary<string, Tensor> weights)
    {
        var back = PlanFile.Read(Bytes(plan), "plan.vtp");
        Assert.Equal(plan.Tensors, back.Tensors);
        Assert.Equal(plan.Inputs, back.Inputs);
        Assert.Equal(plan.Outputs, back.Outputs);
        Assert.Equal(plan.Blob, back.Blob);
        Assert.Equal(plan.Summary.PeakL1BytesPerCore, back.Summary.PeakL1BytesPerCore);
        Assert.Equal(plan.Summary.OpsByKind, back.Summary.OpsByKind);
        Assert.Equal(plan.Steps.Count, back.Steps.Count);
        for (int i = 0; i < plan.Steps.Count; i++)
        {
            var (a, b) = (plan.Steps[i], back.Steps[i]);
            Assert.Equal((a.Op, a.Output, a.Origin, a.Why, a.L1BytesPerCore), (b.Op, b.Output, b.Origin, b.Why, b.L1BytesPerCore));
            Assert.Equal(a.Inputs, b.Inputs);
            Assert.Equal(a.Attributes, b.Attributes);
            foreach (var v in b.Attributes.Values) Parser.ParseAttributeValue(v);
        }
        Assert.Equal(Bytes(plan), Bytes(back));
        foreach (var t in back.Tensors)
        {
            var type = Parser.ParseType(t.Type);
            Assert.NotNull(type.Layout);
            if (t.Kind != PlanTensorKind.Weight) { Assert.NotNull(type.Memory); continue; }
            Assert.True(t.BlobOffset >= 0 && t.BlobLength > 0, $"{t.Name} is not packed");
            var unpacked = WeightPacking.Unpack(back.Blob.AsSpan((int)t.BlobOffset, (int)t.BlobLength), type.Shape.ToArray(), type.DType, type.Layout!.Value);
            var expected = WeightPacking.Unpack(WeightPacking.Pack(weights[t.Key!], type.DType, type.Layout.Value), type.Shape.ToArray(), type.DType, type.Layout.Value);
            Assert.Equal(expected.Data, unpacked.Data);
        }
        // A key packed in one dtype and layout sits once in the blob.
        Assert.Equal(back.Tensors.Where(t => t.Kind == PlanTensorKind.Weight).Select(t => (t.Key, t.Type)).Distinct().Count(),
            back.Tensors.Where(t => t.Kind == PlanTensorKind.Weight).Select(t => t.BlobOffset).Distinct().Count());
        Parser.Parse(PlanText.Print(back, explain: true));
    }

    private static Dictionary<string, Tensor> WeightsOf(Graph g) =>
        g.Nodes.Select(n => n.Op).OfType<Weight>().Where(w => w.Value is not null).GroupBy(w => w.Key).ToDictionary(w => w.Key, w => w.First().Value!);

    [Fact]
    public void RandomGraphPlansRoundTripThroughTheFile()
    {
        for (int seed = 1; seed <= 6; seed++)
        {
            var c = TtnnGraphs.Random(seed);
            MemoryPlan plan;
            try { plan = MemoryPlanner.Plan(c.Graph, c.Target); }
            catch (VoxTileException) { continue; }
            AssertRoundTrips(PlanBuilder.Build(plan, new PlanBuildOptions { Model = "random" }), WeightsOf(c.Graph));
        }
    }

    /// <summary>converter-tiny compiled with the default pipeline: no host op, a sound plan, the noise an input with its seed, and a file that round-trips.</summary>
    [Fact]
    public void TinyConverterCompilesAndRoundTrips()
    {
        var model = ToneColorConverter.Random(TinyConfig(), seed: 21);
        int frames = LengthBuckets.Round(40);
        var g = model.BuildConversionGraph(frames * model.Config.HopLength, 0.3f, new NoiseSource.Seeded(77));
        var r = Compiler.Compile(g, new CompileOptions { Target = TargetSpec.WormholeN150, Model = "tiny", Bucket = new Dictionary<string, int> { ["frames"] = frames } });
        PlanChecks.AssertSound(r.Memory);
        var plan = r.Plan;
        Assert.Equal(0, plan.Summary.HostOps);
        Assert.All(plan.Steps, s => Assert.StartsWith("ttnn.", s.Op));
        var noise = Assert.Single(plan.Tensors, t => t.Kind == PlanTensorKind.Noise);
        Assert.Equal(77, noise.Seed);
        Assert.Equal("samples", plan.Tensor(plan.Inputs[0]).Name);
        Assert.Equal(frames, plan.Bucket["frames"]);
        Assert.True(RandnInputs.TryParse(r.Memory.Graph.Inputs.Single(i => r.Memory.NoiseSeeds.ContainsKey(i)), out var seed, out _) && seed == 77);
        var lowered = Compiler.Lower(g, "decompose,fold-constants,legalize-ttnn,fuse", new Lowering.Passes.PassContext(TargetSpec.WormholeN150));
        AssertRoundTrips(plan, WeightsOf(lowered));
        output.WriteLine($"tiny converter, {frames} frames: {plan.Steps.Count} steps, peak L1 {plan.Summary.PeakL1BytesPerCore} B, {plan.Summary.Spills} spills, {plan.Blob.Length} B of weights");
    }
}
