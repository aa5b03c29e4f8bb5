using VoxTile.IR;
using VoxTile.Models.Api;
using VoxTile.Models.Tests.Device;
using VoxTile.Testing;

namespace VoxTile.Models.Tests.Api;

/// <summary>The public MeloTTS API on the golden tts-tiny with the reference interpreter: the settings reach the model.</summary>
[Collection(DeviceRuns.Name)]
public sealed class SpeechSynthesizerTests
{
    private const string Phonemes = "_ dh ah b ae d _", Tones = "0 0 0 0 0 0 0";

    private static SpeechSynthesizer Load() => SpeechSynthesizer.Load(Golden.Case("tts-tiny")!, new PipelineOptions { Backend = BackendKind.Reference });

    [GoldenFact("tts-tiny")]
    public void ASpeakerIsFoundByNameOrId()
    {
        using var tts = Load();
        var byName = tts.Synthesize(Phonemes, Tones, new SpeechSettings { Speaker = "SPK-2", Seed = 5 });
        var byId = tts.Synthesize(Phonemes, Tones, new SpeechSettings { Speaker = "2", Seed = 5 });
        var other = tts.Synthesize(Phonemes, Tones, new SpeechSettings { Speaker = "1", Seed = 5 });
        Assert.Equal(byId.Samples, byName.Samples);
        Assert.NotEqual(byId.Samples, other.Samples);
        Assert.Equal(tts.SampleRate, byId.SampleRate);
    }

    [GoldenFact("tts-tiny")]
    public void FasterSpeechIsShorter()
    {
        using var tts = Load();
        var slow = tts.Synthesize(Phonemes, Tones, new SpeechSettings { Speed = 0.5 });
        var fast = tts.Synthesize(Phonemes, Tones, new SpeechSettings { Speed = 2 });
        Assert.True(fast.Samples.Length < slow.Samples.Length, $"{fast.Samples.Length} samples at speed 2, {slow.Samples.Length} at 0.5");
    }

    [GoldenFact("tts-tiny")]
    public void BadInputIsOneClearLine()
    {
        using var tts = Load();
        Assert.Contains("speed", Assert.Throws<VoxTileException>(() => tts.Synthesize(Phonemes, Tones, new SpeechSettings { Speed = 0 })).Message);
        Assert.Contains("nobody", Assert.Throws<VoxTileException>(() => tts.Synthesize(Phonemes, Tones, new SpeechSettings { Speaker = "nobody" })).Message);
        Assert.Throws<VoxTileException>(() => tts.Synthesize("_ zzz _", "0 0 0"));
        Assert.Throws<VoxTileException>(() => tts.Synthesize(Phonemes, "0 0"));
    }
}
