using VoxTile.Models.Config;
using VoxTile.Models.MeloTTS;
using VoxTile.Models.Device;
using VoxTile.Runtime.Execution;
using Xunit.Abstractions;

namespace VoxTile.Models.Tests.Device;

/// <summary>
/// MeloTTS on the device runtime without goldens: a small random model at the released 44.1 kHz, with the clone
/// pipeline's on-device resampling to 22.05 kHz in the same plan, against the reference interpreter. The reference's
/// durations are forced so that both runs have the same frames. In the fp32 mode the audio must follow the reference;
/// with bf16 a random model's activations (not trained to stay in range) amplify rounding, so there the bar is on the
/// resampling alone: the plan's 22.05 kHz output against the host resampler applied to the plan's own 44.1 kHz audio.
/// (Trained weights, bf16: MeloParityTests.)
/// </summary>
[Collection(DeviceRuns.Name)]
public sealed class MeloOnDeviceTests(ITestOutputHelper output)
{
    private static readonly MeloConfig Small = MeloConfig.ReleasedEnglish with
    {
        InterChannels = 8, HiddenChannels = 16, FilterChannels = 24, GinChannels = 8, NSpeakers = 3,
        Speakers = new Dictionary<string, int>(), UpsampleInitialChannel = 32, UpsampleRates = [2, 2, 2, 2, 2],
        UpsampleKernelSizes = [4, 4, 2, 2, 2], HopLength = 32, FilterLength = 64, WinLength = 64,
    };

    [Theory]
    [InlineData("f32")]
    [InlineData("bf16")]
    public void SynthesisAndResamplingFollowTheReference(string dtype)
    {
        var model = MeloSynthesizer.Random(Small, seed: 12);
        var input = MeloInput.WithoutBert(MeloText.Default.Encode("_ hh ah l ow w er l d _", "0 0 2 0 1 0 3 0 0 0", "EN"), speakerId: 1);
        var reference = new MeloPipeline(model) { OutputRate = 22050 }.Synthesize(input, MeloSynthesisOptions.Default, new MeloNoise.Seeded(4));
        using var backend = new DeviceMeloBackend(new DeviceBackendOptions { DType = dtype });

        var device = new MeloPipeline(model) { Backend = backend, OutputRate = 22050 }
            .Synthesize(input, MeloSynthesisOptions.Default, new MeloNoise.Seeded(4), reference.Bucket, reference.Durations);

        var ex = backend.Executors.Single();
        Assert.Equal(0, ex.HostSteps);
        Assert.Equal(reference.Attn.Data, device.Attn.Data);
        Assert.Equal(reference.Resampled!.Length, device.Resampled!.Length);
        double audio = ReferenceCheck.Pcc(device.Audio, reference.Audio), resampled = ReferenceCheck.Pcc(device.Resampled, reference.Resampled);
        double own = ReferenceCheck.Pcc(device.Resampled, Models.Audio.Resampler.Resample(device.Audio, 44100, 22050));
        output.WriteLine($"{dtype}: {input.Length} tokens, {device.Frames} frames in {device.Bucket}: vs the reference, 44.1 kHz audio PCC {audio:F6}, " +
            $"22.05 kHz PCC {resampled:F6}; on-device resampling vs the host's of the same audio PCC {own:F6}; " +
            $"{ex.Kernels.Count} kernels, peak L1 {ex.Memory.PeakL1PerCore / 1024.0:F0} KiB/core");
        Assert.True(own >= 0.999, $"resampling PCC {own:F6}");
        if (dtype == "f32")
        {
            Assert.True(audio >= 0.9999, $"audio PCC {audio:F6}");
            Assert.True(resampled >= 0.9999, $"resampled PCC {resampled:F6}");
        }
    }
}
