using VoxTile.IR;
using VoxTile.Lowering.Emit;
using VoxTile.Lowering.Plan;
using VoxTile.Lowering.Targets;
using VoxTile.Models.Config;
using VoxTile.Models.MeloTTS;

namespace VoxTile.Lowering.Tests.Emit;

/// <summary>
/// The inputs an emitted program and <c>voxtile emit --inputs-npz</c> run on: a shorter utterance padded to the
/// plan's token bucket with its length input set to the real count, a longer one refused, and the program told the same.
/// </summary>
public sealed class PlanInputsTests
{
    private static DevicePlan MeloTinyPlan()
    {
        var config = MeloConfig.ReleasedEnglish with
        {
            InterChannels = 8, HiddenChannels = 16, FilterChannels = 24, GinChannels = 8, NSpeakers = 3,
            Speakers = new Dictionary<string, int>(), UpsampleInitialChannel = 32, UpsampleRates = [2, 2, 2, 2, 2],
            UpsampleKernelSizes = [4, 4, 2, 2, 2], HopLength = 32, FilterLength = 64, WinLength = 64,
        };
        var graph = MeloSynthesizer.Random(config, seed: 3).BuildGraph(8, 32, MeloSynthesisOptions.Default, new MeloNoise.Seeded(1));
        return Compiler.Compile(graph, new CompileOptions
        {
            Target = TargetSpec.WormholeN150, Model = "melotts-tiny (random weights)",
            Settings = new Dictionary<string, string> { [PlanInputs.LengthSetting + "tokens"] = "phonemes", [PlanAudio.RateSetting] = "44100" },
        }).Plan;
    }

    [Fact]
    public void AShorterUtteranceIsPaddedAndItsLengthInputSet()
    {
        var plan = MeloTinyPlan();
        Assert.Equal(new Dictionary<string, string> { ["tokens"] = "phonemes" }, PlanInputs.Lengths(plan));
        var notes = new List<string>();
        var given = new Dictionary<string, Tensor> { ["phonemes"] = new([1, 6], [1, 2, 3, 4, 5, 6]), ["tones"] = new([1, 6], [1, 1, 1, 1, 1, 1]) };
        var inputs = PlanInputs.Complete(plan, given, seed: 1, notes.Add).ToDictionary(i => i.Key, i => i.Value);
        Assert.Equal([1, 8], inputs["phonemes"].Shape);
        Assert.Equal([1f, 2, 3, 4, 5, 6, 0, 0], inputs["phonemes"].Data);
        Assert.Equal([6f], inputs["tokens"].Data);
        Assert.Contains("input phonemes: 6 of the plan's 8 values on its last dim given, the rest padded with zeros", notes);
        Assert.DoesNotContain(notes, n => n.StartsWith("input tokens", StringComparison.Ordinal));
    }

    [Fact]
    public void ALongerUtteranceIsRefusedInOneLine()
    {
        var plan = MeloTinyPlan();
        var e = Assert.Throws<VoxTileException>(() => PlanInputs.Complete(plan, new Dictionary<string, Tensor> { ["phonemes"] = new([1, 9]) }, seed: 1));
        Assert.Equal("input phonemes has 9 values on its last dim; the plan was compiled for at most 8: compile it for longer input", e.Message);
    }

    [Fact]
    public void TheProgramNamesTheModelsOutputsAndItsLengthInputs()
    {
        var plan = MeloTinyPlan();
        Assert.Equal(MeloSynthesizer.OutputNames, PlanInputs.OutputNames(plan));
        var text = PythonEmitter.Emit(plan, new PythonEmitOptions()).Text;
        Assert.Contains("LENGTHS = {\"tokens\": \"phonemes\"}\n", text);
        Assert.Contains("AUDIO_OUTPUT = \"audio\"", text);
        Assert.Contains("SAMPLE_RATE = 44100", text);
        Assert.Contains("#            tokens [1] float32: how many of phonemes's values are real; set from the given phonemes when not given\n", text);
        Assert.Contains("[--wav OUT.wav]", text);
    }
}
