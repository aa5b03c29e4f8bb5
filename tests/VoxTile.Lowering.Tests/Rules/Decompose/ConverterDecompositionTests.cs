using VoxTile.IR;
using VoxTile.IR.Interp;
using VoxTile.IR.Ops.Random;
using VoxTile.Lowering.Passes;
using VoxTile.Lowering.Rules.Decompose;
using VoxTile.Lowering.Rules.Fold;
using VoxTile.Models.Config;
using VoxTile.Models.OpenVoice;
using VoxTile.Testing;
using Xunit.Abstractions;

namespace VoxTile.Lowering.Tests.Rules.Decompose;

/// <summary>
/// The whole converter through <c>decompose,fold-constants</c>: both graphs (voice_conversion and extract_se) compute
/// the same values as before, and none of the ops the device lacks is left.
/// </summary>
public sealed class ConverterDecompositionTests(ITestOutputHelper output)
{
    /// <summary>converter-tiny's config when the goldens are present, else the same shape written out.</summary>
    private static ConverterConfig TinyConfig()
    {
        var dir = Golden.Case("converter-tiny");
        if (dir is not null && File.Exists(Path.Combine(dir, "config.json"))) return ConverterConfig.Load(Path.Combine(dir, "config.json"));
        return ConverterConfig.ReleasedV2 with
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
    }

    private static Graph Lower(Graph g, PassContext ctx) =>
        PassPipeline.Of(new DecomposePass(), new FoldConstantsPass()).Run(g, ctx);

    [Fact]
    public void VoiceConversionIsUnchangedAndHasNoDeviceLessOps()
    {
        var model = ToneColorConverter.Random(TinyConfig(), seed: 11);
        int hop = model.Config.HopLength, samples = hop * 48 + 7;
        var g = model.BuildConversionGraph(samples, 0.3f, new NoiseSource.Seeded(5));
        var ctx = RuleCheck.Context();
        var d = Lower(g, ctx);
        AssertLowered(d);
        // The posterior noise stays a seeded draw (a plan input later; Rules/Decompose/README.md).
        Assert.Single(d.Nodes, n => n.Op is RandnLike);
        // zero_g's conditioning is a constant now, and the full-length mask is all ones: its products are gone.
        Assert.DoesNotContain(d.Nodes, n => n.Name == "mask");

        var rng = new CaseRng(3);
        Tensor[] inputs = [rng.Uniform(-0.5, 0.5, 1, samples), rng.Normal(1, model.Config.GinChannels, 1), rng.Normal(1, model.Config.GinChannels, 1)];
        Check("audio", Interpreter.Run(d, inputs)[0], Interpreter.Run(g, inputs)[0]);
        output.WriteLine($"voice_conversion: {g.Nodes.Length} → {d.Nodes.Length} values; notes: {string.Join(" | ", ctx.Diagnostics)}");
    }

    [Fact]
    public void EmbeddingExtractionIsUnchangedAndHasNoDeviceLessOps()
    {
        var model = ToneColorConverter.Random(TinyConfig(), seed: 12);
        int samples = model.Config.HopLength * 300; // 300 frames → 5 GRU steps after six halvings
        var g = model.BuildEmbeddingGraph(samples);
        var d = Lower(g, RuleCheck.Context());
        AssertLowered(d);
        Assert.DoesNotContain(d.Nodes, n => n.Op.Name == "nn.concat" && n.Shape.Rank == 3 && n.Shape[2].Value == ReferenceEncoderHidden);
        var x = new CaseRng(4).Uniform(-0.5, 0.5, 1, samples);
        Check("se", Interpreter.Run(d, [x])[0], Interpreter.Run(g, [x])[0]);
    }

    private const int ReferenceEncoderHidden = 128;

    /// <summary>The golden converter-tiny checkpoint, lowered, still reproduces PyTorch's audio (replaying its noise).</summary>
    [GoldenFact("converter-tiny")]
    public void LoweredGoldenConverterMatchesPyTorch()
    {
        const string name = "converter-tiny";
        var model = ToneColorConverter.Load(Golden.Case(name)!);
        var source = Golden.Load(name, "source_samples");
        var g = model.BuildConversionGraph(source.Shape[^1], 0.3f, new NoiseSource.Replay(Golden.Load(name, "noise_0")));
        var d = Lower(g, RuleCheck.Context());
        AssertLowered(d);
        Assert.DoesNotContain(d.Nodes, n => n.Op is RandnLike);
        Tensor[] inputs = [source.Reshape(1, source.Shape[^1]), Golden.Load(name, "se_source"), Golden.Load(name, "se_target"), Golden.Load(name, "noise_0")];
        var golden = Golden.Load(name, "audio");
        Check("golden audio", Interpreter.Run(d, inputs)[0].Reshape(golden.Shape), golden);
    }

    private static void AssertLowered(Graph d)
    {
        foreach (var op in DecomposePass.Removed) Assert.False(RuleCheck.Contains(d, op), $"{op} survived the decompose pass");
        Assert.DoesNotContain(d.Nodes, n => n.Op is IR.Ops.Norm.LayerNorm ln && ln.Axis != -1 && ln.Axis != n.Shape.Rank - 1);
    }

    private void Check(string what, Tensor actual, Tensor expected)
    {
        var (pcc, err) = Compare.AssertClose(actual, expected, what);
        output.WriteLine($"{what}: PCC {pcc:F9}, max abs err {err:E2}");
    }
}
