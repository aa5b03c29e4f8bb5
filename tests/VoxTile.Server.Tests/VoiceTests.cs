using System.Net;
using System.Text;
using System.Text.Json;

namespace VoxTile.Server.Tests;

/// <summary><c>/v1/voices</c>: made once per content, listed, fetched and deleted per key; bad uploads refused.</summary>
[Collection(nameof(SharedServer))]
public sealed class VoiceTests(ServerFixture fixture)
{
    [Fact]
    public async Task AVoiceIsStoredOnceByContentAndSeenOnlyByItsKey()
    {
        using var alpha = fixture.Client(ServerFixture.Alpha);
        using var beta = fixture.Client(ServerFixture.Beta);
        var reference = Http.Wav(1.5, seed: 1);
        using var created = await alpha.PostAsync("/v1/voices", Http.Files(("file", reference)));
        var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = body.GetProperty("id").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.Equal(1.5, body.GetProperty("seconds").GetDouble(), 3);

        // The same recording again: the same voice, not made twice.
        using var again = await alpha.PostAsync("/v1/voices", Http.Files(("file", reference)));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains(id, await again.Content.ReadAsStringAsync());

        Assert.Contains(id, await alpha.GetStringAsync("/v1/voices"));
        Assert.Equal(HttpStatusCode.OK, (await alpha.GetAsync($"/v1/voices/{id}")).StatusCode);

        // Another key: the voice does not exist for it.
        Assert.DoesNotContain(id, await beta.GetStringAsync("/v1/voices"));
        await Http.AssertError(await beta.GetAsync($"/v1/voices/{id}"), HttpStatusCode.NotFound);
        await Http.AssertError(await beta.DeleteAsync($"/v1/voices/{id}"), HttpStatusCode.NotFound);
        await Http.AssertError(await Http.Speech(beta, "Hello.", voice: id), HttpStatusCode.NotFound);

        using var deleted = await alpha.DeleteAsync($"/v1/voices/{id}");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        await Http.AssertError(await alpha.GetAsync($"/v1/voices/{id}"), HttpStatusCode.NotFound);
        Assert.False(File.Exists(Path.Combine(fixture.VoicesDirectory, ApiKeysOwner(ServerFixture.Alpha), id + ".json")));
    }

    [Fact]
    public async Task SeveralReferencesMakeOneVoiceWrittenWhole()
    {
        using var client = fixture.Client();
        var id = await Http.CreateVoice(client, Http.Wav(1.0, seed: 2), Http.Wav(1.25, seed: 3));
        var dir = Path.Combine(fixture.VoicesDirectory, ApiKeysOwner(ServerFixture.Alpha));
        Assert.True(File.Exists(Path.Combine(dir, id + ".json")));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
        var stored = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, id + ".json"))).RootElement;
        Assert.Equal(2.25, stored.GetProperty("seconds").GetDouble(), 3);
        Assert.Equal(32, stored.GetProperty("embedding").GetArrayLength());
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("ABCDEF0123456789ABCDEF0123456789")]
    [InlineData("abc")]
    public async Task AnIdThatIsNotAHashIsNotFound(string id)
    {
        using var client = fixture.Client();
        await Http.AssertError(await client.GetAsync($"/v1/voices/{Uri.EscapeDataString(id)}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task BadUploadsAreRefused()
    {
        using var client = fixture.Client();
        await Http.AssertError(await client.PostAsync("/v1/voices", Http.Json(new { file = "x" })), HttpStatusCode.UnsupportedMediaType);
        await Http.AssertError(await client.PostAsync("/v1/voices", new MultipartFormDataContent { { new StringContent("x"), "name" } }), HttpStatusCode.BadRequest);
        var notWav = await Http.AssertError(await client.PostAsync("/v1/voices", Http.Files(("file", Encoding.ASCII.GetBytes("RIFF....not a wave file at all")))), HttpStatusCode.BadRequest);
        Assert.Contains("clip0.wav", notWav);
        await Http.AssertError(await client.PostAsync("/v1/voices", Http.Files(("file", Http.Wav(0.002, seed: 1)))), HttpStatusCode.BadRequest);
        var tooLong = await Http.AssertError(await client.PostAsync("/v1/voices", Http.Files(("file", Http.Wav(9, seed: 1, rate: 8000)))), HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("9.0 s", tooLong);
    }

    private static string ApiKeysOwner(string key) => VoxTile.Server.Http.ApiKeys.OwnerOf(key);
}
