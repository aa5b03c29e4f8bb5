using VoxTile.IR;
using VoxTile.IR.Ops.Graph;
using VoxTile.Lowering;
using VoxTile.Lowering.Passes;
using VoxTile.Lowering.Targets;
using VoxTile.Models.Audio;
using VoxTile.Runtime.Execution;
using VoxTile.Testing;
using Xunit.Abstractions;

namespace VoxTile.Models.Tests.Device;

/// <summary>
/// The clone pipeline's 44.1 → 22.05 kHz resampler (<see cref="ResampleGraph"/>) compiled to a device plan and run on
/// the runtime: no host step, and the samples of the host <see cref="Resampler"/> (PCC ≥ 0.9999 with f32 activations,
/// ≥ 0.999 with bf16; the conv weights are bf16 whenever activations are).
/// </summary>
[Collection(DeviceRuns.Name)]
public sealed class ResampleOnDeviceTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("f32", 220500)] // 5 s
    [InlineData("bf16", 220500)]
    [InlineData("f32", 301)]
    [InlineData("bf16", 301)]
    public void TheHalvingPlanMatchesTheHostResampler(string dtype, int n)
    {
        var t = dtype == "f32" ? DType.F32 : DType.BF16;
        var input = Input.Create("samples", TensorType.F32(1, 1, n));
        var g = Graph.Create("resample", [input], [ResampleGraph.Build(input, 44100, 22050)]);
        var compiled = Compiler.Compile(g, new CompileOptions
        {
            Target = TargetSpec.WormholeN150,
            Model = "resample 44100 → 22050 Hz",
            Lowering = new LoweringOptions { WeightDType = t, ActivationDType = t },
        });
        using var ex = new Executor(PlanLoader.Load(compiled.Plan, TargetSpec.WormholeN150, "the compiled plan"));
        Assert.Equal(0, ex.HostSteps);

        var rng = new Random(n);
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        var y = ex.Run(new Dictionary<string, Tensor> { ["samples"] = new Tensor([1, 1, n], x) })[0];
        var host = Resampler.Resample(x, 44100, 22050);
        Assert.Equal([1, 1, host.Length], y.Shape);
        double pcc = Compare.Pcc(y.Data, host), err = Compare.MaxAbsError(y.Data, host);
        var steps = compiled.Plan.Steps.Where(s => !s.IsDeallocate).GroupBy(s => s.Op).OrderBy(s => s.Key, StringComparer.Ordinal);
        output.WriteLine($"{dtype} {n} samples: PCC {pcc:F9}, max abs err {err:E2}; steps: {string.Join(", ", steps.Select(s => $"{s.Key} {s.Count()}"))}");
        Assert.True(pcc >= (t == DType.F32 ? 0.9999 : 0.999), $"{dtype}: PCC {pcc:F7}");
    }
}
