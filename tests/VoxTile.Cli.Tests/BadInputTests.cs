using System.IO.Compression;
using VoxTile.Models.Audio;
using VoxTile.Models.Config;
using VoxTile.Models.OpenVoice;
using VoxTile.Testing;

namespace VoxTile.Cli.Tests;

/// <summary>
/// Bad input gets one line on stderr, exit code 1, and no output file (not even a partial one): every case the
/// foundation issue lists.
/// </summary>
public sealed class BadInputTests
{

    /// <summary>Every run command takes --allow-host, which only means something on the device runtime.</summary>
    [Theory]
    [InlineData("convert")]
    [InlineData("tts")]
    [InlineData("clone")]
    public void AllowHostNeedsTheDeviceBackend(string command)
    {
        using var tmp = new TempFolder();
        var (code, _, err) = CliRun.Run(command, "--demo", "--backend", "reference", "--allow-host", "-o", tmp.File("out.wav"));
        CliRun.AssertOneLineError(code, err, "--allow-host need --backend device");
        Assert.False(File.Exists(tmp.File("out.wav")));
    }

    /// <summary>compile refuses a negative op budget in one line, before it builds anything.</summary>
    [Fact]
    public void CompileRefusesANegativeOpBudget()
    {
        using var tmp = new TempFolder();
        var (code, _, err) = CliRun.Run("compile", "--demo", "--seconds", "1", "--op-budget", "-1", "-o", tmp.File("c.vtp"));
        CliRun.AssertOneLineError(code, err, "--op-budget must be 0 or more");
        Assert.False(File.Exists(tmp.File("c.vtp")));
    }

    private static string CopyConverter(TempFolder tmp, string caseName = "converter-tiny")
    {
        var dir = Path.Combine(tmp.Path, "model");
        Directory.CreateDirectory(dir);
        var src = Golden.Case(caseName)!;
        File.Copy(Path.Combine(src, "config.json"), Path.Combine(dir, "config.json"));
        File.Copy(Path.Combine(src, "checkpoint.pth"), Path.Combine(dir, "checkpoint.pth"));
        return dir;
    }

    [GoldenFact("converter-tiny")]
    public void NotAWav()
    {
        using var tmp = new TempFolder();
        var model = CopyConverter(tmp);
        File.WriteAllText(tmp.File("speech.wav"), "this is not audio");
        var (code, _, err) = CliRun.Run("convert", "--model", model, "--source", tmp.File("speech.wav"), "--reference", Golden.Case("converter-tiny") + "/reference.wav", "-o", tmp.File("out.wav"));
        CliRun.AssertOneLineError(code, err, "not a WAV");
        Assert.False(File.Exists(tmp.File("out.wav")));
    }

    /// <summary>The minimum audio length is the one the code enforces: one sample less is refused naming it, the minimum itself runs.</summary>
    [GoldenFact("converter-tiny")]
    public void AudioShorterThanTheMinimum()
    {
        using var tmp = new TempFolder();
        var model = CopyConverter(tmp);
        var converter = ToneColorConverter.Load(model);
        var rng = new Random(3);
        float[] Noise(int n) => [.. Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() - 0.5))];
        WavFile.Write(tmp.File("short.wav"), Noise(converter.MinSamples - 1), converter.SampleRate);
        var (code, _, err) = CliRun.Run("extract-se", "--model", model, tmp.File("short.wav"), "-o", tmp.File("se.npy"));
        CliRun.AssertOneLineError(code, err, $"is shorter than the converter's minimum of {converter.MinLength}");
        Assert.False(File.Exists(tmp.File("se.npy")));
        WavFile.Write(tmp.File("min.wav"), Noise(converter.MinSamples), converter.SampleRate);
        var (ok, _, okErr) = CliRun.Run("extract-se", "--model", model, tmp.File("min.wav"), "--backend", "reference", "-o", tmp.File("se.npy"));
        Assert.True(ok == 0, okErr);
        Assert.True(File.Exists(tmp.File("se.npy")));
    }

    /// <summary>The README states the released converter's minimum as the code computes it.</summary>
    [Fact]
    public void TheReadmeStatesTheMinimumTheCodeEnforces()
    {
        Assert.Equal(385, ToneColorConverter.MinSamplesFor(ConverterConfig.ReleasedV2));
        Assert.Contains($"shorter than {ToneColorConverter.MinLengthFor(ConverterConfig.ReleasedV2)}", Repository.Readme());
    }

    [Fact]
    public void AFileGivenAsTheModelFolderIsNamedAsAFile()
    {
        using var tmp = new TempFolder();
        File.WriteAllText(tmp.File("model.pth"), "weights");
        File.WriteAllText(tmp.File("src.wav"), "x");
        var (code, _, err) = CliRun.Run("convert", "--model", tmp.File("model.pth"), "--source", tmp.File("src.wav"), "--target-se", tmp.File("se.npy"), "-o", tmp.File("out.wav"));
        CliRun.AssertOneLineError(code, err, $"{tmp.File("model.pth")} is a file, not a folder: give the model folder that holds config.json and checkpoint.pth");
    }

    [GoldenFact("converter-tiny")]
    public void AConverterFolderGivenToTtsIsNotMeloTts()
    {
        using var tmp = new TempFolder();
        var (code, _, err) = CliRun.Run("tts", "--model", Golden.Case("converter-tiny")!, "-o", tmp.File("a.wav"));
        CliRun.AssertOneLineError(code, err, "is not a MeloTTS model: its config.json lacks MeloTTS's symbols, num_tones and data.spk2id");
        Assert.DoesNotContain("n_speakers", err);
    }

    [GoldenFact("tts-tiny")]
    public void CloneWithoutTheConverterAsksForIt()
    {
        using var tmp = new TempFolder();
        var (code, _, err) = CliRun.Run("clone", "--tts", Golden.Case("tts-tiny")!, "--target-se", tmp.File("se.npy"), "-o", tmp.File("a.wav"));
        CliRun.AssertOneLineError(code, err, "--converter DIR is required");
    }

    [Fact]
    public void DemoAndModelExcludeEachOther()
    {
        using var tmp = new TempFolder();
        var (code, _, err) = CliRun.Run("convert", "--demo", "--model", tmp.Path, "-o", tmp.File("a.wav"));
        CliRun.AssertOneLineError(code, err, "give either --model or --demo, not both");
    }

    /// <summary>An output where no file can be created is named, not the hidden probe that found it out.</summary>
    [Fact]
    public void AnUncreatableOutputNamesTheOutput()
    {
        var (code, _, err) = CliRun.Run("convert", "--demo", "-o", "/proc/x.wav");
        CliRun.AssertOneLineError(code, err, "cannot write /proc/x.wav: /proc does not take new files");
        Assert.DoesNotContain("probe", err);
    }

    [GoldenFact("converter-tiny")]
    public void TruncatedCheckpoint()
    {
        using var tmp = new TempFolder();
        var model = CopyConverter(tmp);
        var ckpt = Path.Combine(model, "checkpoint.pth");
        var bytes = File.ReadAllBytes(ckpt);
        File.WriteAllBytes(ckpt, bytes[..(bytes.Length / 2)]);
        var (code, _, err) = CliRun.Run("extract-se", "--model", model, Golden.Case("converter-tiny") + "/reference.wav", "-o", tmp.File("se.npy"));
        CliRun.AssertOneLineError(code, err, "checkpoint.pth");
        Assert.False(File.Exists(tmp.File("se.npy")));
    }

    [GoldenFact("converter-tiny")]
    public void NonZipCheckpoint()
    {
        using var tmp = new TempFolder();
        var model = CopyConverter(tmp);
        File.WriteAllText(Path.Combine(model, "checkpoint.pth"), "plain text, not a torch checkpoint");
        var (code, _, err) = CliRun.Run("extract-se", "--model", model, Golden.Case("converter-tiny") + "/reference.wav", "-o", tmp.File("se.npy"));
        CliRun.AssertOneLineError(code, err, "checkpoint.pth");
    }

    [GoldenFact("converter-tiny")]
    public void ForbiddenPickleGlobal()
    {
        using var tmp = new TempFolder();
        var model = CopyConverter(tmp);
        var ckpt = Path.Combine(model, "checkpoint.pth");
        File.Delete(ckpt);
        using (var zip = ZipFile.Open(ckpt, ZipArchiveMode.Create))
        {
            // protocol 2: GLOBAL 'os system', a string, TUPLE1, REDUCE, STOP — what a malicious checkpoint looks like.
            byte[] pkl = [0x80, 0x02, (byte)'c', .. "os\nsystem\n"u8, (byte)'X', 4, 0, 0, 0, .. "true"u8, 0x85, (byte)'R', (byte)'.'];
            using (var s = zip.CreateEntry("archive/data.pkl", CompressionLevel.NoCompression).Open()) s.Write(pkl);
            using (var s = zip.CreateEntry("archive/version", CompressionLevel.NoCompression).Open()) s.Write("3\n"u8);
        }
        var (code, _, err) = CliRun.Run("extract-se", "--model", model, Golden.Case("converter-tiny") + "/reference.wav", "-o", tmp.File("se.npy"));
        CliRun.AssertOneLineError(code, err, "os.system");
    }

    [GoldenFact("converter-small")]
    public void ConfigDisagreesWithCheckpoint()
    {
        using var tmp = new TempFolder();
        var model = CopyConverter(tmp, "converter-tiny");
        File.Copy(Path.Combine(Golden.Case("converter-small")!, "config.json"), Path.Combine(model, "config.json"), overwrite: true);
        var (code, _, err) = CliRun.Run("extract-se", "--model", model, Golden.Case("converter-tiny") + "/reference.wav", "-o", tmp.File("se.npy"));
        CliRun.AssertOneLineError(code, err, "shape");
    }

    [GoldenFact("converter-tiny")]
    public void MissingCheckpoint()
    {
        using var tmp = new TempFolder();
        var model = CopyConverter(tmp);
        File.Delete(Path.Combine(model, "checkpoint.pth"));
        var (code, _, err) = CliRun.Run("extract-se", "--model", model, Golden.Case("converter-tiny") + "/reference.wav", "-o", tmp.File("se.npy"));
        CliRun.AssertOneLineError(code, err, "checkpoint.pth is missing");
    }

    [GoldenFact("converter-tiny")]
    public void UnwritableOutput()
    {
        using var tmp = new TempFolder();
        var model = CopyConverter(tmp);
        var (code, _, err) = CliRun.Run("extract-se", "--model", model, Golden.Case("converter-tiny") + "/reference.wav", "-o", tmp.File("no/such/folder/se.npy"));
        CliRun.AssertOneLineError(code, err, "does not exist");
    }

    [GoldenFact("converter-tiny")]
    public void ExistingOutputIsKeptOnFailure()
    {
        using var tmp = new TempFolder();
        var model = CopyConverter(tmp);
        File.WriteAllText(tmp.File("out.wav"), "previous result");
        File.WriteAllText(tmp.File("bad.wav"), "RIFF....not really");
        var (code, _, _) = CliRun.Run("convert", "--model", model, "--source", tmp.File("bad.wav"), "--reference", Golden.Case("converter-tiny") + "/reference.wav", "-o", tmp.File("out.wav"));
        Assert.Equal(1, code);
        Assert.Equal("previous result", File.ReadAllText(tmp.File("out.wav")));
        Assert.DoesNotContain(tmp.Entries(), e => e.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public void MissingModelOption()
    {
        using var tmp = new TempFolder();
        var (code, _, err) = CliRun.Run("extract-se", "whatever.wav", "-o", tmp.File("se.npy"));
        CliRun.AssertOneLineError(code, err, "--model");
    }

    /// <summary>A reference too short or near-silent still gives an embedding, with a warning that states its speech duration.</summary>
    [GoldenFact("converter-tiny")]
    public void ShortOrSilentReferencesWarnWithTheirSpeechDuration()
    {
        using var tmp = new TempFolder();
        var dir = Golden.Case("converter-tiny")!;
        WavFile.Write(tmp.File("quiet.wav"), new float[22050 * 2], 22050);
        var (code, _, err) = CliRun.Run("extract-se", "--model", dir, tmp.File("quiet.wav"), "--backend", "reference", "-o", tmp.File("se.npy"));
        Assert.True(code == 0, err);
        Assert.Contains($"voxtile: warning: {tmp.File("quiet.wav")} holds 0.00 s of speech in 2.00 s of audio", err);
        var speech = new float[22050 * 3];
        var rng = new Random(5);
        for (int i = 0; i < speech.Length; i++) speech[i] = (float)(0.3 * Math.Sin(i * 0.05) + 0.05 * (rng.NextDouble() - 0.5));
        WavFile.Write(tmp.File("voice.wav"), speech, 22050);
        var (ok, _, quiet) = CliRun.Run("extract-se", "--model", dir, tmp.File("voice.wav"), "--backend", "reference", "-o", tmp.File("se2.npy"));
        Assert.True(ok == 0, quiet);
        Assert.DoesNotContain("warning", quiet);
    }
}
