using System.Net;
using System.Text;

namespace VoxTile.Server.Tests;

/// <summary><c>POST /v1/audio/speech</c>: base voices and stored voices, both formats, streaming, and every refusal.</summary>
[Collection(nameof(SharedServer))]
public sealed class SpeechTests(ServerFixture fixture)
{
    [Fact]
    public async Task BaseVoiceStreamsAWavSentenceBySentence()
    {
        using var client = fixture.Client();
        using var response = await Http.Speech(client, "Hello there. How are you today?");
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, Encoding.UTF8.GetString(body));
        Assert.Equal("audio/wav", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.TransferEncodingChunked, "the speech is streamed (chunked), not sent whole");
        Assert.Null(response.Content.Headers.ContentLength);
        var (rate, samples) = Http.ReadStreamedWav(body);
        Assert.Equal(44100, rate);
        // Two sentences, each followed by MeloTTS's 50 ms of silence: the stream ends with exactly that gap.
        int gap = (int)(rate * 0.05);
        Assert.True(samples.Length > 2 * gap);
        Assert.All(samples[^gap..], s => Assert.Equal(0, s));
        Assert.Contains(samples[..^gap], s => s != 0);
    }

    [Fact]
    public async Task PcmIsTheSameAudioWithoutAHeader()
    {
        using var client = fixture.Client();
        using var wav = await Http.Speech(client, "Good morning.", voice: "2");
        using var pcm = await Http.Speech(client, "Good morning.", voice: "2", format: "pcm");
        Assert.Equal(HttpStatusCode.OK, pcm.StatusCode);
        Assert.Equal("audio/pcm", pcm.Content.Headers.ContentType?.MediaType);
        Assert.Equal("44100", pcm.Headers.GetValues("X-Sample-Rate").Single());
        var wavBytes = await wav.Content.ReadAsByteArrayAsync();
        Assert.Equal(wavBytes[44..], await pcm.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task AStoredVoiceSpeaksAtTheConvertersRate()
    {
        using var client = fixture.Client();
        var id = await Http.CreateVoice(client, Http.Wav(2.0, seed: 5));
        using var response = await Http.Speech(client, "Nice to meet you.", voice: id);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, Encoding.UTF8.GetString(body));
        var (rate, samples) = Http.ReadStreamedWav(body);
        Assert.Equal(TinyModels.ConverterRate, rate);
        Assert.Contains(samples, s => s != 0);
    }

    [Fact]
    public async Task ConcurrentRequestsRunAsOneBatch()
    {
        using var client = fixture.Client();
        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Http.Speech(client, "The same short sentence.")));
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsByteArrayAsync()));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        // A batch item equals its run alone: the same text gives the same audio whatever its batch.
        Assert.All(bodies, b => Assert.Equal(bodies[0], b));
        var metrics = await Metrics.Read(client);
        double count = metrics.Value("voxtile_batch_size_count", "stage=\"synthesis\"");
        double single = metrics.Value("voxtile_batch_size_bucket", "stage=\"synthesis\",le=\"1\"");
        Assert.True(count - single >= 1, $"no synthesis batch held more than one request ({count} batches, {single} of one)");
    }

    [Theory]
    [InlineData("{\"input\": \"Hello.\"}", "'voice' is required")]
    [InlineData("{\"voice\": \"1\"}", "'input' is required")]
    [InlineData("{\"input\": \"Hello.\", \"voice\": \"1\", \"response_format\": \"mp3\"}", "mp3")]
    [InlineData("{\"input\": \"Hello.\", \"voice\": \"1\", \"speed\": 9}", "speed")]
    [InlineData("{\"input\": \"Hello.\", \"voice\": \"alloy\"}", "unknown voice 'alloy'")]
    [InlineData("{\"input\": \"...\", \"voice\": \"1\"}", "no word to pronounce")]
    [InlineData("{\"input\": ", "malformed JSON")]
    [InlineData("[1, 2]", "malformed JSON")]
    public async Task BadRequestsAre400(string json, string fragment)
    {
        using var client = fixture.Client();
        using var response = await client.PostAsync("/v1/audio/speech", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Contains(fragment, await Http.AssertError(response, HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task AnUnknownVoiceIdIs404()
    {
        using var client = fixture.Client();
        using var response = await Http.Speech(client, "Hello.", voice: new string('a', 32));
        await Http.AssertError(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task TooMuchTextIs413()
    {
        using var client = fixture.Client();
        using var response = await Http.Speech(client, string.Concat(Enumerable.Repeat("Hello there. ", 40)));
        Assert.Contains("characters", await Http.AssertError(response, HttpStatusCode.RequestEntityTooLarge));
    }

    [Fact]
    public async Task AnotherContentTypeIs415()
    {
        using var client = fixture.Client();
        using var response = await client.PostAsync("/v1/audio/speech", new StringContent("Hello.", Encoding.UTF8, "text/plain"));
        Assert.Contains("application/json", await Http.AssertError(response, HttpStatusCode.UnsupportedMediaType));
    }

    [Fact]
    public async Task ABodyOverTheLimitIs413()
    {
        using var client = fixture.Client();
        var huge = new string('a', 2 << 20);
        using var response = await client.PostAsync("/v1/audio/speech", new StringContent($"{{\"input\": \"{huge}\", \"voice\": \"1\"}}", Encoding.UTF8, "application/json"));
        await Http.AssertError(response, HttpStatusCode.RequestEntityTooLarge);
    }
}
