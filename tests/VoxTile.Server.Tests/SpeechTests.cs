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
        var (rate, samples) = Http.ReadStreamedWav(body);
        Assert.Equal(44100, rate);
        // Two sentences, each made alone and followed by MeloTTS's 50 ms of silence: two runs of that gap, one at the end.
        int gap = (int)(rate * 0.05);
        Assert.All(samples[^gap..], s => Assert.Equal(0, s));
        var body1 = samples[..^gap];
        Assert.Contains(body1, s => s != 0);
        Assert.True(LongestZeroRun(body1) >= gap, "no silence between the two sentences");
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
        // The tiny random converter's output may sit below 16-bit resolution: its length is what is checked.
        Assert.True(samples.Length > (int)(rate * 0.05), $"{samples.Length} samples");
    }

    [Fact]
    public async Task ConcurrentRequestsRunAsOneBatch()
    {
        using var client = fixture.Client();
        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Http.Speech(client, "The same short sentence.")));
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsByteArrayAsync()));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        // A batch item equals its run alone up to bf16 rounding in the batch plan: the same text, the same audio.
        var first = Http.ReadStreamedWav(bodies[0]).Samples;
        Assert.All(bodies, b =>
        {
            var other = Http.ReadStreamedWav(b).Samples;
            Assert.Equal(first.Length, other.Length);
            double pcc = Pcc(first, other);
            Assert.True(pcc >= 0.99, $"a batched item's audio has PCC {pcc:F4} with another's");
        });
        var metrics = await Metrics.Read(client);
        double count = metrics.Value("voxtile_batch_size_count", "stage=\"synthesis\"");
        double single = metrics.Value("voxtile_batch_size_bucket", "stage=\"synthesis\",le=\"1\"");
        Assert.True(count - single >= 1, $"no synthesis batch held more than one request ({count} batches, {single} of one)");
    }

    private static int LongestZeroRun(short[] samples)
    {
        int best = 0, run = 0;
        foreach (var s in samples) best = Math.Max(best, run = s == 0 ? run + 1 : 0);
        return best;
    }

    private static double Pcc(short[] a, short[] b)
    {
        double ma = a.Average(x => (double)x), mb = b.Average(x => (double)x), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Length; i++) { sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) * (a[i] - ma); sbb += (b[i] - mb) * (b[i] - mb); }
        return sab / Math.Sqrt(saa * sbb);
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
