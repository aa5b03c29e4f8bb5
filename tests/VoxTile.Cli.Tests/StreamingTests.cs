using System.Buffers.Binary;
using VoxTile.Cli.Commands;
using VoxTile.Models.Audio;

namespace VoxTile.Cli.Tests;

/// <summary><c>voxtile tts -o -</c>: the WAV a file would hold, streamed piece by piece to standard output with a length-unknown header.</summary>
public sealed class StreamingTests : IDisposable
{
    private readonly TempFolder _tmp = new();
    private readonly MemoryStream _stdout = new();

    public StreamingTests() => OutputFile.StandardOutput = () => _stdout;

    public void Dispose()
    {
        OutputFile.StandardOutput = Console.OpenStandardOutput;
        _tmp.Dispose();
    }

    [Theory]
    [InlineData("--text|Hello world.")]
    [InlineData("--phonemes|_ hh ah l ow _|--tones|0 0 1 0 2 0")]
    public void StandardOutputGetsTheFilesSamplesBehindAStreamingHeader(string input)
    {
        string[] common = ["tts", "--demo", "--backend", "reference", "--seed", "7", .. input.Split('|')];
        var (code, _, err) = CliRun.Run([.. common, "-o", _tmp.File("file.wav")]);
        Assert.True(code == 0, err);
        (code, var output, err) = CliRun.Run([.. common, "--profile", "-o", "-"]);
        Assert.True(code == 0, err);

        Assert.Equal("", output);
        Assert.Contains("time to first audio", err);
        Assert.Contains("wrote standard output", err);
        var streamed = _stdout.ToArray();
        var file = File.ReadAllBytes(_tmp.File("file.wav"));
        Assert.Equal("RIFF"u8.ToArray(), streamed[..4]);
        Assert.Equal(uint.MaxValue, BinaryPrimitives.ReadUInt32LittleEndian(streamed.AsSpan(4)));
        Assert.Equal(uint.MaxValue, BinaryPrimitives.ReadUInt32LittleEndian(streamed.AsSpan(WavStreamWriter.HeaderBytes - 4)));
        Assert.Equal(file[8..40], streamed[8..40]);
        Assert.Equal(file[WavStreamWriter.HeaderBytes..], streamed[WavStreamWriter.HeaderBytes..]);
    }
}
