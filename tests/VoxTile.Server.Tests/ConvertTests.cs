using System.Net;
using System.Text;
using VoxTile.Models.Audio;

namespace VoxTile.Server.Tests;

/// <summary><c>POST /v1/audio/convert</c>: to a stored voice or to references sent along; refusals.</summary>
[Collection(nameof(SharedServer))]
public sealed class ConvertTests(ServerFixture fixture)
{
    [Fact]
    public async Task ConvertsToAStoredVoiceOrToReferences()
    {
        using var client = fixture.Client();
        var id = await Http.CreateVoice(client, Http.Wav(1.5, seed: 7));
        var source = Http.Wav(1.0, seed: 8);

        var byId = Http.Files(("source", source));
        byId.Add(new StringContent(id), "voice");
        byId.Add(new StringContent("0.5"), "tau");
        using var r1 = await client.PostAsync("/v1/audio/convert", byId);
        var wav1 = await r1.Content.ReadAsByteArrayAsync();
        Assert.True(r1.StatusCode == HttpStatusCode.OK, Encoding.UTF8.GetString(wav1));
        var clip = WavFile.Read(new MemoryStream(wav1), "converted");
        Assert.Equal(TinyModels.ConverterRate, clip.SampleRate);
        Assert.InRange(clip.Duration, 0.9, 1.1);

        using var r2 = await client.PostAsync("/v1/audio/convert", Http.Files(("source", source), ("reference", Http.Wav(1.5, seed: 7))));
        Assert.Equal(HttpStatusCode.OK, r2.StatusCode);
        Assert.Equal(clip.Samples.Length, WavFile.Read(new MemoryStream(await r2.Content.ReadAsByteArrayAsync()), "c2").Samples.Length);
    }

    [Fact]
    public async Task RefusesWhatItCannotConvert()
    {
        using var client = fixture.Client();
        var source = Http.Wav(1.0, seed: 8);
        await Http.AssertError(await client.PostAsync("/v1/audio/convert", Http.Files(("reference", source))), HttpStatusCode.BadRequest);
        await Http.AssertError(await client.PostAsync("/v1/audio/convert", Http.Files(("source", source))), HttpStatusCode.BadRequest);
        var unknown = Http.Files(("source", source));
        unknown.Add(new StringContent(new string('b', 32)), "voice");
        await Http.AssertError(await client.PostAsync("/v1/audio/convert", unknown), HttpStatusCode.NotFound);
        var badTau = Http.Files(("source", source), ("reference", source));
        badTau.Add(new StringContent("hot"), "tau");
        await Http.AssertError(await client.PostAsync("/v1/audio/convert", badTau), HttpStatusCode.BadRequest);
        await Http.AssertError(await client.PostAsync("/v1/audio/convert", Http.Json(new { source = "x" })), HttpStatusCode.UnsupportedMediaType);
    }
}
