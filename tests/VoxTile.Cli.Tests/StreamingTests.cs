using System.Buffers.Binary;
using VoxTile.Cli.Commands;
using VoxTile.Models.Audio;
using VoxTile.Testing;

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

    /// <summary><c>clone --text … -o -</c>: the converted speech at the converter's rate behind the streaming header, and the time to first audio.</summary>
    [GoldenFact("converter-tiny")]
    public void CloneStreamsTheConvertedSpeech()
    {
        var conv = Golden.Case("converter-tiny")!;
        var (code, output, err) = CliRun.Run("clone", "--demo", "--converter", conv, "--backend", "reference", "--target-se", SaveEmbedding(),
            "--text", "Hello world.", "--seed", "7", "--profile", "-o", "-");
        Assert.True(code == 0, err);
        Assert.Equal("", output);
        Assert.Contains("time to first audio", err);
        Assert.Contains("wrote standard output", err);
        var streamed = _stdout.ToArray();
        Assert.Equal("RIFF"u8.ToArray(), streamed[..4]);
        Assert.Equal(uint.MaxValue, BinaryPrimitives.ReadUInt32LittleEndian(streamed.AsSpan(4)));
        Assert.Equal(22050u, BinaryPrimitives.ReadUInt32LittleEndian(streamed.AsSpan(24)));
        int samples = (streamed.Length - WavStreamWriter.HeaderBytes) / 2;
        Assert.True(samples > Models.MeloTTS.Text.TextUtterances.GapSamples(22050, 1.0), $"{samples} samples");
        Assert.Contains(streamed[WavStreamWriter.HeaderBytes..], b => b != 0);
    }

    private string SaveEmbedding()
    {
        var conv = Golden.Case("converter-tiny")!;
        int gin = Models.OpenVoice.ToneColorConverter.Load(conv).Config.GinChannels;
        var path = _tmp.File("target.npy");
        IR.IO.Npy.Write(path, new IR.Tensor([1, gin, 1], [.. Enumerable.Range(0, gin).Select(i => 0.1f * MathF.Cos(i))]));
        return path;
    }
}
