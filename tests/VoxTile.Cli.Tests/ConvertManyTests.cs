using VoxTile.Models.Audio;
using VoxTile.Testing;

namespace VoxTile.Cli.Tests;

/// <summary>convert with several --source files: one WAV per source under -o DIR, each what converting it alone gives.</summary>
public sealed class ConvertManyTests
{
    [GoldenFact("converter-tiny")]
    public void EachSourceIsWrittenAsItsRunAloneInF32()
    {
        using var tmp = new TempFolder();
        var dir = Golden.Case("converter-tiny")!;
        var clip = WavFile.Read(dir + "/source.wav");
        // Three sources of different lengths: the whole clip, its first half and a short piece.
        WavFile.Write(tmp.File("whole.wav"), clip.Samples, clip.SampleRate);
        WavFile.Write(tmp.File("half.wav"), clip.Samples[..(clip.Samples.Length / 2)], clip.SampleRate);
        WavFile.Write(tmp.File("short.wav"), clip.Samples[..3000], clip.SampleRate);
        string[] common = ["--model", dir, "--reference", dir + "/reference.wav", "--dtype", "f32", "--seed", "5"];
        var (code, output, err) = CliRun.Run(["convert", .. common, "--source", tmp.File("whole.wav"), tmp.File("half.wav"), tmp.File("short.wav"),
            "--batch", "2", "-o", tmp.File("out")]);
        Assert.True(code == 0, err);
        Assert.Contains("3 files", output);
        foreach (var name in new[] { "whole", "half", "short" })
        {
            var (c1, _, e1) = CliRun.Run(["convert", .. common, "--source", tmp.File(name + ".wav"), "-o", tmp.File(name + "-alone.wav")]);
            Assert.True(c1 == 0, e1);
            Assert.Equal(WavFile.Read(tmp.File(name + "-alone.wav")).Samples, WavFile.Read(tmp.File("out/" + name + ".wav")).Samples);
        }
    }

    [Fact]
    public void TwoSourcesOfOneNameAreRefused()
    {
        using var tmp = new TempFolder();
        Directory.CreateDirectory(tmp.File("a"));
        Directory.CreateDirectory(tmp.File("b"));
        var (code, _, err) = CliRun.Run("convert", "--demo", "--source", tmp.File("a/x.wav"), tmp.File("b/x.wav"), "-o", tmp.File("out"));
        Assert.NotEqual(0, code);
        Assert.Contains("would both write", err);
        Assert.False(Directory.Exists(tmp.File("out")));
    }
}
