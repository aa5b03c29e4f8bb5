using VoxTile.IR;
using VoxTile.IR.Interp;
using VoxTile.Lowering.Emit;
using VoxTile.Lowering.Plan;
using VoxTile.Lowering.Targets;
using VoxTile.Lowering.Tests.Rules.Decompose;
using VoxTile.Models.Config;
using VoxTile.Models.MeloTTS;
using VoxTile.Models.OpenVoice;
using VoxTile.Testing;
using Xunit.Abstractions;

namespace VoxTile.Lowering.Tests.Emit;

/// <summary>
/// The models compiled for a Tenstorrent target and emitted as TTNN Python: every step has a TTNN form, the program
/// is valid Python, and every ttnn function, keyword, type and enum value it uses is in the API reference.
/// </summary>
public sealed class ModelEmissionTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("voxtile-emit-models-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>converter-tiny's shape (../shared/golden/converter-tiny/config.json when present).</summary>
    private static ConverterConfig ConverterTiny()
    {
        var dir = Golden.Case("converter-tiny");
        if (dir is not null && File.Exists(Path.Combine(dir, "config.json"))) return ConverterConfig.Load(Path.Combine(dir, "config.json"));
        return ConverterConfig.ReleasedV2 with
        {
            FilterLength = 128, HopLength = 32, WinLength = 128, InterChannels = 16, HiddenChannels = 32,
            UpsampleRates = [4, 4, 2], UpsampleInitialChannel = 32, UpsampleKernelSizes = [8, 8, 4], GinChannels = 32,
        };
    }

    /// <summary>converter-small's shape: the released STFT and upsampling, widths 96/128.</summary>
    private static ConverterConfig ConverterSmall()
    {
        var dir = Golden.Case("converter-small");
        if (dir is not null && File.Exists(Path.Combine(dir, "config.json"))) return ConverterConfig.Load(Path.Combine(dir, "config.json"));
        return ConverterConfig.ReleasedV2 with { InterChannels = 96, HiddenChannels = 96, UpsampleInitialChannel = 128, GinChannels = 128 };
    }

    /// <summary>A tiny MeloTTS of the released structure (transformer flow, five upsamplers).</summary>
    private static readonly MeloConfig MeloTiny = MeloConfig.ReleasedEnglish with
    {
        InterChannels = 8, HiddenChannels = 16, FilterChannels = 24, GinChannels = 8, NSpeakers = 3,
        Speakers = new Dictionary<string, int>(), UpsampleInitialChannel = 32, UpsampleRates = [2, 2, 2, 2, 2],
        UpsampleKernelSizes = [4, 4, 2, 2, 2], HopLength = 32, FilterLength = 64, WinLength = 64,
    };

    private static (Graph Graph, DevicePlan Plan) Compile(string which, TargetSpec? target = null)
    {
        Graph g;
        switch (which)
        {
            case "converter-tiny":
                {
                    var m = ToneColorConverter.Random(ConverterTiny(), seed: 11);
                    g = m.BuildConversionGraph(m.Config.HopLength * 64, 0.3f, new NoiseSource.Seeded(5));
                    break;
                }
            case "converter-small":
                {
                    var m = ToneColorConverter.Random(ConverterSmall(), seed: 12);
                    g = m.BuildConversionGraph(m.SampleRate, 0.3f, new NoiseSource.Seeded(5));
                    break;
                }
            case "melotts-tiny":
                g = MeloSynthesizer.Random(MeloTiny, seed: 3).BuildGraph(8, 32, MeloSynthesisOptions.Default, new MeloNoise.Seeded(1));
                break;
            default:
                throw new ArgumentException(which);
        }
        var result = Compiler.Compile(g, new CompileOptions { Target = target ?? TargetSpec.WormholeN150, Model = which + " (random weights)" });
        return (g, result.Plan);
    }

    [Theory]
    [InlineData("converter-tiny")]
    [InlineData("converter-small")]
    [InlineData("melotts-tiny")]
    public void EveryStepOfTheCompiledModelHasATtnnForm(string which)
    {
        var (_, plan) = Compile(which);
        Assert.Empty(PythonEmitter.Unsupported(plan));
        var program = PythonEmitter.Emit(plan, new PythonEmitOptions());
        Assert.Equal(PlanWeights.Of(plan).Count, program.Weights.Count);
        output.WriteLine($"{which}: {plan.Steps.Count} steps, {program.Text.Split('\n').Length} lines of Python, {program.Weights.Count} weights");
    }

    [PythonTheory]
    [InlineData("converter-tiny", "wormhole_n150")]
    [InlineData("converter-small", "wormhole_n150")]
    [InlineData("melotts-tiny", "wormhole_n150")]
    [InlineData("converter-tiny", "wormhole_t3000")]
    [InlineData("melotts-tiny", "wormhole_n300")]
    public void TheCompiledModelEmitsAProgramTheApiReferenceBacks(string which, string target)
    {
        var (_, plan) = Compile(which, TargetSpec.Parse(target));
        var path = Path.Combine(_dir, which.Replace('-', '_') + "_ttnn.py");
        PythonEmitter.Write(plan, path, new PythonEmitOptions { WeightsFile = Path.GetFileNameWithoutExtension(path) + ".weights.npz", SampleRate = 22050 });
        var (code, text) = PythonTool.Compile(path);
        Assert.True(code == 0, text);
        (code, text) = PythonTool.Validate(path);
        output.WriteLine(text);
        Assert.True(code == 0, text);
        var spec = TargetSpec.Parse(target);
        var program = File.ReadAllText(path);
        Assert.Contains($"MESH_SHAPE = ({spec.MeshRows}, {spec.MeshCols})", program);
        foreach (var call in new[] { "ttnn.open_mesh_device", "ttnn.begin_trace_capture", "ttnn.execute_trace", "ttnn.release_trace", "ttnn.ShardTensorToMesh" })
            Assert.Contains(call, text);
    }

    /// <summary>The reference file of converter-tiny's plan: what the plan computes is the converter's audio (the weights rounded to bf16 as the plan holds them).</summary>
    [Fact]
    public void ConverterReferenceMatchesTheModel()
    {
        var (graph, plan) = Compile("converter-tiny");
        var rng = new CaseRng(3);
        int samples = graph.Inputs[0].Shape[1].Value, gin = graph.Inputs[1].Shape[1].Value;
        Tensor x = rng.Uniform(-0.5, 0.5, 1, samples), se1 = rng.Normal(1, gin, 1), se2 = rng.Normal(1, gin, 1);
        var inputs = PlanInputs.Complete(plan, new Dictionary<string, Tensor> { ["samples"] = x, ["se_src"] = se1, ["se_tgt"] = se2 }, seed: 0);
        var (entries, summary) = ReferenceNpz.Compute(plan, inputs);
        var expected = Interpreter.Run(graph, [x, se1, se2])[0];
        var actual = entries.Single(e => e.Key == "audio").Value;
        Assert.Equal(expected.Length, actual.Length);
        double pcc = Compare.Pcc(expected.Data, actual.Data);
        output.WriteLine($"audio PCC {pcc:F6} between the nn graph and the plan's reference; {summary.Intermediates} named intermediates, {summary.Bytes / 1e6:F1} MB");
        Assert.True(pcc >= 0.99, $"audio PCC {pcc}");
    }
}
