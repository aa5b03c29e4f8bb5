using VoxTile.IR;
using VoxTile.IR.Ops.Graph;
using VoxTile.Lowering;
using VoxTile.Lowering.Passes;
using VoxTile.Lowering.Targets;
using VoxTile.Runtime.Execution;
using VoxTile.IR.Ops.Ttnn;
using Xunit.Abstractions;

namespace VoxTile.Runtime.Tests;

/// <summary>
/// The CPU target's plan fuses the masked decoder's frame-mask products, activations and residuals into
/// <c>cpu.conv1d</c> steps (vt_conv1d's input and output masks, activations and residual), and a Tenstorrent plan of
/// the same graph keeps them as ttnn ops (only an activation rides in its conv). Both run on the CPU runtime, one
/// kernel call per step: the fused plan gives the card's values (bit for bit in the fp32 mode, where every product
/// rounds the same), and no mask product is left to run on its own.
/// </summary>
public sealed class FusedPlanTests(ITestOutputHelper output)
{
    private const int Channels = 32, Frames = 24, Scale = 4, Samples = Frames * Scale;

    /// <summary>
    /// A masked ResBlock step and the masked products around it, over a sample mask repeated from a frame mask, on a
    /// conv's output (channels-last, as in the decoder): h = conv0(x); leaky_relu → ×mask → conv1 → leaky_relu → ×mask
    /// → conv2 → + h → ×mask = r; y = conv3(r × mask).
    /// </summary>
    private static Graph Block()
    {
        var x = Input.Create("x", TensorType.F32(1, Channels, Samples));
        var frameMask = Input.Create("mask", TensorType.F32(1, 1, Frames));
        var mask = Nn.Reshape(Nn.Mul(Nn.Reshape(frameMask, [1, 1, Frames, 1]), Nn.Full(1f, shape: [1, 1, 1, Scale])), [1, 1, Samples]);
        var rng = new Random(5);
        Node W(string key, params int[] shape)
        {
            var t = new Tensor(shape);
            for (int i = 0; i < t.Length; i++) t.Data[i] = (float)(rng.NextDouble() - 0.5) / 4;
            return Weight.Create(key, t);
        }
        var h = Nn.Conv1d(x, W("c0.w", Channels, Channels, 1), bias: W("c0.b", Channels));
        var t = Nn.Mul(Nn.LeakyRelu(h, negativeSlope: 0.1f), mask);
        t = Nn.Conv1d(t, W("c1.w", Channels, Channels, 3), bias: W("c1.b", Channels), padding: 3, dilation: 3);
        t = Nn.Mul(Nn.LeakyRelu(t, negativeSlope: 0.1f), mask);
        t = Nn.Conv1d(t, W("c2.w", Channels, Channels, 3), bias: W("c2.b", Channels), padding: 1);
        var r = Nn.Mul(Nn.Add(t, h), mask, name: "r");
        var y = Nn.Conv1d(Nn.Mul(r, mask), W("c3.w", Channels, Channels, 5), bias: W("c3.b", Channels), padding: 2, name: "y");
        return Graph.Create("masked_block", [x, frameMask], [y]);
    }

    private static Executor Load(string dtype, TargetSpec target)
    {
        var act = dtype == "f32" ? DType.F32 : DType.BF16;
        var plan = Compiler.Compile(Block(), new CompileOptions
        {
            Target = target,
            Model = "masked block",
            Lowering = new LoweringOptions { WeightDType = act, ActivationDType = act },
        }).Plan;
        return new Executor(PlanLoader.Load(plan, target, "masked block"));
    }

    private static Dictionary<string, Tensor> Inputs()
    {
        var x = new Tensor([1, Channels, Samples]);
        var rng = new Random(9);
        for (int i = 0; i < x.Length; i++) x.Data[i] = (float)(rng.NextDouble() * 2 - 1);
        // Frames past the end and one inside: a mask need not be a prefix.
        var mask = new Tensor([1, 1, Frames]);
        for (int f = 0; f < Frames; f++) mask.Data[f] = f < 17 && f != 5 ? 1 : 0;
        return new() { ["x"] = x, ["mask"] = mask };
    }

    [Theory]
    [InlineData("f32")]
    [InlineData("bf16")]
    public void FusedPlanKeepsTheResult(string dtype)
    {
        using var plain = Load(dtype, TargetSpec.WormholeN150);
        using var fused = Load(dtype, TargetSpec.Cpu);
        var a = plain.Run(Inputs());
        var b = fused.Run(Inputs());

        int Multiplies(Executor e) => e.Kernels.Count(k => k.Op.Name == "ttnn.multiply");
        var convs = fused.Kernels.Select(k => k.Op).OfType<IR.Ops.Cpu.Conv1d>().ToList();
        output.WriteLine($"{dtype}: {fused.FusedOps} fused ops; steps {plain.Kernels.Count} → {fused.Kernels.Count}; multiplies {Multiplies(plain)} → {Multiplies(fused)}; " +
            $"convs with an input mask {convs.Count(c => c.HasInputMask)}, with an output mask {convs.Count(c => c.HasOutputMask)}");
        // Only the repeat of the frame mask (× ones [1, 1, 1, s]) is left: every product with the sample mask is in a conv.
        Assert.Equal(1, Multiplies(fused));
        Assert.True(Multiplies(plain) > 1);
        Assert.DoesNotContain(plain.Kernels, k => k.Op is IR.Ops.Cpu.Conv1d);
        // conv1: input leaky_relu and mask; output leaky_relu and mask. conv2: residual and output mask. conv3: input mask alone.
        Assert.Contains(convs, c => c.HasInputMask && c.InputActivation == ConvActivation.LeakyRelu && c.HasOutputMask && c.Activation == ConvActivation.LeakyRelu);
        Assert.Contains(convs, c => c.HasResidual && c.HasOutputMask);
        Assert.Contains(convs, c => c.HasInputMask && c.InputActivation == ConvActivation.None);

        var pcc = ReferenceCheck.Pcc(a[0].Data, b[0].Data);
        output.WriteLine($"  cpu plan vs wormhole_n150 plan PCC {pcc:F9}, max abs diff {a[0].Data.Zip(b[0].Data, (p, q) => Math.Abs(p - q)).Max():E2}");
        if (dtype == "f32") Assert.Equal(a[0].Data, b[0].Data); // the same products, rounded the same
        else Assert.True(pcc >= 0.9999, $"PCC {pcc}");
    }

    /// <summary>
    /// The cpu plan's convs ask vt_conv1d for the fastest algorithm (Winograd where its table and error bound pick it);
    /// the card plan's keep the direct one, TTNN's numerics, since running it on the CPU checks what the card computes.
    /// </summary>
    [Fact]
    public void OnlyTheCpuPlanRunsTheFastestConvolution()
    {
        using var card = Load("bf16", TargetSpec.WormholeN150);
        using var cpu = Load("bf16", TargetSpec.Cpu);
        static List<VoxTile.Runtime.Native.VtConv1dAlgorithm> Algorithms(Executor e) =>
            [.. e.Kernels.OfType<VoxTile.Runtime.Execution.Kernels.Conv1dKernel>().Select(k => k.Algorithm)];
        Assert.NotEmpty(Algorithms(card));
        Assert.All(Algorithms(card), a => Assert.Equal(VoxTile.Runtime.Native.VtConv1dAlgorithm.Direct, a));
        Assert.NotEmpty(Algorithms(cpu));
        Assert.All(Algorithms(cpu), a => Assert.Equal(VoxTile.Runtime.Native.VtConv1dAlgorithm.Fastest, a));
    }
}
