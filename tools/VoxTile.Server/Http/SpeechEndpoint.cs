using System.Diagnostics;
using System.Text.Json;
using VoxTile.Models.Api;
using VoxTile.Models.Audio;
using VoxTile.Models.MeloTTS;
using VoxTile.Models.MeloTTS.Text;
using VoxTile.Server.Audio;
using VoxTile.Server.Voices;

namespace VoxTile.Server.Http;

/// <summary>
/// <c>POST /v1/audio/speech</c>: text in a base speaker's voice, or in a stored voice (synthesized in the base voice,
/// then converted). Every sentence is queued at once, so sentences of one bucket batch with each other and with other
/// requests'; the answer streams sentence by sentence (chunked), so the first audio leaves before the last sentence is made.
/// </summary>
internal sealed partial class SpeechEndpoint(ModelQueues models, VoiceStore voices, ServerOptions options, ITextFrontEnd frontEnd)
{
    private const double MinSpeed = 0.25, MaxSpeed = 4.0;
    private readonly Lock _phonemizing = new();

    public async Task Handle(HttpContext context)
    {
        var clock = Stopwatch.StartNew();
        Requests.RequireContentType(context, "application/json");
        var request = await JsonSerializer.DeserializeAsync(context.Request.Body, SpeechRequestJson.Default.SpeechRequest, context.RequestAborted)
            ?? throw ApiException.BadRequest("the body must be a JSON object");
        var text = request.Input;
        if (string.IsNullOrWhiteSpace(text)) throw ApiException.BadRequest("'input' is required: the text to speak");
        if (text.Length > options.MaxTextChars) throw ApiException.TooLarge($"'input' holds {text.Length} characters; the most is {options.MaxTextChars}");
        var format = (request.ResponseFormat ?? "wav").ToLowerInvariant();
        if (format is not ("wav" or "pcm")) throw ApiException.BadRequest($"response_format '{request.ResponseFormat}' is not served (wav or pcm)");
        double speed = request.Speed ?? 1.0;
        if (!(speed is >= MinSpeed and <= MaxSpeed)) throw ApiException.BadRequest($"speed must be between {MinSpeed} and {MaxSpeed}, got {speed}");
        var (speaker, target) = ResolveVoice(context, request.Voice);

        IReadOnlyList<TextUtterance> pieces;
        lock (_phonemizing) pieces = Sentences(text, speaker);

        using var scope = new RequestScope(context, options.RequestTimeout);
        // Queue every sentence now: the worker batches them; their results are taken in order.
        var audio = pieces.Select(p => Sentence(p.Input, speed, target, scope.Token)).ToList();
        int rate = target is null ? models.Tts.SampleRate : models.Converter.SampleRate;
        int gap = TextUtterances.GapSamples(rate, speed);

        bool first = true;
        foreach (var sentence in audio)
        {
            var samples = await scope.Await(sentence);
            var bytes = PcmStream.Pcm16(samples, gap);
            if (first)
            {
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = format == "wav" ? "audio/wav" : "audio/pcm";
                context.Response.Headers["X-Sample-Rate"] = rate.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (format == "wav") await context.Response.Body.WriteAsync(PcmStream.StreamingWavHeader(rate), scope.Token);
            }
            await context.Response.Body.WriteAsync(bytes, scope.Token);
            await context.Response.Body.FlushAsync(scope.Token);
            if (first) ServerMetrics.TimeToFirstAudio.Observe(clock.Elapsed.TotalSeconds);
            first = false;
            ServerMetrics.SpeechSeconds.WithLabels("speech").Inc((double)samples.Length / rate);
        }
    }

    /// <summary>
    /// The text as MeloTTS's front end splits and normalizes it, then cut at every sentence end: a sentence is the unit
    /// that streams (tts_to_file's pieces of ~256 characters would hold the first audio back until a whole piece is made).
    /// </summary>
    private List<TextUtterance> Sentences(string text, int speaker)
    {
        var config = models.Tts.Model.Config;
        var sentences = frontEnd.Split(text).SelectMany(p => SentenceEnd().Split(p)).Where(s => s.Any(char.IsLetterOrDigit)).ToList();
        if (sentences.Count == 0) throw new IR.VoxTileException("the text has no word to pronounce");
        return [.. sentences.SelectMany(s => TextUtterances.Build(config, frontEnd, s, speaker))];
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<=[.!?])\s+")]
    private static partial System.Text.RegularExpressions.Regex SentenceEnd();

    // The synthesis is queued now, so a full queue refuses the request (429) before any audio has left.
    private Task<float[]> Sentence(MeloInput input, double speed, VoiceEmbedding? target, CancellationToken token)
    {
        var speech = models.Synthesis.Enqueue(new SynthesisJob(input, speed), token);
        return target is null ? speech : Converted(speech, target, token);
    }

    private async Task<float[]> Converted(Task<float[]> speech, VoiceEmbedding target, CancellationToken token)
    {
        var clip = new AudioClip(await speech, models.Tts.SampleRate, 1, "IEEE float 32-bit");
        return (await models.Conversion.Enqueue(new ConversionJob(clip, target, ToneColorDefaultsTau), token)).Samples;
    }

    private const float ToneColorDefaultsTau = Models.OpenVoice.ToneColorDefaults.Tau;

    // A stored voice's id (cloned from the base speaker's speech), or a base speaker's name or number.
    private (int Speaker, VoiceEmbedding? Target) ResolveVoice(HttpContext context, string? voice)
    {
        if (string.IsNullOrWhiteSpace(voice)) throw ApiException.BadRequest("'voice' is required: a stored voice id or a base speaker name");
        if (VoiceId.IsValid(voice))
        {
            var stored = voices.Find(ApiKeys.Owner(context), voice) ?? throw ApiException.NotFound($"no voice '{voice}'");
            return (0, new VoiceEmbedding(new IR.Tensor([1, stored.Embedding.Length, 1], stored.Embedding)));
        }
        var config = models.Tts.Model.Config;
        try { return (MeloSpeakers.Resolve(config, voice), null); }
        catch (IR.VoxTileException)
        {
            var names = config.Speakers.Count == 0 ? $"0 to {config.NSpeakers - 1}" : string.Join(", ", config.Speakers.Keys);
            throw ApiException.BadRequest($"unknown voice '{voice}': give a stored voice id or a base speaker ({names})");
        }
    }
}
