using VoxTile.Models.Config;
using VoxTile.Models.Device;
using VoxTile.Runtime.Execution;
using VoxTile.Testing;
using Xunit.Abstractions;

namespace VoxTile.Models.Tests.Device;

/// <summary>Long inputs stream through one plan in overlapping chunks and give what the whole clip gives.</summary>
[Collection(DeviceRuns.Name)]
public sealed class ChunkingTests(ITestOutputHelper output)
{
    [Fact]
    public void TheReleasedModelNeeds111FramesOfContext() => Assert.Equal(111, ReceptiveField.Frames(ConverterConfig.ReleasedV2));

    [Theory]
    [InlineData(5168, 1024, 111)]
    [InlineData(1025, 1024, 111)]
    [InlineData(3000, 384, 126)]
    [InlineData(100, 1024, 111)]
    public void ChunksCoverEveryFrameOnceWithTheirContext(int frames, int chunk, int context)
    {
        var s = ChunkSchedule.For(frames, chunk, context);
        int covered = 0;
        foreach (var c in s.Chunks)
        {
            Assert.Equal(covered, c.KeepFrom);
            Assert.True(c.KeepTo > c.KeepFrom);
            Assert.True(c.Start >= 0 && c.Start + Math.Min(chunk, frames) <= frames);
            if (s.Chunks.Count > 1)
            {
                Assert.True(c.KeepFrom - c.Start >= context || c.Start == 0, $"left context of {c}");
                Assert.True(c.Start + chunk - c.KeepTo >= context || c.Start + chunk == frames, $"right context of {c}");
            }
            covered = c.KeepTo;
        }
        Assert.Equal(frames, covered);
    }

    [Fact]
    public void ChunksTooShortForTheirContextAreRefusedInOneLine()
    {
        var e = Assert.Throws<VoxTile.IR.VoxTileException>(() => ChunkSchedule.For(344, 128, 111));
        Assert.Contains("at least 256 frames (--chunk-frames)", e.Message);
        Assert.Single(ChunkSchedule.For(100, 128, 111).Chunks); // one chunk needs no context
    }

    [GoldenFact("converter-tiny")]
    public void ChunkedEqualsWhole()
    {
        using var whole = new DeviceConverterBackend(new DeviceBackendOptions { DType = "f32", ExactLength = true });
        using var chunked = new DeviceConverterBackend(new DeviceBackendOptions { DType = "f32", ChunkFrames = 384 });
        var (a, _) = Goldens.Convert("converter-tiny", whole);
        var (b, _) = Goldens.Convert("converter-tiny", chunked);
        int chunks = ChunkSchedule.For(516, 384, ReceptiveField.Frames(Goldens.Model("converter-tiny").Config)).Chunks.Count;
        var pcc = ReferenceCheck.Pcc(a, b);
        output.WriteLine($"converter-tiny f32: {chunks} chunks of 384 frames vs the whole 516: PCC {pcc:F8}, max abs diff {ReferenceCheck.MaxAbsError(a, b):E2}");
        Assert.True(chunks > 1);
        Assert.True(pcc >= 0.9999, $"PCC {pcc}");
        Assert.True(ReferenceCheck.Pcc(b, Golden.Load("converter-tiny", "audio").Data) >= 0.9999);
    }
}
