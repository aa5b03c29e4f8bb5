using System.Buffers.Binary;
using VoxTile.Server.LoadTest;

namespace VoxTile.Server.Tests;

/// <summary><c>voxtile loadtest</c> against the shared server: every answer whole audio, refusals counted by status, and the audio checks themselves.</summary>
[Collection(nameof(SharedServer))]
public sealed class LoadTestTests(ServerFixture fixture)
{
    private LoadTestOptions Options(LoadRoute route, int concurrency, int requests, string? key = ServerFixture.Alpha) => new()
    {
        Url = new Uri($"http://127.0.0.1:{fixture.Server.Port}/"),
        Route = route,
        Concurrency = concurrency,
        Requests = requests,
        Seconds = 120,
        ApiKey = key,
        Text = "One sentence here. And a second one.",
        Voice = "1",
        Source = SpeechLikeSignal.Wav(1.0, seed: 3, rate: 16000),
        Reference = SpeechLikeSignal.Wav(1.5, seed: 4, rate: 16000),
    };

    [Fact]
    public async Task ConcurrentConversionsAllComeBackWhole()
    {
        var report = await new LoadTester(Options(LoadRoute.Convert, concurrency: 4, requests: 6)).RunAsync();
        Assert.True(report.AllComplete, report.Text());
        Assert.Equal(6, report.Count(ResultKind.Complete));
        Assert.All(report.Results, r => Assert.InRange(r.AudioSeconds, 0.95, 1.05));
        Assert.All(report.Results, r => Assert.InRange(r.FirstAudioSeconds!.Value, 0, r.Seconds));
        Assert.True(report.Throughput > 0);
        Assert.Contains("loadtest route=convert concurrency=4 requests=6 complete=6 errors=0 incomplete=0 lost=0", report.Text());
    }

    [Fact]
    public async Task StreamedSpeechInAClonedVoiceAndAsPcmComesBackWhole()
    {
        var cloned = await new LoadTester(Options(LoadRoute.Speech, 3, 3) with { Voice = null }).RunAsync();
        Assert.True(cloned.AllComplete, cloned.Text());
        var pcm = await new LoadTester(Options(LoadRoute.Speech, 2, 2) with { Format = "pcm" }).RunAsync();
        Assert.True(pcm.AllComplete, pcm.Text());
        Assert.All(pcm.Results, r => Assert.True(r.AudioSeconds > 0));
    }

    [Fact]
    public async Task RefusalsAreCountedByStatus()
    {
        // Another key's view: the speech requests name a voice id this key does not own (404), none is audio.
        var report = await new LoadTester(Options(LoadRoute.Speech, 2, 3, key: ServerFixture.Beta) with { Voice = new string('c', 32) }).RunAsync();
        Assert.False(report.AllComplete);
        Assert.Equal(3, report.Count(ResultKind.Refused));
        Assert.Equal(["status 404 ×3: no voice 'cccccccccccccccccccccccccccccccc'"], report.Failures());
        Assert.Contains("errors=3", report.Text());
    }

    [Fact]
    public async Task AWrongKeyStopsBeforeTheLoad()
    {
        var e = await Assert.ThrowsAsync<IR.VoxTileException>(() => new LoadTester(Options(LoadRoute.Speech, 1, 1, key: "nope")).RunAsync());
        Assert.Contains("refused the key (401)", e.Message);
    }

    [Theory]
    [InlineData("http://example.com:8000/", "not 'example.com'")]
    [InlineData("http://10.0.0.1:8000/", "not '10.0.0.1'")]
    [InlineData("ftp://127.0.0.1/", "http:// or https://")]
    public void OnlyLoopbackServersAreLoaded(string url, string fragment)
    {
        var e = Assert.Throws<IR.VoxTileException>(() => (Options(LoadRoute.Speech, 1, 1) with { Url = new Uri(url) }).Validate());
        Assert.Contains(fragment, e.Message);
        (Options(LoadRoute.Speech, 1, 1) with { Url = new Uri("http://[::1]:8000/") }).Validate();
        (Options(LoadRoute.Speech, 1, 1) with { Url = new Uri("http://localhost:8000/") }).Validate();
    }

    [Fact]
    public void TheAudioCheckTellsWholeFromCutAudio()
    {
        var whole = Models.Audio.WavFile.Encode(new float[100], 22050);
        Assert.Null(AudioCheck.Wav(whole, 22050, out int samples, out _));
        Assert.Equal(100, samples);
        Assert.Contains("do not match", AudioCheck.Wav(whole.AsSpan(0, whole.Length - 2), null, out _, out _));
        Assert.Contains("X-Sample-Rate 44100", AudioCheck.Wav(whole, 44100, out _, out _));

        var streamed = Audio.PcmStream.StreamingWavHeader(44100).Concat(new byte[10]).ToArray();
        Assert.Null(AudioCheck.Wav(streamed, 44100, out samples, out _));
        Assert.Equal(5, samples);
        Assert.Contains("cut in half", AudioCheck.Wav(streamed.AsSpan(0, streamed.Length - 1), 44100, out _, out _));
        Assert.Contains("no audio", AudioCheck.Wav(streamed.AsSpan(0, AudioCheck.HeaderBytes), 44100, out _, out _));
        var oneSizeOnly = (byte[])streamed.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(oneSizeOnly.AsSpan(40), 10);
        Assert.Contains("do not match", AudioCheck.Wav(oneSizeOnly, 44100, out _, out _));

        Assert.Null(AudioCheck.SameLength(5.01, 5.0));
        Assert.NotNull(AudioCheck.SameLength(4.5, 5.0));
    }

    [Fact]
    public void PercentilesAreNearestRank()
    {
        double[] v = [5, 1, 4, 2, 3, 6, 7, 8, 9, 10];
        Assert.Equal(5, LoadReport.Percentile(v, 50));
        Assert.Equal(10, LoadReport.Percentile(v, 95));
        Assert.Equal(1, LoadReport.Percentile(v, 1));
        Assert.True(double.IsNaN(LoadReport.Percentile([], 50)));
    }
}
