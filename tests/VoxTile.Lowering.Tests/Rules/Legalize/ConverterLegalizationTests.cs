using System.Diagnostics;
using VoxTile.IR;
using VoxTile.IR.Interp;
using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.Lowering.Passes;
using VoxTile.Lowering.Rules.Decompose;
using VoxTile.Lowering.Rules.Fold;
using VoxTile.Lowering.Rules.Legalize;
using VoxTile.Lowering.Tests.Rules.Decompose;
using VoxTile.Models.Config;
using VoxTile.Models.MeloTTS;
using VoxTile.Models.OpenVoice;
using VoxTile.Testing;
using Xunit.Abstractions;

namespace VoxTile.Lowering.Tests.Rules.Legalize;

using Golden = VoxTile.Testing.Golden;

/// <summary>
/// The models through <c>decompose,fold-constants,legalize-ttnn</c>: the lowered graphs compute what the nn graphs
/// compute (ttnn ops evaluated in fp32), hold only ttnn ops (no host op), and move data between orders only where
/// the model's own layout demands it.
/// </summary>
public sealed class ConverterLegalizationTests(ITestOutputHelper output)
{
    private const string Pipeline = "decompose,fold-constants,legalize-ttnn";

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

    private static Graph Compile(Graph g, PassContext? context = null) => PassRegistry.Parse(Pipeline).Run(g, context ?? RuleCheck.Context());

    [Fact]
    public void VoiceConversionComputesTheSameAudio()
    {
        var model = ToneColorConverter.Random(TinyConfig(), seed: 21);
        int samples = model.Config.HopLength * 48 + 7;
        var g = model.BuildConversionGraph(samples, 0.3f, new NoiseSource.Seeded(5));
        var t = Compile(g);
        AssertDeviceOnly(t);
        // The posterior noise is the one value that changes order: drawn in the nn order, consumed channels-last.
        Assert.Equal(1, LegalizeCheck.Count(t, "ttnn.permute"));
        Assert.Single(RandnInputs.Of(t));

        var rng = new CaseRng(3);
        Tensor[] inputs = [rng.Uniform(-0.5, 0.5, 1, samples), rng.Normal(1, model.Config.GinChannels, 1), rng.Normal(1, model.Config.GinChannels, 1)];
        Check("audio", LegalizeCheck.Run(t, inputs)[0], Interpreter.Run(g, inputs)[0]);
        output.WriteLine(LegalizeCheck.Census(t));
    }

    /// <summary>The other dtypes and the conv_transpose2d upsampler: still legal, still the same audio.</summary>
    [Theory]
    [InlineData(DType.F32, DType.F32, false)]
    [InlineData(DType.BFP8_B, DType.BFP8_B, false)]
    [InlineData(DType.BF16, DType.BFP8_B, true)]
    public void VoiceConversionCompilesUnderEveryOption(DType activations, DType weights, bool convTranspose2d)
    {
        var model = ToneColorConverter.Random(TinyConfig(), seed: 23);
        int samples = model.Config.HopLength * 40;
        var g = model.BuildConversionGraph(samples, 0.3f, new NoiseSource.Seeded(6));
        var options = new LoweringOptions { ActivationDType = activations, WeightDType = weights, ConvTransposeAsConvTranspose2d = convTranspose2d };
        var t = Compile(g, RuleCheck.Context(options));
        AssertDeviceOnly(t);
        Assert.Equal(convTranspose2d ? model.Config.UpsampleRates.Count : 0, LegalizeCheck.Count(t, "ttnn.conv_transpose2d"));
        // Activations in the asked dtype, except where an op takes fewer (ttnn.tanh and ttnn.sigmoid are bf16 only).
        Assert.All(t.Nodes.Where(n => n.Op is LeakyRelu or Multiply), n => Assert.Equal(activations, n.Type.DType));
        Assert.All(t.Nodes.Where(n => n.Op is Tanh or Sigmoid), n => Assert.Equal(DType.BF16, n.Type.DType));
        var rng = new CaseRng(5);
        Tensor[] inputs = [rng.Uniform(-0.5, 0.5, 1, samples), rng.Normal(1, model.Config.GinChannels, 1), rng.Normal(1, model.Config.GinChannels, 1)];
        Check($"audio ({activations.Name()} activations, {weights.Name()} weights{(convTranspose2d ? ", conv_transpose2d" : "")})",
            LegalizeCheck.Run(t, inputs)[0], Interpreter.Run(g, inputs)[0]);
    }

    [Fact]
    public void EmbeddingExtractionComputesTheSameEmbedding()
    {
        var model = ToneColorConverter.Random(TinyConfig(), seed: 22);
        int samples = model.Config.HopLength * 300;
        var g = model.BuildEmbeddingGraph(samples);
        var t = Compile(g);
        AssertDeviceOnly(t);
        // ref_enc's frequency-time transpose before the GRU is folded into the GRU's input weights: no permute.
        Assert.Equal(0, LegalizeCheck.Count(t, "ttnn.permute"));
        Assert.Equal(6, LegalizeCheck.Count(t, "ttnn.conv2d"));
        var x = new CaseRng(4).Uniform(-0.5, 0.5, 1, samples);
        Check("se", LegalizeCheck.Run(t, [x])[0], Interpreter.Run(g, [x])[0]);
    }

    /// <summary>The golden converter-tiny checkpoint, legalized, reproduces PyTorch's audio (replaying its noise) and the embeddings.</summary>
    [GoldenFact("converter-tiny")]
    public void LegalizedGoldenConverterMatchesPyTorch()
    {
        const string name = "converter-tiny";
        var model = ToneColorConverter.Load(Golden.Case(name)!);
        var source = Golden.Load(name, "source_samples");
        var g = model.BuildConversionGraph(source.Shape[^1], 0.3f, new NoiseSource.Replay(Golden.Load(name, "noise_0")));
        var t = Compile(g);
        AssertDeviceOnly(t);
        Assert.Empty(RandnInputs.Of(t));
        Tensor[] inputs = [source.Reshape(1, source.Shape[^1]), Golden.Load(name, "se_source"), Golden.Load(name, "se_target"), Golden.Load(name, "noise_0")];
        var golden = Golden.Load(name, "audio");
        Check("golden audio", LegalizeCheck.Run(t, inputs)[0].Reshape(golden.Shape), golden);

        var reference = Golden.Load(name, "reference_samples");
        var e = model.BuildEmbeddingGraph(reference.Shape[^1]);
        var te = Compile(e);
        AssertDeviceOnly(te);
        var se = Golden.Load(name, "se_target");
        Check("golden se", LegalizeCheck.Run(te, [reference.Reshape(1, reference.Shape[^1])])[0].Reshape(se.Shape), se);
    }

    /// <summary>
    /// The released converter for 1 s of audio, built and legalized (not evaluated): the op census, no host op, one
    /// permute; and the compile time of the full-size graph for 10 s, which must stay far below the 2 s budget.
    /// </summary>
    [Fact]
    public void ReleasedConverterCompilesToDeviceOpsOnly()
    {
        var model = ToneColorConverter.Random(ConverterConfig.ReleasedV2, 1);
        var one = Compile(model.BuildConversionGraph(22050, 0.3f, new NoiseSource.Seeded(1)));
        AssertDeviceOnly(one);
        Assert.Equal(1, LegalizeCheck.Count(one, "ttnn.permute"));
        output.WriteLine($"voice_conversion, released size, 1 s ({one.Nodes.Count(n => n.Op is not Weight)} device ops, {one.Weights.Count()} weights): {LegalizeCheck.Census(one)}");
        var se = Compile(model.BuildEmbeddingGraph(22050 * 3));
        AssertDeviceOnly(se);
        output.WriteLine($"extract_se, released size, 3 s: {LegalizeCheck.Census(se)}");

        TimeSpan best = TimeSpan.MaxValue;
        Graph? ten = null;
        for (int run = 0; run < 3; run++)
        {
            var g = model.BuildConversionGraph(22050 * 10, 0.3f, new NoiseSource.Seeded(1));
            var ctx = RuleCheck.Context();
            var passes = PassRegistry.Parse(Pipeline).Passes;
            var times = new List<string>();
            var total = Stopwatch.StartNew();
            foreach (var p in passes)
            {
                var sw = Stopwatch.StartNew();
                g = p.Run(g, ctx);
                times.Add($"{p.Name} {sw.ElapsedMilliseconds} ms");
            }
            total.Stop();
            output.WriteLine($"10 s, run {run}: {total.ElapsedMilliseconds} ms ({string.Join(", ", times)})");
            if (total.Elapsed < best) best = total.Elapsed;
            ten = g;
        }
        AssertDeviceOnly(ten!);
        output.WriteLine($"voice_conversion, released size, 10 s: {LegalizeCheck.Census(ten!)}");
        // Compile speed is a figure, not a pass/fail bar (timed tests flake on shared machines): `voxtile compile` prints it.
        output.WriteLine($"decompose, fold and legalize of the 10 s converter, best of runs: {best.TotalMilliseconds:F0} ms");
    }

    /// <summary>MeloTTS (the golden tts-tiny checkpoint, random inputs and seeded noise): every output the same, no host op.</summary>
    [GoldenFact("tts-tiny")]
    public void MeloTtsComputesTheSameOutputs()
    {
        var melo = MeloSynthesizer.Load(Golden.Case("tts-tiny")!);
        var g = melo.BuildGraph(20, 64, MeloSynthesisOptions.Default, new MeloNoise.Seeded(1));
        var t = Compile(g);
        AssertDeviceOnly(t);
        var rng = new CaseRng(11);
        var inputs = g.Inputs.Select(i => i.Name switch
        {
            "phonemes" => rng.Integers(0, 30, i.Shape.ToArray()),
            "tones" => rng.Integers(0, 5, i.Shape.ToArray()),
            "languages" => rng.Integers(0, 2, i.Shape.ToArray()),
            "sid" => Tensor.Zeros(i.Shape.ToArray()),
            "tokens" => new Tensor([1], [16f]), // 16 of the 20 positions: the last four are a token bucket's padding
            _ => rng.Normal(i.Shape.ToArray()),
        }).ToArray();
        var expected = Interpreter.Run(g, inputs);
        var actual = LegalizeCheck.Run(t, inputs);
        for (int k = 0; k < expected.Length; k++)
            if (expected[k].Data.Distinct().Count() > 1) Check(g.Outputs[k].Name ?? $"output {k}", actual[k], expected[k]);
            else RuleCheck.Close(actual[k], expected[k], 1e-6, g.Outputs[k].Name ?? $"output {k}");
        output.WriteLine($"melo_tts (tts-tiny, 20 phonemes, 64 frames): {LegalizeCheck.Census(t)}");
    }

    /// <summary>
    /// MeloTTS at its released size (random weights; 12 phonemes and a 64-frame bucket, so it is quick), built and
    /// legalized (not evaluated: tts-tiny checks the values above): no host op; then planned for every target, every
    /// tensor placed within the target's L1 budget.
    /// </summary>
    [Fact]
    public void ReleasedMeloTtsCompilesToDeviceOpsOnly()
    {
        var melo = MeloSynthesizer.Random(MeloConfig.ReleasedEnglish, seed: 1);
        var g = melo.BuildGraph(12, 64, MeloSynthesisOptions.Default, new MeloNoise.Seeded(1));
        var t = Compile(g);
        AssertDeviceOnly(t);
        Assert.Equal(4, LegalizeCheck.Count(t, "ttnn.embedding"));
        output.WriteLine($"melo_tts, released size, 12 phonemes, 64 frames ({t.Nodes.Count(n => n.Op is not Weight)} device ops): {LegalizeCheck.Census(t)}");
        foreach (var target in Targets.TargetSpec.Tenstorrent)
        {
            var plan = Compiler.Compile(g, new CompileOptions { Target = target, Model = "MeloTTS, released size (random weights)", PackWeights = false }).Plan;
            Assert.Equal(0, plan.Summary.HostOps);
            Assert.True(plan.Summary.PeakL1BytesPerCore <= plan.Summary.L1BudgetPerCore, $"{target.Name}: peak L1 {plan.Summary.PeakL1BytesPerCore} B over the {plan.Summary.L1BudgetPerCore} B budget");
            output.WriteLine($"{target.Name}: {plan.Steps.Count(s => !s.IsDeallocate)} ops, peak L1 {plan.Summary.PeakL1BytesPerCore / 1048576.0:F2} MiB of {plan.Summary.L1BudgetPerCore / 1048576.0:F2} MiB");
        }
    }

    /// <summary>Only ttnn ops, graph inputs and weights: no host op, no nn op left.</summary>
    private static void AssertDeviceOnly(Graph t)
    {
        LegalizeTtnnPass.AssertLegal(t);
        Assert.All(t.Nodes, n => Assert.True(n.Op is Weight || n.Op is ITtnnOp, $"{n} is not a device op"));
        Assert.DoesNotContain(t.Nodes, n => n.Op.Name.StartsWith("nn.", StringComparison.Ordinal));
    }

    private void Check(string what, Tensor actual, Tensor expected)
    {
        var (pcc, err) = Compare.AssertClose(actual, expected, what);
        output.WriteLine($"{what}: PCC {pcc:F9}, max abs err {err:E2}");
    }
}
