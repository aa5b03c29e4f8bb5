using System.Buffers.Binary;
using VoxTile.Models.Audio;

namespace VoxTile.Models.Tests.Audio;

/// <summary>A WAV streamed in blocks is the file's bytes for the whole audio, with the lengths left unknown.</summary>
public sealed class WavStreamWriterTests
{
    [Fact]
    public void BlocksWrittenInTurnAreTheFilesSamplesInOrder()
    {
        float[] a = [0f, 0.5f, -0.25f, 1.5f], b = [], c = [-1f, 0.000015f, 0.3f];
        var stream = new MemoryStream();
        var writer = new WavStreamWriter(stream, 44100);
        writer.Write(a);
        writer.Write(b);
        writer.Write(c);

        var file = WavFile.Encode([.. a, .. b, .. c], 44100);
        var streamed = stream.ToArray();
        Assert.Equal(7, writer.Samples);
        Assert.Equal(file.Length, streamed.Length);
        Assert.Equal(uint.MaxValue, BinaryPrimitives.ReadUInt32LittleEndian(streamed.AsSpan(4)));
        Assert.Equal(uint.MaxValue, BinaryPrimitives.ReadUInt32LittleEndian(streamed.AsSpan(40)));
        Assert.Equal(file[8..40], streamed[8..40]);
        Assert.Equal(file[44..], streamed[44..]);
    }

    [Fact]
    public void TheHeaderGoesOutBeforeAnySample()
    {
        var stream = new MemoryStream();
        new WavStreamWriter(stream, 22050).Write([]);
        Assert.Equal(WavStreamWriter.HeaderBytes, stream.Length);
        Assert.Equal(22050u, BinaryPrimitives.ReadUInt32LittleEndian(stream.ToArray().AsSpan(24)));
    }
}
