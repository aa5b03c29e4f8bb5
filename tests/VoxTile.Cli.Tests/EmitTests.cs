using VoxTile.Lowering.Emit;
using VoxTile.Models.Audio;

namespace VoxTile.Cli.Tests;

/// <summary>
/// <c>voxtile emit</c>: the program names its outputs after the model's, writes a WAV at the rate the plan records
/// (no --sample-rate, from a plan file too), documents its inputs, and the inputs file comes from the same call.
/// </summary>
public sealed class EmitTests
{
    [Fact]
    public void TheConverterProgramWritesAudioAtTheModelsRateAndItsInputsInOneCall()
    {
        using var tmp = new TempFolder();
        WavFile.Write(tmp.File("short.wav"), new float[11025], 22050); // 0.5 s, shorter than the plan's 1.49 s
        var (code, output, err) = CliRun.Run("emit", "--demo", "--seconds", "1", "-o", tmp.File("vc.py"),
            "--input", "samples=" + tmp.File("short.wav"), "--inputs-npz", tmp.File("in.npz"));
        Assert.True(code == 0, err);
        Assert.Contains("outputs audio (--wav writes audio at 22050 Hz)", output);
        Assert.Contains("wrote " + tmp.File("in.npz") + ": samples [1,32768]", output);
        Assert.Contains("0.50 s padded with silence to the plan's 1.49 s", err);
        var program = File.ReadAllText(tmp.File("vc.py"));
        Assert.Contains("OUTPUTS = [\"audio\"]", program);
        Assert.Contains("SAMPLE_RATE = 22050", program);
        Assert.Contains("parser.add_argument(\"--wav\"", program);
        Assert.Contains("# inputs:    samples [1, 32768] float32: audio at 22050 Hz", program);
        Assert.Equal([1, 32768], Npz.Read(tmp.File("in.npz"))["samples"].Shape);
    }

    [Fact]
    public void APlanFileRecordsItsRateSoItsProgramWritesAWav()
    {
        using var tmp = new TempFolder();
        var (code, _, err) = CliRun.Run("compile", "--demo", "--seconds", "1", "-o", tmp.File("vc.vtp"));
        Assert.True(code == 0, err);
        (code, var output, err) = CliRun.Run("emit", "--plan", tmp.File("vc.vtp"), "-o", tmp.File("vc.py"));
        Assert.True(code == 0, err);
        Assert.Contains("(--wav writes audio at 22050 Hz)", output);
        Assert.Contains("SAMPLE_RATE = 22050", File.ReadAllText(tmp.File("vc.py")));
    }

    [Fact]
    public void TheMeloProgramSetsItsTokenCountFromThePhonemes()
    {
        using var tmp = new TempFolder();
        var (code, output, err) = CliRun.Run("emit", "--demo", "--part", "tts", "--seconds", "1", "-o", tmp.File("tts.py"));
        Assert.True(code == 0, err);
        Assert.Contains("outputs durations, attn, m_p, logs_p, z_p, z, audio, y_length (--wav writes audio at 44100 Hz)", output);
        var program = File.ReadAllText(tmp.File("tts.py"));
        Assert.Contains("LENGTHS = {\"tokens\": \"phonemes\"}", program);
        Assert.Contains("AUDIO_OUTPUT = \"audio\"", program);
    }
}
