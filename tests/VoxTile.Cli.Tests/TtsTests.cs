using VoxTile.IR.IO;
using VoxTile.Testing;

namespace VoxTile.Cli.Tests;

/// <summary><c>voxtile tts</c> and <c>clone</c>: parity through the command line, style options, and bad input.</summary>
public sealed class TtsTests
{
    private static string[] GoldenArgs(string dir, string output, string lengthScale) =>
    [
        "tts", "--model", dir, "--phoneme-ids", dir + "/phonemes.npy", "--tone-ids", dir + "/tones.npy",
        "--language-ids", dir + "/languages.npy", "--bert", dir + "/bert.npy", "--ja-bert", dir + "/ja_bert.npy",
        "--speaker", "1", "--noise-scale", "0.667", "--noise-scale-w", "0.8", "--sdp-ratio", "0.2", "--length-scale", lengthScale,
        "--noise", dir + "/noise_0.npy", "--noise", dir + "/noise_1.npy", "-o", output,
    ];

    [GoldenTheory]
    [InlineData("tts-tiny", "1.0")]
    [InlineData("tts-tiny-wnflow", "1.2")]
    public void TtsReplayingTheGoldenDrawsMatchesPyTorch(string name, string lengthScale)
    {
        using var tmp = new TempFolder();
        var (code, output, err) = CliRun.Run([.. GoldenArgs(Golden.Case(name)!, tmp.File("speech.npy"), lengthScale), "--backend", "reference"]);
        Assert.True(code == 0, err);
        Assert.Contains("on the fp32 reference interpreter", output);
        var golden = Golden.Load(name, "audio");
        var audio = Npy.Read(tmp.File("speech.npy"));
        Compare.AssertClose(audio.Reshape(golden.Shape), golden, $"{name} tts audio");
    }

    /// <summary>The default device path (bf16) with PyTorch's durations forced: the rest of the synthesis follows it.</summary>
    [GoldenTheory]
    [InlineData("tts-tiny", "1.0")]
    [InlineData("tts-tiny-wnflow", "1.2")]
    public void TtsOnTheDeviceWithForcedDurationsFollowsPyTorch(string name, string lengthScale)
    {
        using var tmp = new TempFolder();
        var dir = Golden.Case(name)!;
        var (code, output, err) = CliRun.Run([.. GoldenArgs(dir, tmp.File("speech.npy"), lengthScale), "--durations", dir + "/durations.npy", "--verbose"]);
        Assert.True(code == 0, err);
        Assert.Contains("on the CPU runtime running the cpu plan (bf16)", output);
        Assert.Contains("0 on the host", err);
        var golden = Golden.Load(name, "audio");
        var audio = Npy.Read(tmp.File("speech.npy"));
        Assert.Equal(golden.Length, audio.Length);
        var pcc = Compare.Pcc(audio.Data, golden.Data);
        Assert.True(pcc >= 0.99, $"{name} device audio PCC {pcc:F6}");
    }

    [GoldenFact("tts-tiny")]
    public void UnknownSymbolIsOneLine()
    {
        using var tmp = new TempFolder();
        var (code, _, err) = CliRun.Run("tts", "--model", Golden.Case("tts-tiny")!, "--phonemes", "_ ah zzz _", "--tones", "0 0 0 0", "-o", tmp.File("a.wav"));
        Assert.Equal(1, code);
        Assert.Contains("unknown phoneme symbol 'zzz'", err);
        Assert.False(File.Exists(tmp.File("a.wav")));
    }

    [GoldenFact("tts-tiny")]
    public void PhonemesAndTonesOfDifferentLengths()
    {
        using var tmp = new TempFolder();
        var (code, _, err) = CliRun.Run("tts", "--model", Golden.Case("tts-tiny")!, "--phonemes", "_ ah b _", "--tones", "0 1 0", "-o", tmp.File("a.wav"));
        Assert.Equal(1, code);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [GoldenFact("tts-tiny")]
    public void UnknownSpeakerAndLanguage()
    {
        using var tmp = new TempFolder();
        var dir = Golden.Case("tts-tiny")!;
        var (c1, _, e1) = CliRun.Run("tts", "--model", dir, "--phonemes", "_ ah _", "--tones", "0 0 0", "--speaker", "nobody", "-o", tmp.File("a.wav"));
        Assert.Equal(1, c1);
        Assert.Contains("unknown speaker 'nobody'", e1);
        var (c2, _, e2) = CliRun.Run("tts", "--model", dir, "--phonemes", "_ ah _", "--tones", "0 0 0", "--language", "XX", "-o", tmp.File("a.wav"));
        Assert.Equal(1, c2);
        Assert.Contains("XX", e2);
    }

    [GoldenFact("tts-tiny")]
    public void SpeedAndLengthScaleExcludeEachOther()
    {
        using var tmp = new TempFolder();
        var (code, _, err) = CliRun.Run("tts", "--model", Golden.Case("tts-tiny")!, "--phonemes", "_ ah _", "--tones", "0 0 0", "--speed", "1.2", "--length-scale", "0.9", "-o", tmp.File("a.wav"));
        Assert.Equal(1, code);
        Assert.Contains("--speed or --length-scale", err);
    }

    [GoldenFact("tts-tiny")]
    public void CloneRunsMeloThenTheConverter()
    {
        using var tmp = new TempFolder();
        var tts = Golden.Case("tts-tiny")!;
        var conv = Golden.Case("converter-tiny")!;
        var (code, output, err) = CliRun.Run("clone", "--tts", tts, "--converter", conv, "--reference", conv + "/reference.wav",
            "--phoneme-ids", tts + "/phonemes.npy", "--tone-ids", tts + "/tones.npy", "--language-ids", tts + "/languages.npy",
            "--speaker", "1", "-o", tmp.File("clone.wav"));
        Assert.True(code == 0, err);
        Assert.Contains("22050 Hz", output);
        var clip = VoxTile.Models.Audio.WavFile.Read(tmp.File("clone.wav"));
        Assert.Equal(22050, clip.SampleRate);
        Assert.True(clip.Samples.Length > 0);
    }
}
