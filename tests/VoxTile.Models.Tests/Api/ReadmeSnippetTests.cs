using VoxTile.Models.Api;
using VoxTile.Models.Audio;
using VoxTile.Models.Tests.Device;
using VoxTile.Testing;
using Xunit.Abstractions;

namespace VoxTile.Models.Tests.Api;

/// <summary>
/// README.md's "Use it from .NET" snippet compiles and runs as printed, on the golden converter-tiny and tts-tiny
/// models (random weights, real checkpoint files), with the golden's reference and source recordings as the voices.
/// </summary>
[Collection(DeviceRuns.Name)]
public sealed class ReadmeSnippetTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("voxtile-readme-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void TheSnippetDeclaresThePathsItReads()
    {
        var snippet = ReadmeSnippet.Read();
        var program = ReadmeSnippet.WithValues(snippet, Paths("conv", "melo"));
        Assert.Contains("VoiceConverter.Load(", program);
        Assert.Contains("\"melo/EN\"", snippet);
        Assert.DoesNotContain("\"melo/EN\"", program);
        Assert.Equal(snippet.Split('\n').Length, program.Split('\n').Length);
    }

    [GoldenFact("tts-tiny")]
    public void TheSnippetRunsAsPrinted()
    {
        var program = ReadmeSnippet.WithValues(ReadmeSnippet.Read(), Paths(Golden.Case("converter-tiny")!, Golden.Case("tts-tiny")!));
        var assembly = ReadmeSnippet.Compile(program, [typeof(VoiceConverter).Assembly, typeof(IR.Tensor).Assembly,
            typeof(Runtime.Cache.PlanCache).Assembly, typeof(Lowering.Targets.TargetSpec).Assembly]);
        var cache = Environment.GetEnvironmentVariable("VOXTILE_CACHE");
        Environment.SetEnvironmentVariable("VOXTILE_CACHE", Path.Combine(_dir, "cache"));
        try
        {
            var main = assembly.EntryPoint!;
            main.Invoke(null, main.GetParameters().Length == 0 ? null : [Array.Empty<string>()]);
        }
        finally { Environment.SetEnvironmentVariable("VOXTILE_CACHE", cache); }

        var source = WavFile.Read(Path.Combine(Golden.Case("converter-tiny")!, "source.wav"));
        var converted = WavFile.Read(Path.Combine(_dir, "converted.wav"));
        var cloned = WavFile.Read(Path.Combine(_dir, "cloned.wav"));
        var me = VoiceEmbedding.Load(Path.Combine(_dir, "me.npy"));
        output.WriteLine($"converted {converted.Duration:F2} s of a {source.Duration:F2} s source, cloned {cloned.Duration:F2} s, embedding of {me.Channels}; " +
            $"{Directory.GetFiles(Path.Combine(_dir, "cache", "plans")).Length} plans cached");
        Assert.Equal(source.SampleRate, converted.SampleRate);
        Assert.InRange(converted.Samples.Length, source.Samples.Length - 32, source.Samples.Length);
        Assert.Contains(converted.Samples, s => s != 0);
        Assert.Contains(cloned.Samples, s => s != 0);
        Assert.Equal(32, me.Channels);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(_dir, "cache", "plans"), "*.vtp"));
    }

    private Dictionary<string, string> Paths(string converter, string melo) => new()
    {
        ["converterDir"] = converter,
        ["meloDir"] = melo,
        ["myVoice"] = Path.Combine(converter, "reference.wav"),
        ["speech"] = Path.Combine(converter, "source.wav"),
        ["outDir"] = _dir,
    };
}
