using VoxTile.IR;
using VoxTile.IR.IO;
using VoxTile.IR.Text;
using VoxTile.Lowering.Emit;
using VoxTile.Lowering.Passes;
using VoxTile.Lowering.Plan;
using VoxTile.Lowering.Planning;
using VoxTile.Lowering.Targets;
using VoxTile.Models.Config;
using VoxTile.Models.MeloTTS;
using VoxTile.Models.OpenVoice;
using VoxTile.Testing;
using Xunit.Abstractions;

namespace VoxTile.Lowering.Tests.Emit;

/// <summary>
/// Emitted programs run end to end on fake_ttnn (numpy, with the bindings' signatures and TTNN's documented
/// semantics): main, weight upload, every op line, deallocations (a use after free fails), reading back, writing
/// outputs and the <c>--check</c> report against VoxTile's reference file, with the warm-up, trace capture and replays
/// (a host transfer inside the capture fails) and, for a mesh target, every op run chip by chip on its shard. This is
/// not hardware: it checks the program's plumbing and that each op's argument mapping computes what the plan's op computes.
/// </summary>
public sealed class FakeDeviceTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("voxtile-fake-device-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (int Code, string Output) EmitAndRun(DevicePlan plan, string name, IReadOnlyDictionary<string, Tensor> given, params string[] extra)
    {
        var program = Path.Combine(_dir, name + ".py");
        PythonEmitter.Write(plan, program, new PythonEmitOptions { WeightsFile = name + ".weights.npz", SampleRate = 16000 });
        var inputs = PlanInputs.Complete(plan, given, seed: 4);
        Npz.Write(Path.Combine(_dir, "inputs.npz"), inputs);
        ReferenceNpz.Write(Path.Combine(_dir, "reference.npz"), plan, inputs);
        var result = PythonTool.RunOnFakeDevice(program, ["--inputs", "inputs.npz", "--check", "reference.npz", "--output", "out.npz", .. extra]);
        output.WriteLine(result.Output);
        return result;
    }

    [PythonFact(numpy: true)]
    public void SmallProgramRunsAndMatchesTheReference()
    {
        var (plan, _) = SamplePlans.Small();
        var (code, text) = EmitAndRun(plan, "encoder_ttnn", new Dictionary<string, Tensor> { ["x"] = SamplePlans.Random(new Random(2), 1, 64, 16) }, "--runs", "2");
        Assert.True(code == 0, text);
        Assert.Contains("run 2:", text);
        Assert.Contains("5 comparisons (intermediates per tensor, outputs per batch item), all at PCC >= 0.99", text);
        foreach (var name in new[] { "enc_conv", "h", "z", "proj", "out" }) Assert.Matches($"(?m)^{name} +\\[", text);
        Assert.True(File.Exists(Path.Combine(_dir, "out.npz")));
        Assert.Equal([1, 64, 32], Npz.Read(Path.Combine(_dir, "out.npz"))["out"].Shape);
    }

    /// <summary>Every op family against the IR's reference semantics, through the emitted arguments.</summary>
    [PythonFact(numpy: true)]
    public void EveryOpComputesWhatThePlanComputes()
    {
        var (code, text) = EmitAndRun(SamplePlans.EveryOp(), "every_op", new Dictionary<string, Tensor>());
        Assert.True(code == 0, text);
        Assert.Contains("5 comparisons (intermediates per tensor, outputs per batch item), all at PCC >= 0.99", text);
    }

    /// <summary>
    /// Convs that TTNN slices through DRAM (a conv1d written as the height-1 conv2d with a slice config, and a conv2d
    /// sliced along its height): no explicit slice or concat, the API check passes, and the stand-in, which runs each
    /// slice from its own window, matches the reference.
    /// </summary>
    [PythonFact(numpy: true)]
    public void DramSlicedConvsRunAndMatchTheReference()
    {
        var rng = new Random(6);
        Node W(string key, params int[] shape) => IR.Ops.Graph.Weight.Create(key, SamplePlans.Random(rng, shape));
        var x = IR.Ops.Graph.Input.Create("x", TensorType.F32(1, 64, 3000));
        var y = Nn.LeakyRelu(Nn.Conv1d(x, W("c1.w", 64, 64, 7), bias: W("c1.b", 64), padding: 6, dilation: 2), negativeSlope: 0.1f, name: "y");
        var img = IR.Ops.Graph.Input.Create("img", TensorType.F32(1, 16, 200, 24));
        var z = Nn.Relu(Nn.Conv2d(img, W("c2.w", 32, 16, 3, 3), bias: W("c2.b", 32), padding: [1, 1]), name: "z");
        var graph = Graph.Create("sliced", [x, img], [y, z]);
        var target = TargetSpec.WormholeN150 with { L1UsageCap = 1.0, L1ReservedPerCore = TargetSpec.WormholeN150.L1BytesPerCore - 96 * 1024 };
        var plan = Compiler.Compile(graph, new CompileOptions
        {
            Target = target,
            Model = "dram-sliced convs",
            Lowering = new LoweringOptions { Planner = PlannerOptions.Default with { OpBudget = 0 } }, // TTNN's slicing, not explicit slices
        }).Plan;
        Assert.Contains(plan.Steps, st => st.Op == "ttnn.conv1d" && st.Attributes.GetValueOrDefault("slice_type") == "width");
        Assert.Contains(plan.Steps, st => st.Op == "ttnn.conv2d" && st.Attributes.GetValueOrDefault("slice_type") == "height");
        var (code, text) = EmitAndRun(plan, "sliced_ttnn", new Dictionary<string, Tensor>
        {
            ["x"] = SamplePlans.Random(new Random(3), 1, 64, 3000),
            ["img"] = SamplePlans.Random(new Random(4), 1, 16, 200, 24),
        });
        Assert.True(code == 0, text);
        Assert.Contains("all at PCC >= 0.99", text);
        var program = File.ReadAllText(Path.Combine(_dir, "sliced_ttnn.py"));
        Assert.DoesNotContain("ttnn.slice(", program);
        Assert.DoesNotContain("ttnn.concat(", program);
        Assert.DoesNotContain("ttnn.conv1d(", program);
        Assert.Contains("slice_config=ttnn.Conv2dSliceConfig(slice_type=ttnn.Conv2dSliceConfig.SliceTypeEnum.SliceWidth, num_slices=", program);
        Assert.Contains("slice_config=ttnn.Conv2dSliceConfig(slice_type=ttnn.Conv2dSliceConfig.SliceTypeEnum.SliceHeight, num_slices=", program);
        Assert.Contains("kernel_size=(1, 7)", program);
        var check = PythonTool.Validate(Path.Combine(_dir, "sliced_ttnn.py"));
        Assert.True(check.Code == 0, check.Output);
    }

    /// <summary>
    /// A HiFi-GAN resblock unit on a core short of L1, planned with shorter conv act blocks: the convs run whole in L1
    /// with <c>Conv2dConfig(act_block_h_override=…)</c> (no DRAM slice config, no explicit slices), the API check passes,
    /// and the stand-in matches the reference.
    /// </summary>
    [PythonFact(numpy: true)]
    public void ConvsWithShorterActBlocksRunAndMatchTheReference()
    {
        var rng = new Random(12);
        Node W(string key, params int[] shape) => IR.Ops.Graph.Weight.Create(key, SamplePlans.Random(rng, shape));
        var x = IR.Ops.Graph.Input.Create("x", TensorType.F32(1, 32, 16000));
        var h = Nn.Conv1d(Nn.LeakyRelu(x, negativeSlope: 0.1f), W("c1.w", 32, 32, 7), bias: W("c1.b", 32), padding: 9, dilation: 3);
        h = Nn.Conv1d(Nn.LeakyRelu(h, negativeSlope: 0.1f), W("c2.w", 32, 32, 7), bias: W("c2.b", 32), padding: 3);
        var graph = Graph.Create("blocked", [x], [Nn.Add(h, x, name: "y")]);
        var target = TargetSpec.WormholeN150 with { L1UsageCap = 1.0, L1ReservedPerCore = TargetSpec.WormholeN150.L1BytesPerCore - 192 * 1024 };
        var plan = Compiler.Compile(graph, new CompileOptions
        {
            Target = target,
            Model = "shorter act blocks",
            Lowering = new LoweringOptions { Planner = PlannerOptions.Default with { ShrinkConvActBlocks = true, OpBudget = 0 } },
        }).Plan;
        var blocked = plan.Steps.Where(st => st.Op == "ttnn.conv1d" && st.Attributes.ContainsKey("act_block_h")).ToList();
        Assert.NotEmpty(blocked);
        Assert.All(blocked, st => Assert.False(st.Attributes.ContainsKey("slice_type")));
        var (code, text) = EmitAndRun(plan, "blocked_ttnn", new Dictionary<string, Tensor> { ["x"] = SamplePlans.Random(new Random(3), 1, 32, 16000) });
        Assert.True(code == 0, text);
        Assert.Contains("all at PCC >= 0.99", text);
        var program = File.ReadAllText(Path.Combine(_dir, "blocked_ttnn.py"));
        Assert.Contains($"act_block_h_override={blocked[0].Attributes["act_block_h"]}", program);
        Assert.DoesNotContain("slice_config=", program);
        Assert.DoesNotContain("ttnn.concat(", program);
        var check = PythonTool.Validate(Path.Combine(_dir, "blocked_ttnn.py"));
        Assert.True(check.Code == 0, check.Output);
    }

    /// <summary>The whole converter-tiny plan, as the CLI compiles it, runs and reproduces the reference audio; --wav writes it.</summary>
    [PythonFact(numpy: true)]
    public void ConverterProgramRunsAndMatchesTheReference()
    {
        var config = ConverterConfig.ReleasedV2 with
        {
            FilterLength = 128, HopLength = 32, WinLength = 128, InterChannels = 16, HiddenChannels = 32,
            UpsampleRates = [4, 4, 2], UpsampleInitialChannel = 32, UpsampleKernelSizes = [8, 8, 4], GinChannels = 32,
        };
        var model = ToneColorConverter.Random(config, seed: 11);
        var graph = model.BuildConversionGraph(config.HopLength * 64, 0.3f, new NoiseSource.Seeded(5));
        var plan = Compiler.Compile(graph, new CompileOptions { Target = TargetSpec.WormholeN150, Model = "converter-tiny (random weights)" }).Plan;
        var rng = new Random(8);
        var samples = new Tensor([1, config.HopLength * 64]);
        for (int i = 0; i < samples.Length; i++) samples.Data[i] = (float)(0.3 * Math.Sin(i * 0.05) + 0.05 * (rng.NextDouble() - 0.5));
        var (code, text) = EmitAndRun(plan, "converter_ttnn", new Dictionary<string, Tensor> { ["samples"] = samples }, "--wav", "out.wav");
        Assert.True(code == 0, text);
        Assert.Contains("all at PCC >= 0.99", text);
        Assert.Matches("(?m)^z_hat +\\[", text);
        Assert.True(new FileInfo(Path.Combine(_dir, "out.wav")).Length > 44);
    }

    /// <summary>
    /// converter-tiny's batch-1 plan on an n300: the program takes two utterances, one per chip (each with its own
    /// samples and speaker embeddings), and each item matches its own reference; --wav writes one file per item.
    /// </summary>
    [PythonFact(numpy: true)]
    public void ConverterProgramRunsOnAnN300MeshOneItemPerChip()
    {
        var config = ConverterConfig.ReleasedV2 with
        {
            FilterLength = 128, HopLength = 32, WinLength = 128, InterChannels = 16, HiddenChannels = 32,
            UpsampleRates = [4, 4, 2], UpsampleInitialChannel = 32, UpsampleKernelSizes = [8, 8, 4], GinChannels = 32,
        };
        var graph = ToneColorConverter.Random(config, seed: 11).BuildConversionGraph(config.HopLength * 64, 0.3f, new NoiseSource.Seeded(5));
        var plan = Compiler.Compile(graph, new CompileOptions { Target = TargetSpec.WormholeN300, Model = "converter-tiny (random weights)" }).Plan;
        var samples = new Tensor([2, config.HopLength * 64]);
        for (int i = 0; i < samples.Length; i++) samples.Data[i] = (float)(0.3 * Math.Sin(i * (i < samples.Length / 2 ? 0.05 : 0.11)));
        var (code, text) = EmitAndRun(plan, "converter_ttnn", new Dictionary<string, Tensor> { ["samples"] = samples }, "--wav", "out.wav", "--runs", "2");
        Assert.True(code == 0, text);
        Assert.Contains("(trace replay)", text);
        Assert.Matches($"(?m)^\\w+\\[0\\] +\\[1, {samples.Shape[1]}\\] +0\\.99", text); // the output audio, item by item
        Assert.Matches($"(?m)^\\w+\\[1\\] +\\[1, {samples.Shape[1]}\\] +0\\.99", text);
        Assert.Contains("all at PCC >= 0.99", text);
        Assert.True(new FileInfo(Path.Combine(_dir, "out.1.wav")).Length > 44);
    }

    /// <summary>MeloTTS tiny's plan (text encoder, durations, path, flow, decoder) runs and matches the reference.</summary>
    [PythonFact(numpy: true)]
    public void MeloProgramRunsAndMatchesTheReference()
    {
        var config = MeloConfig.ReleasedEnglish with
        {
            InterChannels = 8, HiddenChannels = 16, FilterChannels = 24, GinChannels = 8, NSpeakers = 3,
            Speakers = new Dictionary<string, int>(), UpsampleInitialChannel = 32, UpsampleRates = [2, 2, 2, 2, 2],
            UpsampleKernelSizes = [4, 4, 2, 2, 2], HopLength = 32, FilterLength = 64, WinLength = 64,
        };
        // As a Tenstorrent target builds it: the last stage (32 samples per frame) masks through frame views.
        var graph = MeloSynthesizer.Random(config, seed: 3).BuildGraph(new MeloGraphSpec(8, 32, MeloSynthesisOptions.Default, FrameViewMasks: true), new MeloNoise.Seeded(1));
        var plan = Compiler.Compile(graph, new CompileOptions { Target = TargetSpec.WormholeN150, Model = "melotts-tiny (random weights)" }).Plan;
        Assert.Contains(plan.Steps, s => ReshapeViews.IsView(plan, s) && Parser.ParseType(plan.Tensor(s.Output).Type).Shape.Rank == 4);
        var rng = new Random(6);
        Tensor Ids(int hi) => new([1, 8], [.. Enumerable.Range(0, 8).Select(_ => (float)rng.Next(hi))]);
        var given = new Dictionary<string, Tensor>
        {
            ["phonemes"] = Ids(config.NVocab), ["tones"] = Ids(config.NumTones), ["languages"] = Ids(config.NumLanguages), ["sid"] = new Tensor([1], [1f]), ["tokens"] = new Tensor([1], [6f]), // two of the eight positions are padding
        };
        var (code, text) = EmitAndRun(plan, "melo_ttnn", given, "--wav", "out.wav");
        Assert.True(code == 0, text);
        Assert.Contains("all at PCC >= 0.99", text);
        // --wav keeps the utterance's y_length frames of the bucket (hop 32 samples each), as VoxTile's synthesizer does.
        var reference = Npz.Read(Path.Combine(_dir, "reference.npz"));
        int frames = (int)reference["y_length"].Data[0], bucket = reference["z"].Shape[^1];
        Assert.InRange(frames, 1, bucket - 1); // the two padding tokens leave part of the bucket empty, so the trim is seen
        Assert.Equal(bucket * config.HopLength, reference["audio"].Shape[^1]);
        Assert.Equal(44 + 2 * frames * config.HopLength, new FileInfo(Path.Combine(_dir, "out.wav")).Length);
        Assert.Contains($"wrote out.wav: {frames * config.HopLength / 16000.0:F2} s at 16000 Hz", text);
    }

    private static (ToneColorConverter Model, DevicePlan Plan, int Samples) TinyConverterPlan()
    {
        var config = ConverterConfig.ReleasedV2 with
        {
            FilterLength = 128, HopLength = 32, WinLength = 128, InterChannels = 16, HiddenChannels = 32,
            UpsampleRates = [4, 4, 2], UpsampleInitialChannel = 32, UpsampleKernelSizes = [8, 8, 4], GinChannels = 32,
        };
        var model = ToneColorConverter.Random(config, seed: 11);
        int samples = config.HopLength * 64;
        var graph = model.BuildConversionGraph(samples, 0.3f, new NoiseSource.Seeded(5));
        // The plan records its audio rate as `voxtile compile` does, so the program needs no --sample-rate.
        var plan = Compiler.Compile(graph, new CompileOptions
        {
            Target = TargetSpec.WormholeN150, Model = "converter-tiny (random weights)",
            Settings = new Dictionary<string, string> { [PlanAudio.RateSetting] = "16000" },
        }).Plan;
        return (model, plan, samples);
    }

    /// <summary>
    /// The program names its output after the model's (audio, not the lowered value's number), reads a shorter .wav
    /// given with --input, pads it with zeros, and trims the WAV it writes back to the input's length; the rate comes
    /// from the plan. The embeddings come from an inputs file holding only them.
    /// </summary>
    [PythonFact(numpy: true)]
    public void ConverterProgramPadsAShortWavAndTrimsItsWav()
    {
        var (_, plan, samples) = TinyConverterPlan();
        Assert.Equal("audio", plan.Tensor(plan.Outputs[0]).Name);
        var program = Path.Combine(_dir, "converter_ttnn.py");
        PythonEmitter.Write(plan, program, new PythonEmitOptions { WeightsFile = "converter_ttnn.weights.npz" });
        var text = File.ReadAllText(program);
        Assert.Contains("OUTPUTS = [\"audio\"]", text);
        Assert.Contains("SAMPLE_RATE = 16000", text);
        Assert.Contains("# inputs:    samples [1, " + samples + "] float32: audio at 16000 Hz", text);
        var embeddings = PlanInputs.Complete(plan, new Dictionary<string, Tensor>(), seed: 4).Where(i => i.Key.StartsWith("se_", StringComparison.Ordinal)).ToList();
        Npz.Write(Path.Combine(_dir, "se.npz"), embeddings);
        int real = samples * 3 / 4;
        var wav = new float[real];
        for (int i = 0; i < real; i++) wav[i] = (float)(0.3 * Math.Sin(i * 0.05));
        Models.Audio.WavFile.Write(Path.Combine(_dir, "short.wav"), wav, 16000);
        var (code, output) = PythonTool.RunOnFakeDevice(program, "--input", "samples=short.wav", "--inputs", "se.npz", "--wav", "out.wav", "--no-trace");
        Assert.True(code == 0, output);
        Assert.Contains($"input samples: {real} of {samples} values given, the rest padded with zeros", output);
        Assert.Equal(44 + 2 * real, new FileInfo(Path.Combine(_dir, "out.wav")).Length);
        Assert.Equal([1, 1, samples], Npz.Read(Path.Combine(_dir, "outputs.npz"))["audio"].Shape);
    }

    /// <summary>An input longer than the plan was compiled for is refused in one line, naming the input and the limit.</summary>
    [PythonFact(numpy: true)]
    public void ConverterProgramRefusesALongerInput()
    {
        var (_, plan, samples) = TinyConverterPlan();
        var program = Path.Combine(_dir, "converter_ttnn.py");
        PythonEmitter.Write(plan, program, new PythonEmitOptions { WeightsFile = "converter_ttnn.weights.npz" });
        Npy.Write(Path.Combine(_dir, "long.npy"), new Tensor([1, samples + 32]));
        var (code, output) = PythonTool.RunOnFakeDevice(program, "--input", "samples=long.npy");
        Assert.NotEqual(0, code);
        Assert.Equal($"input samples has {samples + 32} values on its last dim; the plan was compiled for at most {samples}: emit a plan for longer input", output.Trim());
    }
}
