using VoxTile.Models.Api;
using VoxTile.Models.Config;
using VoxTile.Models.MeloTTS;
using VoxTile.Models.OpenVoice;

namespace VoxTile.Server.Tests;

/// <summary>
/// Tiny random-weight MeloTTS and converter of the released structure, so a server starts and its plans compile in
/// seconds; every server of the test run shares one plan cache.
/// </summary>
internal static class TinyModels
{
    public static readonly string Root = Path.Combine(Path.GetTempPath(), $"voxtile-serve-tests-{Environment.ProcessId}");
    private static string PlanCache => Path.Combine(Root, "plans");

    private static readonly MeloConfig Melo = MeloConfig.ReleasedEnglish with
    {
        InterChannels = 8, HiddenChannels = 16, FilterChannels = 24, GinChannels = 8, NSpeakers = 3,
        Speakers = new Dictionary<string, int>(), UpsampleInitialChannel = 32, UpsampleRates = [2, 2, 2, 2, 2],
        UpsampleKernelSizes = [4, 4, 2, 2, 2], HopLength = 32, FilterLength = 64, WinLength = 64,
    };

    private static readonly ConverterConfig Converter = ConverterConfig.ReleasedV2 with
    {
        FilterLength = 128, HopLength = 32, WinLength = 128, InterChannels = 16, HiddenChannels = 32,
        UpsampleRates = [4, 4, 2], UpsampleInitialChannel = 32, UpsampleKernelSizes = [8, 8, 4], GinChannels = 32,
    };

    public const int ConverterRate = 22050;

    public static async Task<VoxTileServer> Start(ServerOptions options)
    {
        var pipeline = new PipelineOptions { PlanCacheDirectory = PlanCache, Threads = 2 };
        var tts = SpeechSynthesizer.Create(MeloSynthesizer.Random(Melo, 3), pipeline);
        var converter = VoiceConverter.Create(ToneColorConverter.Random(Converter, 11), pipeline);
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var server = await VoxTileServer.StartAsync(tts, converter, options with { Port = 0 }, log.Enqueue);
        await server.WarmedUp;
        Assert.True(server.Ready, $"the server did not warm up: {string.Join(" | ", log)}");
        return server;
    }
}

/// <summary>One server shared by the endpoint tests: keys alpha and beta, small limits, a batch window wide enough to batch concurrent requests.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public const string Alpha = "alpha-key", Beta = "beta-key";
    public static readonly ServerOptions Options = new()
    {
        ApiKeys = [Alpha, Beta],
        MaxBatch = 4,
        MaxQueue = 64,
        BatchWindow = TimeSpan.FromMilliseconds(150),
        MaxTextChars = 300,
        MaxAudioSeconds = 8,
        MaxBodyBytes = 1 << 20,
        RequestTimeout = TimeSpan.FromSeconds(60),
    };

    public VoxTileServer Server { get; private set; } = null!;
    public string VoicesDirectory { get; } = Path.Combine(TinyModels.Root, "voices-" + Guid.NewGuid().ToString("N"));

    public HttpClient Client(string? key = Alpha)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Server.Port}") };
        if (key is not null) client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        return client;
    }

    public async Task InitializeAsync() => Server = await TinyModels.Start(Options with { VoicesDirectory = VoicesDirectory });

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
