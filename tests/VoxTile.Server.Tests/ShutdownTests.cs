using System.Net;

namespace VoxTile.Server.Tests;

/// <summary>
/// Servers of their own, cut short: a client that hangs up mid-stream (its queued sentences never run, the server stays
/// healthy and its gauges return to zero), and a graceful shutdown (the request in flight finishes whole, new ones are refused).
/// </summary>
public sealed class ShutdownTests
{
    // Sentences of one bucket, run one at a time (--max-batch 1): the answer streams for a while.
    private static readonly string ManySentences = string.Join(" ", Enumerable.Range(0, 40).Select(i => $"This is sentence number {i + 1}."));

    private static HttpClient Client(VoxTileServer server) => new() { BaseAddress = new Uri($"http://127.0.0.1:{server.Port}") };

    private static ServerOptions Options() => new()
    {
        VoicesDirectory = Path.Combine(TinyModels.Root, "voices-" + Guid.NewGuid().ToString("N")),
        MaxBatch = 1,
        BatchWindow = TimeSpan.Zero,
    };

    private static Task<HttpResponseMessage> StartSpeech(HttpClient client, string text) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/audio/speech")
        {
            Content = Http.Json(new { model = "voxtile", input = text, voice = "1", response_format = "wav" }),
        }, HttpCompletionOption.ResponseHeadersRead);

    private static async Task<double> SynthesizedSentences(HttpClient client) =>
        (await Metrics.Read(client)).Value("voxtile_batch_size_sum", "stage=\"synthesis\"");

    [Fact]
    public async Task AClientThatHangsUpMidStreamCancelsItsSentences()
    {
        await using var server = await TinyModels.Start(Options());
        using var probe = Client(server);
        double before = await SynthesizedSentences(probe);
        double firstAudioBefore = (await Metrics.Read(probe)).Value("voxtile_time_to_first_audio_seconds_count");

        using (var leaving = Client(server))
        {
            using var response = await StartSpeech(leaving, ManySentences);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await using var body = await response.Content.ReadAsStreamAsync();
            var first = new byte[4096];
            Assert.True(await body.ReadAsync(first) > 0);
        } // the connection closes with 39 sentences still to come

        // The sentences still queued leave the queue; the one running (at most) finishes; nothing else runs.
        var metrics = await Metrics.Read(probe);
        for (int i = 0; i < 100 && metrics.Value("voxtile_queue_depth", "stage=\"synthesis\"") > 0; i++)
        {
            await Task.Delay(100);
            metrics = await Metrics.Read(probe);
        }
        Assert.Equal(0, metrics.Value("voxtile_queue_depth", "stage=\"synthesis\""));
        await Task.Delay(500);
        double ran = await SynthesizedSentences(probe) - before;
        Assert.True(ran < 40, $"all {ran} sentences of the abandoned request were synthesized");
        Assert.Equal(firstAudioBefore + 1, (await Metrics.Read(probe)).Value("voxtile_time_to_first_audio_seconds_count"));

        // Still healthy: ready, and a whole answer for the next client.
        Assert.Equal(HttpStatusCode.OK, (await probe.GetAsync("/readyz")).StatusCode);
        using var next = await Http.Speech(probe, "Still serving. Two sentences.");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.True(Http.ReadStreamedWav(await next.Content.ReadAsByteArrayAsync()).Samples.Length > 0);
    }

    [Fact]
    public async Task AShutdownFinishesTheRequestInFlightAndRefusesNewOnes()
    {
        const string text = "First of several sentences. The second one. A third here. And a fourth. Then a fifth. The sixth is last.";
        await using var server = await TinyModels.Start(Options());
        int wholeLength;
        using (var before = Client(server))
        using (var alone = await Http.Speech(before, text))
            wholeLength = Http.ReadStreamedWav(await alone.Content.ReadAsByteArrayAsync()).Samples.Length;

        using var client = Client(server);
        using var response = await StartSpeech(client, text);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var body = await response.Content.ReadAsStreamAsync();
        var received = new MemoryStream();
        var buffer = new byte[1 << 16];
        received.Write(buffer, 0, await body.ReadAsync(buffer)); // in flight: its first sentence has left

        var stopping = server.StopAsync();
        await Task.Delay(200);
        Assert.False(server.Ready);
        // A new client is refused: Kestrel takes no new connection (or answers 503 if one slipped in first).
        using (var late = Client(server))
        {
            try
            {
                using var refused = await Http.Speech(late, "Too late.");
                await Http.AssertError(refused, HttpStatusCode.ServiceUnavailable);
            }
            catch (HttpRequestException) { }
        }

        await body.CopyToAsync(received);
        await stopping;
        var (_, samples) = Http.ReadStreamedWav(received.ToArray());
        Assert.Equal(wholeLength, samples.Length);
    }
}
