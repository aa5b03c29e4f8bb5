using System.Reflection;
using System.Runtime.InteropServices;
using VoxTile.IR;
using VoxTile.IR.Interp;
using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.Lowering;
using VoxTile.Lowering.Passes;
using VoxTile.Lowering.Targets;
using VoxTile.Runtime.Execution;
using VoxTile.Runtime.Execution.Kernels;
using VoxTile.Runtime.Native;
using VoxTile.Testing;
using Xunit.Abstractions;
using Tt = VoxTile.IR.Ttnn;

namespace VoxTile.Runtime.Tests;

/// <summary>
/// Every target op (ttnn.*, cpu.*) is bound to the native symbol its class declares (the generated dispatch covers each one, and each
/// symbol is one the bindings import); a step no native kernel runs is refused with one line naming it unless the
/// host is allowed; <c>ttnn.conv_transpose2d</c> runs on vt_conv_transpose1d and follows its fp32 reference.
/// </summary>
public sealed class KernelBindingTests(ITestOutputHelper output)
{
    // The target dialects: what a device plan's steps run (ttnn.* for every target, cpu.* fused convs for the cpu target).
    private static bool IsTargetOp(string name) => name.StartsWith("ttnn.", StringComparison.Ordinal) || name.StartsWith("cpu.", StringComparison.Ordinal);

    private static IEnumerable<(Type Type, string Name)> TargetOps => typeof(Op).Assembly.GetTypes()
        .Select(t => (Type: t, Op: t.GetCustomAttribute<OpAttribute>()))
        .Where(d => d.Op is not null && IsTargetOp(d.Op.Name))
        .Select(d => (d.Type, d.Op!.Name));

    private static readonly HashSet<string> Imported = [.. typeof(VtNative).GetMethods(BindingFlags.Public | BindingFlags.Static)
        .SelectMany(m => m.GetCustomAttributes<LibraryImportAttribute>()).Select(a => a.EntryPoint!)];

    [Fact]
    public void EveryTargetOpIsDispatchedToTheImportedSymbolItDeclares()
    {
        var ops = TargetOps.ToList();
        Assert.Equal(OpRegistry.Names.Where(IsTargetOp), ops.Select(o => o.Name).Order(StringComparer.Ordinal));
        Assert.Contains(ops, o => o.Name == "cpu.conv1d");
        Assert.Contains("vt_conv1d", Imported);
        foreach (var (type, name) in ops)
        {
            var kernel = type.GetCustomAttribute<KernelAttribute>();
            Assert.True(kernel is not null, $"{name} declares no [Kernel]");
            Assert.True(Imported.Contains(kernel.Symbol), $"{name} runs on {kernel.Symbol}, which the bindings do not import");
            Assert.True(NativeCoverage.Symbols.TryGetValue(name, out var bound), $"the generated dispatch has no case for {name}");
            Assert.Equal(kernel.Symbol, bound);
        }
        Assert.Equal(ops.Count, NativeCoverage.Symbols.Count);
    }

    [Theory]
    [InlineData("ttnn.tanh", VtUnaryOp.Tanh)]
    [InlineData("ttnn.sigmoid", VtUnaryOp.Sigmoid)]
    [InlineData("ttnn.exp", VtUnaryOp.Exp)]
    [InlineData("ttnn.rsqrt", VtUnaryOp.Rsqrt)]
    public void AUnaryOpIsBoundWithItsCodeAsTheBindingsEnum(string op, VtUnaryOp code)
    {
        var plan = SyntheticPlans.Unary(op, "bf16[1,1,32,32]{tile,dram}", "bf16[1,1,32,32]{tile,dram}");
        using var ex = new Executor(PlanLoader.Load(plan, TargetSpec.WormholeN150, "synthetic"));
        var kernel = Assert.IsType<UnaryKernel>(ex.Kernels.Single());
        Assert.Equal(code, kernel.Code);
    }

    /// <summary>relu → neg (an nn op: planned as a host op) → exp, planned as it is.</summary>
    private static Graph WithHostOp()
    {
        var x = Input.Create("x", new TensorType(DType.BF16, new Shape(1, 1, 32, 32), Layout.Tile));
        var h = Nn.Neg(Tt.Relu(x, name: "a"), name: "h");
        return Graph.Create("host", [x], [Tt.Exp(h, name: "e")]);
    }

    private static LoadedPlan HostPlan() => PlanLoader.Load(Compiler.Compile(WithHostOp(), new CompileOptions
    {
        Target = TargetSpec.WormholeN150,
        Model = "host op",
        Pipeline = "plan-memory",
    }).Plan, TargetSpec.WormholeN150, "host op");

    [Fact]
    public void AStepWithoutANativeKernelIsRefusedInOneLineNamingIt()
    {
        var plan = HostPlan();
        var host = Assert.Single(NativeCoverage.HostSteps(plan));
        Assert.Equal("nn.neg", host.Op);
        var e = Assert.Throws<VoxTileException>(() => new Executor(plan));
        output.WriteLine(e.Message);
        Assert.Equal($"plan step {host.Step} nn.neg (from %h) has no CPU kernel; pass --allow-host to run it on the host with its fp32 reference", e.Message);
    }

    [Fact]
    public void AllowedHostStepsRunTheirFp32Reference()
    {
        using var ex = new Executor(HostPlan(), new ExecutorOptions { AllowHost = true });
        Assert.Equal(1, ex.HostSteps);
        var x = SyntheticPlans.Ramp(1, 1, 32, 32);
        var y = ex.Run(new Dictionary<string, Tensor> { ["x"] = x })[0];
        var expected = x.Data.Select(v => MathF.Exp(-MathF.Max(v, 0))).ToArray();
        Assert.True(Compare.Pcc(y.Data, expected) >= 0.999, $"PCC {Compare.Pcc(y.Data, expected):F6}");
    }

    [Fact]
    public void AKernelThatCannotTakeAStepSaysWhy()
    {
        var plan = SyntheticPlans.Unary("ttnn.sum", "f32[1,2,32,32]{row_major,dram}", "f32[1,1,1,32]{row_major,dram}",
            attributes: new Dictionary<string, string> { ["dim"] = "[1, 2]", ["keepdim"] = "true" });
        var e = Assert.Throws<VoxTileException>(() => new Executor(PlanLoader.Load(plan, TargetSpec.WormholeN150, "synthetic")));
        Assert.Equal("plan step 0 ttnn.sum (from %y) has no CPU kernel for a ttnn.sum over 2 dims (vt_reduce reduces one); "
            + "pass --allow-host to run it on the host with its fp32 reference", e.Message);
    }

    /// <summary>
    /// nn.conv_transpose1d lowered as ttnn.conv_transpose2d of height 1 (the converter's upsamplers with
    /// <see cref="LoweringOptions.ConvTransposeAsConvTranspose2d"/>): bound to vt_conv_transpose1d, and the step's output
    /// follows the op's fp32 reference on the very inputs it read, and the whole graph the interpreter's.
    /// </summary>
    [Theory]
    [InlineData("f32", 8, 16, 4, 2, 0, 1, 1)]
    [InlineData("bf16", 8, 16, 4, 2, 0, 1, 1)]
    [InlineData("f32", 12, 8, 3, 4, 1, 1, 2)]
    [InlineData("bf16", 16, 16, 3, 6, 2, 2, 1)]
    public void ConvTranspose2dRunsOnVtConvTranspose1d(string dtype, int cin, int cout, int stride, int kernel, int padding, int dilation, int groups)
    {
        var act = dtype == "f32" ? DType.F32 : DType.BF16;
        var rng = new Random(cin * 31 + kernel);
        Tensor Rand(params int[] shape)
        {
            var t = new Tensor(shape);
            for (int i = 0; i < t.Length; i++) t.Data[i] = (float)(rng.NextDouble() - 0.5);
            return t;
        }
        const int length = 37;
        var x = Input.Create("x", TensorType.F32(1, cin, length));
        var y = Nn.ConvTranspose1d(x, Weight.Create("w", Rand(cin, cout / groups, kernel)), bias: Weight.Create("b", Rand(cout)),
            stride: stride, padding: padding, dilation: dilation, groups: groups, name: "y");
        var g = Graph.Create("upsample", [x], [y]);
        var plan = Compiler.Compile(g, new CompileOptions
        {
            Target = TargetSpec.WormholeN150,
            Model = "conv_transpose",
            Lowering = new LoweringOptions { WeightDType = act, ActivationDType = act, ConvTransposeAsConvTranspose2d = true },
        }).Plan;
        Assert.Contains(plan.Steps, s => s.Op == "ttnn.conv_transpose2d");

        using var ex = new Executor(PlanLoader.Load(plan, TargetSpec.WormholeN150, "conv_transpose"), new ExecutorOptions { Check = true, CheckPcc = 0.999 });
        Assert.Equal(0, ex.HostSteps);
        Assert.Single(ex.Kernels.OfType<ConvTranspose1dKernel>());
        var input = Rand(1, cin, length);
        var got = ex.Run(new Dictionary<string, Tensor> { ["x"] = input })[0];
        var step = ex.Check.Ops.Single(o => o.Op == "ttnn.conv_transpose2d");
        var want = Interpreter.Run(g, [input])[0];
        double pcc = Compare.Pcc(got.Data, want.Data);
        output.WriteLine($"{dtype} cin {cin} cout {cout} stride {stride} k {kernel} pad {padding} dil {dilation} groups {groups}: step PCC {step.Pcc:F7}, "
            + $"max abs err {step.MaxAbsError:E2}; graph PCC {pcc:F7}");
        double bar = act == DType.F32 ? 0.99999 : 0.999;
        Assert.True(step.Pcc >= bar, $"conv_transpose2d step PCC {step.Pcc:F7}");
        Assert.True(pcc >= bar, $"graph PCC {pcc:F7}");
        if (act == DType.F32) Assert.True(step.MaxAbsError <= 1e-4, $"max abs err {step.MaxAbsError:E2}");
    }

    /// <summary>
    /// Without mirror_kernel TTNN takes the weight as already flipped: the kernel reverses it at load. A ttnn graph
    /// planned as it is, checked step by step against ttnn.conv_transpose2d's own reference, both ways.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void MirrorKernelFalseReadsTheWeightFlipped(bool mirror)
    {
        const int cin = 6, cout = 4, length = 19, k = 5;
        var rng = new Random(mirror ? 1 : 2);
        var w = new Tensor([cin, cout, 1, k]);
        for (int i = 0; i < w.Length; i++) w.Data[i] = (float)(rng.NextDouble() - 0.5);
        var x = Input.Create("x", new TensorType(DType.F32, new Shape(1, 1, length, cin), Layout.RowMajor));
        var y = Tt.ConvTranspose2d(x, Weight.Create("w", w), inChannels: cin, outChannels: cout, batchSize: 1, inputHeight: 1, inputWidth: length,
            kernelSize: [1, k], stride: [1, 2], padding: [0, 1], mirrorKernel: mirror, name: "y");
        var plan = Compiler.Compile(Graph.Create("mirror", [x], [y]), new CompileOptions
        {
            Target = TargetSpec.WormholeN150,
            Model = "mirror",
            Pipeline = "plan-memory",
        }).Plan;
        using var ex = new Executor(PlanLoader.Load(plan, TargetSpec.WormholeN150, "mirror"), new ExecutorOptions { Check = true, CheckPcc = 0.99999 });
        Assert.Single(ex.Kernels.OfType<ConvTranspose1dKernel>());
        var input = new Tensor([1, 1, length, cin]);
        for (int i = 0; i < input.Length; i++) input.Data[i] = (float)(rng.NextDouble() - 0.5);
        ex.Run(new Dictionary<string, Tensor> { ["x"] = input });
        var step = ex.Check.Ops.Single(o => o.Op == "ttnn.conv_transpose2d");
        output.WriteLine($"mirror_kernel {mirror}: PCC {step.Pcc:F7}, max abs err {step.MaxAbsError:E2}");
        Assert.True(step.MaxAbsError <= 1e-5, $"max abs err {step.MaxAbsError:E2}");
    }
}
