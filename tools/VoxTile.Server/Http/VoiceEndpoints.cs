using System.Text.Json;
using VoxTile.Models.Audio;
using VoxTile.Server.Voices;

namespace VoxTile.Server.Http;

/// <summary>
/// <c>/v1/voices</c>: a voice is made once from reference recordings (its embedding extracted and stored by the hash
/// of the recordings), then used by id. Each API key sees and deletes only its own.
/// </summary>
internal sealed class VoiceEndpoints(ModelQueues models, VoiceStore voices, ServerOptions options)
{
    public async Task Create(HttpContext context)
    {
        var form = await Requests.Form(context);
        if (form.Files.Count == 0) throw ApiException.BadRequest("give one or more reference recordings (WAV) as multipart files");
        var uploads = new List<(byte[] Bytes, AudioClip Clip)>();
        foreach (var file in form.Files) uploads.Add(await Requests.ReadWav(file, context.RequestAborted));
        double seconds = uploads.Sum(u => u.Clip.Duration);
        Requests.CheckDuration(seconds, options, "the references");
        foreach (var (u, file) in uploads.Zip(form.Files))
            if (models.ModelSamples(u.Clip) < models.Converter.Model.MinSamples)
                throw ApiException.BadRequest($"'{file.FileName}' ({u.Clip.Duration * 1000:F1} ms) is shorter than the converter's minimum of {models.Converter.Model.MinLength}");

        var owner = ApiKeys.Owner(context);
        var id = VoiceId.Of([.. uploads.Select(u => u.Bytes)]);
        var voice = voices.Find(owner, id);
        bool made = voice is null;
        if (voice is null)
        {
            using var scope = new RequestScope(context, options.RequestTimeout);
            var embedding = await scope.Await(models.Embedding.Enqueue([.. uploads.Select(u => u.Clip)], scope.Token));
            voice = new StoredVoice(id, seconds, DateTimeOffset.UtcNow, embedding.ToTensor().Data.ToArray());
            voices.Add(owner, voice);
        }
        await WriteVoice(context, voice, made ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    public async Task List(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("object", "list");
        json.WriteStartArray("data");
        foreach (var v in voices.List(ApiKeys.Owner(context))) Describe(json, v);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    public async Task Get(HttpContext context, string id) =>
        await WriteVoice(context, Find(context, id), StatusCodes.Status200OK);

    public async Task Delete(HttpContext context, string id)
    {
        var voice = Find(context, id);
        voices.Delete(ApiKeys.Owner(context), voice.Id);
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("id", voice.Id);
        json.WriteBoolean("deleted", true);
        json.WriteEndObject();
    }

    private StoredVoice Find(HttpContext context, string id) =>
        voices.Find(ApiKeys.Owner(context), id) ?? throw ApiException.NotFound($"no voice '{(VoiceId.IsValid(id) ? id : "(not a voice id)")}'");

    private static async Task WriteVoice(HttpContext context, StoredVoice voice, int status)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        Describe(json, voice);
    }

    private static void Describe(Utf8JsonWriter json, StoredVoice v)
    {
        json.WriteStartObject();
        json.WriteString("id", v.Id);
        json.WriteString("object", "voice");
        json.WriteNumber("seconds", Math.Round(v.Seconds, 3));
        json.WriteNumber("created", v.Created.ToUnixTimeSeconds());
        json.WriteEndObject();
    }
}
