using System.Globalization;
using VoxTile.IR.Text;
using VoxTile.Lowering.Plan;
using VoxTile.Lowering.Targets;
using VoxTile.Runtime.Execution;
using VoxTile.Testing;

namespace VoxTile.Cli.Tests;

/// <summary>
/// <c>voxtile compile --part tts</c>: the released-size MeloTTS (random weights) as a device plan with zero host ops
/// that fits the target's memory, its sizes from --seconds (or --phonemes), and one-line errors for bad input.
/// </summary>
public sealed class CompileTtsTests
{

    [Fact]
    public void ReleasedSizeMeloCompilesToDeviceOpsOnly()
    {
        using var tmp = new TempFolder();
        var (code, o, e) = CliRun.Run("compile", "--part", "tts", "--demo", "--seconds", "2", "-o", tmp.File("tts.vtp"));
        Assert.True(code == 0, e);
        var plan = PlanFile.Read(tmp.File("tts.vtp"));
        Assert.Equal(0, plan.Summary.HostOps);
        Assert.All(plan.Steps, s => Assert.StartsWith("ttnn.", s.Op));
        // Every step of the released-size MeloTTS binds to a native kernel of the CPU runtime.
        Assert.Empty(NativeCoverage.HostSteps(PlanLoader.Load(plan, TargetSpec.Parse(plan.Target), tmp.File("tts.vtp"))));
        Assert.All(plan.Steps.Where(s => !s.IsDeallocate), s => Assert.True(NativeCoverage.Symbols.ContainsKey(s.Op), $"{s.Op} has no native kernel"));
        Assert.True(plan.Summary.PeakL1BytesPerCore <= plan.Summary.L1BudgetPerCore);
        Assert.Equal("wormhole_n150", plan.Target);
        Assert.Contains("MeloTTS", plan.Model);
        // 2 s of speech: ⌈2 · 44100 / 512⌉ = 173 frames → a bucket of 192; 25 tokens per second → 50 phonemes.
        Assert.Equal(50, plan.Bucket["phonemes"]);
        Assert.Equal(192, plan.Bucket["frames"]);
        Assert.Equal("tts", plan.Options["part"]);
        Assert.Equal("50", plan.Options["phonemes"]);
        Assert.Equal("192", plan.Options["frames"]);
        Assert.Equal(1.0, double.Parse(plan.Options["length_scale"], CultureInfo.InvariantCulture));
        Assert.Equal(0.6, double.Parse(plan.Options["noise_scale"], CultureInfo.InvariantCulture));
        Assert.Equal(0.8, double.Parse(plan.Options["noise_scale_w"], CultureInfo.InvariantCulture));
        Assert.Equal(0.2, double.Parse(plan.Options["sdp_ratio"], CultureInfo.InvariantCulture));
        Assert.True(plan.Blob.Length > 60_000_000, "the released MeloTTS's weights, packed in bf16");
        Assert.Contains(plan.Steps, s => s.Op == "ttnn.embedding");
        foreach (var row in new[] { "ttnn.matmul", "host ops", "peak L1 per core", "modeled time", "roofline bound", "compiled in", "phonemes 50, frames 192" })
            Assert.Contains(row, o);
    }

    [Fact]
    public void PhonemesOverrideTheTokenCount()
    {
        var (code, o, e) = CliRun.Run("dump", "--part", "tts", "--demo", "--seconds", "1", "--phonemes", "20", "--stage", "nn");
        Assert.True(code == 0, e);
        var g = Parser.Parse(o);
        Assert.Equal([1, 20], g.Inputs.Single(i => i.Name == "phonemes").Shape.ToArray());
        // 1 s: ⌈44100 / 512⌉ = 87 frames → 96; the audio output is hop · frames long.
        Assert.Equal([1, 1, 96 * 512], g.Outputs.Single(n => n.Name == "audio").Shape.ToArray());
    }

    [Theory]
    [InlineData("compile --part tts --demo --seconds 0 -o {0}/p.vtp", "--seconds must be in (0, 30] for tts")]
    [InlineData("compile --part tts --demo --seconds 31 -o {0}/p.vtp", "--seconds must be in (0, 30] for tts")]
    [InlineData("compile --part tts --demo --seconds NaN -o {0}/p.vtp", "--seconds must be in (0, 30] for tts")]
    [InlineData("compile --part tts --demo --seconds 1 --phonemes 0 -o {0}/p.vtp", "--phonemes must be between 1 and the bucket's 96 frames")]
    [InlineData("compile --part tts --demo --seconds 1 --phonemes 97 -o {0}/p.vtp", "--phonemes must be between 1 and the bucket's 96 frames")]
    [InlineData("compile --demo --phonemes 20 -o {0}/p.vtp", "--phonemes is for --part tts")]
    [InlineData("compile --part tts --model {0}/missing -o {0}/p.vtp", "does not exist")]
    [InlineData("dump --part tts --demo --seconds -1", "--seconds must be in (0, 30] for tts")]
    public void BadArgumentsAreOneLine(string args, string fragment)
    {
        using var tmp = new TempFolder();
        var (code, _, err) = CliRun.RunTemplate(args, tmp.Path);
        CliRun.AssertOneLineError(code, err, fragment);
        Assert.Empty(tmp.Entries());
    }

    /// <summary>A converter folder given for --part tts says which model it holds.</summary>
    [GoldenFact("converter-tiny")]
    public void AConverterFolderForTtsIsOneLine()
    {
        using var tmp = new TempFolder();
        var (code, _, err) = CliRun.Run("compile", "--part", "tts", "--model", Golden.Case("converter-tiny")!, "-o", tmp.File("p.vtp"));
        CliRun.AssertOneLineError(code, err, "holds the OpenVoice tone color converter, not MeloTTS: --part tts takes a MeloTTS folder");
        Assert.Empty(tmp.Entries());
    }

    /// <summary>And a MeloTTS folder given for the converter.</summary>
    [GoldenFact("tts-tiny")]
    public void AMeloFolderForTheConverterIsOneLine()
    {
        using var tmp = new TempFolder();
        var (code, _, err) = CliRun.Run("compile", "--model", Golden.Case("tts-tiny")!, "-o", tmp.File("p.vtp"));
        CliRun.AssertOneLineError(code, err, "holds MeloTTS, not the tone color converter: compile it with --part tts");
        Assert.Empty(tmp.Entries());
    }
}
