using VoxTile.Lowering.Targets;
using VoxTile.Models.Device;
using VoxTile.Runtime.Execution;
using VoxTile.Testing;
using Xunit.Abstractions;

namespace VoxTile.Models.Tests.Device;

/// <summary>
/// The plans a card runs, run unchanged on the CPU runtime (their time slices, layouts and one-op-per-step fusions
/// as a Wormhole or Blackhole would execute them), against PyTorch: the same bars as the CPU target's plans in
/// <see cref="ParityTests"/>, so what <c>voxtile emit</c> sends a card is checked too, not only what the CPU runs.
/// With bfp8_b weights the conv weights are the values the card's prepared bfp8_b weights hold (lowering's ConvWeightMatrix).
/// </summary>
[Collection(DeviceRuns.Name)]
public sealed class CardPlanParityTests(ITestOutputHelper output)
{
    public static TheoryData<string, string, string> Cases => new()
    {
        { "converter-tiny", "f32", "wormhole_n150" },
        { "converter-tiny", "bf16", "wormhole_n150" },
        { "converter-small", "bf16", "wormhole_n150" },
        { "converter-small", "bf16", "blackhole_p150" },
        { "converter-tiny", "bfp8_b", "wormhole_n150" },
        { "converter-small", "bfp8_b", "wormhole_n150" },
    };

    [GoldenTheory]
    [MemberData(nameof(Cases))]
    public void CardPlanMatchesPyTorch(string name, string dtype, string target)
    {
        var spec = TargetSpec.Parse(target);
        using var backend = new DeviceConverterBackend(new DeviceBackendOptions { DType = dtype, Target = spec, ExactLength = true });
        var (audio, _) = Goldens.Convert(name, backend);
        var ex = backend.Executors.Single();
        Assert.DoesNotContain(ex.Kernels, k => k.Op.Name.StartsWith("cpu.", StringComparison.Ordinal));
        var pcc = ReferenceCheck.Pcc(audio, Golden.Load(name, "audio").Data);
        output.WriteLine($"{name} {dtype} on {target}: {ex.Kernels.Count} steps ({ex.FusedOps} convs with a fused activation), audio PCC {pcc:F6}");
        if (dtype == "bfp8_b") BlockFloatConvWeights.AssertPacked(backend.Executors);
        Assert.True(pcc >= dtype switch { "f32" => 0.9999, "bfp8_b" => 0.999, _ => 0.99 }, $"{name} {dtype} {target} audio: PCC {pcc:F6}");
    }
}
