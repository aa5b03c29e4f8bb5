using VoxTile.IR;
using VoxTile.IR.Interp;
using VoxTile.IR.Ops.Random;
using VoxTile.Lowering.Emit;
using VoxTile.Lowering.Plan;
using VoxTile.Testing;

namespace VoxTile.Lowering.Tests.Emit;

public sealed class PythonEmitterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("voxtile-emit-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly PythonEmitOptions Options = new() { ProgramFile = "encoder_ttnn.py", WeightsFile = "encoder_ttnn.weights.npz" };

    private string WriteProgram(DevicePlan plan, string name)
    {
        var path = Path.Combine(_dir, name + ".py");
        PythonEmitter.Write(plan, path, Options with { WeightsFile = name + ".weights.npz" });
        return path;
    }

    /// <summary>The emitted code for a small graph, pinned (regenerate with VOXTILE_UPDATE_GOLDEN=1).</summary>
    [Fact]
    public void SmallPlanGivesTheGoldenProgram()
    {
        var text = PythonEmitter.Emit(SamplePlans.Small().Plan, Options).Text;
        var golden = Path.Combine(PythonTool.SourceDir(), "expected", "encoder_ttnn.py");
        if (Environment.GetEnvironmentVariable("VOXTILE_UPDATE_GOLDEN") == "1") File.WriteAllText(golden, text);
        Assert.True(File.Exists(golden), $"{golden} is missing: run with VOXTILE_UPDATE_GOLDEN=1 to write it");
        Assert.Equal(File.ReadAllText(golden).ReplaceLineEndings("\n"), text);
    }

    [Fact]
    public void EveryStepIsOneLineNamedAfterItsValue()
    {
        var (plan, _) = SamplePlans.Small();
        var text = PythonEmitter.Emit(plan, Options).Text;
        Assert.Contains("    enc_conv, [W[\"@enc_conv\"], W[\"@enc_conv.bias\"]] = ttnn.conv1d(input_tensor=x, weight_tensor=W[\"@enc_conv\"], device=device, in_channels=16, out_channels=32, batch_size=1, input_length=64, kernel_size=3, stride=1, padding=1, dilation=1, groups=1, dtype=ttnn.bfloat16, bias_tensor=W[\"@enc_conv.bias\"], conv_config=CONV_BF16_TILE, compute_config=COMPUTE_HIFI4, memory_config=L1_HEIGHT_2x32x32, return_weights_and_bias=True)\n", text);
        Assert.Contains("    t0 = ttnn.leaky_relu(enc_conv, negative_slope=0.1, memory_config=L1_HEIGHT_2x32x32)\n", text);
        Assert.Contains("    ttnn.deallocate(enc_conv, force=False)\n", text);
        Assert.Contains("    out = ttnn.layer_norm(proj, epsilon=1e-05, weight=W[\"norm.weight\"], memory_config=ttnn.DRAM_MEMORY_CONFIG)\n", text);
        Assert.Contains("    tap(\"z\", z)\n", text);
        Assert.Contains("    return {\"out\": out}\n", text);
        Assert.Contains("    \"noise\": ((1, 64, 32), 7),\n", text);
        // One line per op and per deallocation in run().
        var run = text[text.IndexOf("def run(", StringComparison.Ordinal)..text.IndexOf("# ----", StringComparison.Ordinal)];
        int ops = plan.Steps.Count(s => !s.IsDeallocate), frees = plan.Steps.Count(s => s.IsDeallocate);
        Assert.Equal(ops, run.Split('\n').Count(l => l.Contains(" = ttnn.", StringComparison.Ordinal)));
        Assert.Equal(frees, run.Split('\n').Count(l => l.TrimStart().StartsWith("ttnn.deallocate(", StringComparison.Ordinal)));
    }

    [PythonFact]
    public void SmallProgramCompilesAndUsesOnlyTheApiReference()
    {
        var path = WriteProgram(SamplePlans.Small().Plan, "encoder_ttnn");
        var (code, output) = PythonTool.Compile(path);
        Assert.True(code == 0, output);
        (code, output) = PythonTool.Validate(path);
        Assert.True(code == 0, output);
        Assert.Contains("0 problems", output);
    }

    [PythonFact]
    public void EveryOpProgramCompilesAndUsesOnlyTheApiReference()
    {
        var path = WriteProgram(SamplePlans.EveryOp(), "every_op");
        var (code, output) = PythonTool.Compile(path);
        Assert.True(code == 0, output);
        (code, output) = PythonTool.Validate(path);
        Assert.True(code == 0, output);
        foreach (var op in PythonEmitter.SupportedOps) Assert.Contains(op, output);
    }

    [Fact]
    public void EveryOpPlanHasEveryOpTheEmitterWrites()
    {
        var ops = SamplePlans.EveryOp().Steps.Select(s => s.Op).ToHashSet();
        var missing = PythonEmitter.SupportedOps.Where(o => !ops.Contains(o)).ToList();
        Assert.True(missing.Count == 0, "EveryOp lacks " + string.Join(", ", missing));
    }

    [Fact]
    public void EveryTtnnOpOfTheIrHasAnEmitter()
    {
        var missing = OpRegistry.Names.Where(n => n.StartsWith("ttnn.", StringComparison.Ordinal) && !PythonEmitter.SupportedOps.Contains(n)).ToList();
        Assert.True(missing.Count == 0, "no Python emitter for " + string.Join(", ", missing));
    }

    [Fact]
    public void AnOpWithNoTtnnFormIsRefusedByName()
    {
        var plan = SamplePlans.Small().Plan;
        var steps = plan.Steps.ToList();
        steps[1] = steps[1] with { Op = "nn.spectrogram", Attributes = new Dictionary<string, string> { ["n_fft"] = "1024" } };
        var bad = plan with { Steps = steps };
        var e = Assert.Throws<VoxTileException>(() => PythonEmitter.Emit(bad, Options));
        Assert.Contains("nn.spectrogram has no TTNN equivalent", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Equal(["nn.spectrogram"], PythonEmitter.Unsupported(bad));
        Assert.False(File.Exists(Path.Combine(_dir, "bad.py")));
        Assert.Throws<VoxTileException>(() => PythonEmitter.Write(bad, Path.Combine(_dir, "bad.py"), Options));
        Assert.False(File.Exists(Path.Combine(_dir, "bad.py")));
    }

    [Fact]
    public void NamesAreValidUniqueIdentifiers()
    {
        var names = new PythonNames();
        Assert.Equal("z_p", names.Of("z_p"));
        Assert.Equal("enc_q_pre", names.Of("enc_q.pre"));
        Assert.Equal("enc_q_pre_2", names.Of("enc_q_pre"));
        Assert.Equal("t17", names.Of("17"));
        Assert.Equal("lambda_", names.Of("lambda"));
        Assert.Equal("device_", names.Of("device"));
        Assert.Equal("COMPUTE_HIFI4_", names.Of("COMPUTE_HIFI4"));
        Assert.Equal("z_p", names.Of("z_p"));
    }

    /// <summary>The validator's negative twin: a program using what the reference lacks fails, each problem named.</summary>
    [PythonFact]
    public void ValidatorRefusesWhatTheReferenceLacks()
    {
        var path = Path.Combine(_dir, "bad.py");
        File.WriteAllText(path, """
            import torch
            import ttnn

            device = ttnn.open_device(device_id=0)
            x = ttnn.from_torch(torch.zeros(1), dtype=ttnn.bfloat8_b, memory_config=ttnn.DRAM_MEMORY_CONFIG)
            y = ttnn.add(x, x, memory_confg=ttnn.L1_MEMORY_CONFIG)
            z = ttnn.conv1d(x, weight_tensor=x)
            c = ttnn.Conv2dConfig(weights_dtype=ttnn.bfloat16, math_fidelity=ttnn.MathFidelity.HiFi4)
            f = ttnn.MathFidelity.HiFi5
            n = ttnn.layer_norm(x)
            q = ttnn.silu_fast(x)
            s = ttnn.ShardSpec(None, [32, 32], ttnn.ShardOrientation.ROW_MAJOR, False)
            k = ttnn.CoreCoord(x=0, y=0)
            ttnn.deallocate(x, **{})
            """);
        var (code, output) = PythonTool.Validate(path);
        Assert.Equal(1, code);
        string[] expected =
        [
            "bad.py:5:5: ttnn.from_torch: memory_config without device raises",
            "bad.py:5:5: ttnn.from_torch: ttnn.bfloat8_b needs layout=ttnn.TILE_LAYOUT",
            "bad.py:6:5: ttnn.add: no keyword memory_confg",
            "bad.py:7:5: ttnn.conv1d: 1 positional arguments, it takes at most 0",
            "bad.py:7:5: ttnn.conv1d: required arguments device, in_channels, out_channels, batch_size, input_length, kernel_size missing",
            "bad.py:8:5: ttnn.Conv2dConfig: no constructor fits: no keyword math_fidelity",
            "bad.py:9:5: ttnn.MathFidelity.HiFi5: ttnn.MathFidelity has no member HiFi5",
            "bad.py:10:5: ttnn.layer_norm: pass epsilon",
            "bad.py:11:5: ttnn.silu_fast is not in the ttnn API reference",
            "bad.py:12:5: ttnn.ShardSpec: no constructor fits: 4 positional arguments, at most 3",
            "bad.py:13:5: ttnn.CoreCoord: no constructor fits",
            "bad.py:14:1: ttnn.deallocate: *args or **kwargs cannot be checked",
            "bad.py:4:10: ttnn.open_device: the program runs convs, which need l1_small_size > 0",
        ];
        foreach (var e in expected) Assert.Contains(e, output);
    }

    [PythonFact(numpy: true)]
    public void WeightsFileHoldsEveryWeightInTheLayoutItsOpExpects()
    {
        var (plan, _) = SamplePlans.Small();
        WriteProgram(plan, "encoder_ttnn");
        var weights = Npz.Read(Path.Combine(_dir, "encoder_ttnn.weights.npz"));
        Assert.Equal(["enc.conv.weight", "enc.conv.bias", "proj.weight", "norm.weight"], weights.Keys.ToArray());
        Assert.Equal([32, 16, 3], weights["enc.conv.weight"].Shape);
        Assert.Equal(PlanWeights.Unpack(plan).Single(w => w.Key == "proj.weight").Value.Data, weights["proj.weight"].Data);
        Assert.Equal(PythonEmitter.Emit(plan, Options).Weights.Select(w => w.Key), weights.Keys);
        var (code, output) = PythonTool.Run(["-c",
            "import numpy as np, sys; w = np.load(sys.argv[1]); print(sorted((k, w[k].shape, str(w[k].dtype)) for k in w.files)); print(float(w['proj.weight'][1, 2]))",
            Path.Combine(_dir, "encoder_ttnn.weights.npz")]);
        Assert.True(code == 0, output);
        Assert.Contains("('enc.conv.weight', (32, 16, 3), 'float32')", output);
        Assert.Contains("('norm.weight', (32,), 'float32')", output);
        Assert.Contains(weights["proj.weight"].Data[1 * 32 + 2].ToString("R", System.Globalization.CultureInfo.InvariantCulture), output);
    }

    /// <summary>The program's noise draw (numpy) is VoxTile's <see cref="RandnLike.Fill"/>, odd counts and negative seeds included.</summary>
    [PythonFact(numpy: true)]
    public void ProgramsNoiseDrawIsVoxTiles()
    {
        var path = WriteProgram(SamplePlans.Small().Plan, "encoder_ttnn");
        long seed = -1234567890123L;
        var expected = new Tensor([3, 5, 7]);
        RandnLike.Fill(expected.Data, seed);
        var script = """
            import ast, sys
            import numpy as np
            tree = ast.parse(open(sys.argv[1]).read())
            code = ast.Module([f for f in tree.body if isinstance(f, ast.FunctionDef) and f.name == "randn"], [])
            scope = {"np": np}
            exec(compile(code, "randn", "exec"), scope)
            np.save(sys.argv[3], scope["randn"]((3, 5, 7), int(sys.argv[2])))
            """;
        var npy = Path.Combine(_dir, "noise.npy");
        var (code, output) = PythonTool.Run(["-c", script, path, seed.ToString(System.Globalization.CultureInfo.InvariantCulture), npy]);
        Assert.True(code == 0, output);
        var actual = IR.IO.Npy.Read(npy);
        Assert.Equal(expected.Shape, actual.Shape);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected.Data[i], actual.Data[i], 6);
    }

    [Fact]
    public void ReferenceFileHoldsWhatTheInterpreterComputesUnderTheProgramsNames()
    {
        var (plan, graph) = SamplePlans.Small();
        var x = SamplePlans.Random(new Random(9), 1, 64, 16);
        var inputs = PlanInputs.Complete(plan, new Dictionary<string, Tensor> { ["x"] = x }, seed: 1);
        Assert.Equal(["x", "noise"], inputs.Select(i => i.Key).ToArray());
        var noise = new Tensor([1, 64, 32]);
        RandnLike.Fill(noise.Data, 7);
        Assert.Equal(noise.Data, inputs[1].Value.Data);

        var (entries, summary) = ReferenceNpz.Compute(plan, inputs);
        Assert.Equal(["out", "enc_conv", "h", "z", "proj", "input.x", "input.noise"], entries.Select(e => e.Key).ToArray());
        Assert.Equal(1, summary.Outputs);
        Assert.Equal(4, summary.Intermediates);
        var expected = Interpreter.Run(graph, [x, noise])[0];
        Compare.AssertClose(entries[0].Value, expected, "out");

        var text = PythonEmitter.Emit(plan, Options).Text;
        foreach (var name in entries.Select(e => e.Key).Where(k => k != "out" && !k.StartsWith("input.", StringComparison.Ordinal)))
            Assert.Contains($"tap(\"{name}\", {name})", text);

        var file = Path.Combine(_dir, "reference.npz");
        ReferenceNpz.Write(file, plan, inputs, ReferenceValues.Outputs);
        Assert.Equal(["out", "input.x", "input.noise"], Npz.Read(file).Keys.ToArray());
    }

    [Fact]
    public void NpzRoundTrips()
    {
        var a = SamplePlans.Random(new Random(1), 2, 3);
        var b = new Tensor([5], [1, 2, 3, 4, 5]);
        var path = Path.Combine(_dir, "t.npz");
        Npz.Write(path, [new("a.b", a), new("c", b)]);
        var back = Npz.Read(path);
        Assert.Equal(a.Data, back["a.b"].Data);
        Assert.Equal([5], back["c"].Shape);
        var again = Path.Combine(_dir, "u.npz");
        Npz.Write(again, [new("a.b", a), new("c", b)]);
        Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(again));
    }
}
