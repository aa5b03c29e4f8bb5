using VoxTile.IR.IO;
using VoxTile.Testing;

namespace VoxTile.Cli.Tests;

/// <summary>The convert and extract-se commands end to end on the golden cases: files in, files out, parity kept.</summary>
public sealed class ConvertTests
{
    [GoldenFact("converter-tiny")]
    public void ConvertReplayingTheGoldenNoiseMatchesPyTorch()
    {
        using var tmp = new TempFolder();
        var dir = Golden.Case("converter-tiny")!;
        Npy.Write(tmp.File("se_src.npy"), Golden.Load("converter-tiny", "se_source"));
        var (code, output, err) = CliRun.Run("convert", "--model", dir, "--source", dir + "/source.wav",
            "--reference", dir + "/reference.wav", "--source-se", tmp.File("se_src.npy"),
            "--noise", dir + "/noise_0.npy", "--tau", "0.3", "--backend", "reference", "-o", tmp.File("out.npy"));
        Assert.True(code == 0, err);
        Assert.Contains("wrote", output);
        var audio = Npy.Read(tmp.File("out.npy"));
        var golden = Golden.Load("converter-tiny", "audio");
        Compare.AssertClose(audio.Reshape(golden.Shape), golden, "convert CLI audio");
    }

    [GoldenFact("converter-tiny")]
    public void ExtractSeMatchesPyTorch()
    {
        using var tmp = new TempFolder();
        var dir = Golden.Case("converter-tiny")!;
        var (code, _, err) = CliRun.Run("extract-se", "--model", dir, dir + "/reference.wav", "--backend", "reference", "-o", tmp.File("se.npy"));
        Assert.True(code == 0, err);
        Compare.AssertClose(Npy.Read(tmp.File("se.npy")), Golden.Load("converter-tiny", "se_target"), "extract-se");
    }

    [GoldenFact("converter-tiny")]
    public void ExtractSeOnTheDeviceFollowsPyTorch()
    {
        using var tmp = new TempFolder();
        var dir = Golden.Case("converter-tiny")!;
        var (code, _, err) = CliRun.Run("extract-se", "--model", dir, dir + "/reference.wav", "-o", tmp.File("se.npy"), "--verbose");
        Assert.True(code == 0, err);
        Assert.Contains("0 on the host", err);
        var pcc = Compare.Pcc(Npy.Read(tmp.File("se.npy")).Data, Golden.Load("converter-tiny", "se_target").Data);
        Assert.True(pcc >= 0.99, $"device extract-se PCC {pcc:F6}");
    }

    [GoldenFact("converter-tiny")]
    public void WavOutputIsWritten()
    {
        using var tmp = new TempFolder();
        var dir = Golden.Case("converter-tiny")!;
        var (code, _, err) = CliRun.Run("convert", "--model", dir, "--source", dir + "/source.wav", "--reference", dir + "/reference.wav", "-o", tmp.File("out.wav"));
        Assert.True(code == 0, err);
        var clip = VoxTile.Models.Audio.WavFile.Read(tmp.File("out.wav"));
        Assert.Equal(22050, clip.SampleRate);
        Assert.Equal(16512, clip.Samples.Length);
    }

    [Fact]
    public void GraphPrintsParseableText()
    {
        var (code, output, err) = CliRun.Run("graph", "--demo", "--seconds", "0.05");
        Assert.True(code == 0, err);
        var g = VoxTile.IR.Text.Parser.Parse(output);
        Assert.Equal(output, VoxTile.IR.Text.Printer.Print(g));
    }
}
