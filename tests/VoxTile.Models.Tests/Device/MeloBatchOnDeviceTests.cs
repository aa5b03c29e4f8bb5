using VoxTile.Models.Device;
using VoxTile.Models.MeloTTS;
using VoxTile.Models.Tests.MeloTTS;
using VoxTile.Runtime.Execution;
using Xunit.Abstractions;

namespace VoxTile.Models.Tests.Device;

/// <summary>
/// A MeloTTS batch on the device runtime: three utterances of 9, 7 and 15 tokens in one token bucket of 16 and one
/// frame bucket, each with its own speaker and seed, against each item's batch-1 run on the same backend and buckets.
/// In f32 every output is bit for bit the single run's; in bf16 (durations from the batched f32 front, the rest from
/// the batched bf16 back) the durations and path are equal and the latents and audio follow with PCC ≥ 0.9999.
/// </summary>
[Collection(DeviceRuns.Name)]
public sealed class MeloBatchOnDeviceTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("f32", true)]
    [InlineData("bf16", true)]
    [InlineData("bf16", false)]
    public void EachItemIsItsSingleRun(string dtype, bool transformerFlow)
    {
        var model = MeloSynthesizer.Random(MeloBatchTests.Small with { UseTransformerFlow = transformerFlow }, seed: 5);
        var items = MeloBatchTests.Items();
        using var backend = new DeviceMeloBackend(new DeviceBackendOptions { DType = dtype });
        var pipeline = new MeloPipeline(model) { Backend = backend };

        var batch = pipeline.SynthesizeBatch(items, MeloSynthesisOptions.Default, MeloBatchTests.Seeds, frames: 96);

        Assert.All(backend.Executors, e => Assert.True(e.HostSteps == 0, $"{e.Plan.Plan.Graph}: {e.HostSteps} host steps"));
        Assert.Equal(dtype == "f32" ? 1 : 2, backend.Executors.Count);
        for (int b = 0; b < items.Count; b++)
        {
            var single = pipeline.Synthesize(items[b], MeloSynthesisOptions.Default, MeloBatchTests.Seeds.Item(b), frames: 96);
            Assert.Equal(single.Durations.Data, batch[b].Durations.Data);
            Assert.Equal(single.Attn.Data, batch[b].Attn.Data);
            if (dtype == "f32") MeloBatchTests.AssertSame(single, batch[b], $"item {b}");
            double audio = ReferenceCheck.Pcc(batch[b].Audio, single.Audio), z = ReferenceCheck.Pcc(batch[b].Z.Data, single.Z.Data);
            int differ = batch[b].Audio.Zip(single.Audio).Count(p => p.First != p.Second);
            output.WriteLine($"{dtype} {(transformerFlow ? "transformer" : "WaveNet")} flow, item {b}: {items[b].Length} tokens, {single.Frames} frames in {single.Bucket}: " +
                $"z PCC {z:F9}, audio PCC {audio:F9}, {differ} of {single.Audio.Length} samples differ from its single run");
            Assert.True(audio >= 0.9999, $"item {b}: audio PCC {audio:F9}");
            Assert.True(z >= 0.9999, $"item {b}: z PCC {z:F9}");
        }
        // Batch plans are their own plans: 3 items, one plan of batch 3 besides the batch-1 ones.
        Assert.Equal(dtype == "f32" ? 2 : 4, backend.Executors.Count);
        Assert.Contains(backend.Executors, e => e.Plan.Plan.Bucket.GetValueOrDefault("batch") == 3);
    }
}
