using System.Net;

namespace VoxTile.Server.Tests;

/// <summary>Keys, probes, metrics and unknown routes.</summary>
[Collection(nameof(SharedServer))]
public sealed class AccessTests(ServerFixture fixture)
{
    [Fact]
    public async Task EveryRouteButHealthzNeedsAKey()
    {
        using var anonymous = fixture.Client(key: null);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
        foreach (var path in new[] { "/readyz", "/metrics", "/v1/voices" })
        {
            using var response = await anonymous.GetAsync(path);
            await Http.AssertError(response, HttpStatusCode.Unauthorized);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        }
        await Http.AssertError(await Http.Speech(anonymous, "Hello."), HttpStatusCode.Unauthorized);
        using var wrong = fixture.Client("not-a-key");
        await Http.AssertError(await wrong.GetAsync("/v1/voices"), HttpStatusCode.Unauthorized);
        using var right = fixture.Client(ServerFixture.Beta);
        Assert.Equal(HttpStatusCode.OK, (await right.GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public async Task MetricsCountRequestsByRouteAndStatus()
    {
        using var client = fixture.Client();
        (await Http.Speech(client, "Counted.")).EnsureSuccessStatusCode();
        await Http.AssertError(await client.GetAsync("/v1/voices/" + new string('c', 32)), HttpStatusCode.NotFound);
        var m = await Metrics.Read(client);
        Assert.True(m.Value("http_requests_received_total", "code=\"200\",method=\"POST\"") >= 1, m.Text);
        Assert.Contains("endpoint=\"/v1/audio/speech\"", m.Text);
        Assert.Contains("endpoint=\"/v1/voices/{id}\"", m.Text);
        Assert.True(m.Value("voxtile_time_to_first_audio_seconds_count") >= 1);
        Assert.Contains("voxtile_queue_depth{stage=\"synthesis\"}", m.Text);
        Assert.Contains("http_request_duration_seconds_bucket", m.Text);
    }

    [Fact]
    public async Task AnUnknownRouteIsAJson404()
    {
        using var client = fixture.Client();
        await Http.AssertError(await client.GetAsync("/v1/models/nothing"), HttpStatusCode.NotFound);
    }
}
