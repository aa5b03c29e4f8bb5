using VoxTile.Models.Device;
using VoxTile.Runtime.Execution;
using VoxTile.Testing;
using Xunit.Abstractions;

namespace VoxTile.Models.Tests.Device;

/// <summary>
/// extract_se on the device runtime against PyTorch: ref_enc (spectrogram, conv2d stack, GRU, projection) compiled for
/// the reference clip's exact length. Bars as for the conversion: PCC ≥ 0.9999 in the fp32 mode, ≥ 0.99 with bf16.
/// </summary>
[Collection(DeviceRuns.Name)]
public sealed class EmbeddingParityTests(ITestOutputHelper output)
{
    [GoldenTheory]
    [InlineData("converter-tiny", "f32")]
    [InlineData("converter-tiny", "bf16")]
    [InlineData("converter-small", "f32")]
    [InlineData("converter-small", "bf16")]
    public void ExtractSeOnTheDeviceMatchesPyTorch(string name, string dtype)
    {
        using var backend = new DeviceConverterBackend(new DeviceBackendOptions { DType = dtype });
        var model = Goldens.Model(name);
        var se = backend.ExtractSegment(model, Golden.Load(name, "reference_samples").Data);
        var golden = Golden.Load(name, "se_target");
        var ex = backend.Embedders.Single();
        var pcc = ReferenceCheck.Pcc(se.Data, golden.Data);
        output.WriteLine($"{name} {dtype,-4}: se_target PCC {pcc:F6}, max abs err {ReferenceCheck.MaxAbsError(se.Data, golden.Data):E2}; " +
            $"{ex.HostSteps} steps on the host, peak L1 {ex.Memory.PeakL1PerCore / 1024.0:F0} KiB/core");
        Assert.Equal(0, ex.HostSteps);
        Assert.True(pcc >= (dtype == "f32" ? 0.9999 : 0.99), $"PCC {pcc:F6}");
    }
}
