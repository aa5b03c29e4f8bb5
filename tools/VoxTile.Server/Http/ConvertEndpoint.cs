using System.Globalization;
using VoxTile.Models.Api;
using VoxTile.Models.Audio;
using VoxTile.Models.OpenVoice;
using VoxTile.Server.Voices;

namespace VoxTile.Server.Http;

/// <summary>
/// <c>POST /v1/audio/convert</c>: a multipart <c>source</c> recording spoken in a stored <c>voice</c> (id) or in the
/// voice of <c>reference</c> recordings given with it, at <c>tau</c>; answers a 16-bit WAV at the converter's rate.
/// </summary>
internal sealed class ConvertEndpoint(ModelQueues models, VoiceStore voices, ServerOptions options)
{
    public async Task Handle(HttpContext context)
    {
        var form = await Requests.Form(context);
        var sourceFile = form.Files.GetFile("source") ?? throw ApiException.BadRequest("give the recording to convert as the multipart file 'source'");
        var (_, source) = await Requests.ReadWav(sourceFile, context.RequestAborted);
        Requests.CheckDuration(source.Duration, options, "the source");
        if (models.ModelSamples(source) < models.Converter.Model.MinSamples)
            throw ApiException.BadRequest($"the source ({source.Duration * 1000:F1} ms) is shorter than the converter's minimum of {models.Converter.Model.MinLength}");
        float tau = Tau(form);

        using var scope = new RequestScope(context, options.RequestTimeout);
        var target = await Target(context, form, scope);
        var converted = await scope.Await(models.Conversion.Enqueue(new ConversionJob(source, target, tau), scope.Token));
        var wav = WavFile.Encode(converted.Samples, converted.SampleRate);
        context.Response.ContentType = "audio/wav";
        context.Response.ContentLength = wav.Length;
        await context.Response.Body.WriteAsync(wav, scope.Token);
        ServerMetrics.SpeechSeconds.WithLabels("convert").Inc(converted.Duration);
    }

    private static float Tau(IFormCollection form)
    {
        if (!form.TryGetValue("tau", out var text) || string.IsNullOrWhiteSpace(text)) return ToneColorDefaults.Tau;
        if (!float.TryParse(text.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var tau) || !(tau is >= 0 and <= 10))
            throw ApiException.BadRequest($"tau must be a number from 0 to 10, got '{text}'");
        return tau;
    }

    private async Task<VoiceEmbedding> Target(HttpContext context, IFormCollection form, RequestScope scope)
    {
        var references = form.Files.GetFiles("reference");
        string? id = form.TryGetValue("voice", out var v) ? v.ToString() : null;
        if (!string.IsNullOrEmpty(id) && references.Count > 0) throw ApiException.BadRequest("give either 'voice' or 'reference' files, not both");
        if (!string.IsNullOrEmpty(id))
        {
            var stored = voices.Find(ApiKeys.Owner(context), id) ?? throw ApiException.NotFound($"no voice '{(VoiceId.IsValid(id) ? id : "(not a voice id)")}'");
            return new VoiceEmbedding(new IR.Tensor([1, stored.Embedding.Length, 1], stored.Embedding));
        }
        if (references.Count == 0) throw ApiException.BadRequest("give the target as 'voice' (a stored voice id) or as 'reference' recordings");
        var clips = new List<AudioClip>();
        foreach (var file in references)
        {
            var (_, clip) = await Requests.ReadWav(file, context.RequestAborted);
            if (models.ModelSamples(clip) < models.Converter.Model.MinSamples)
                throw ApiException.BadRequest($"'{file.FileName}' is shorter than the converter's minimum of {models.Converter.Model.MinLength}");
            clips.Add(clip);
        }
        Requests.CheckDuration(clips.Sum(c => c.Duration), options, "the references");
        return await scope.Await(models.Embedding.Enqueue(clips, scope.Token));
    }
}
