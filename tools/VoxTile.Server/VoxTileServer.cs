using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Prometheus;
using VoxTile.Models.Api;
using VoxTile.Models.MeloTTS.Text;
using VoxTile.Server.Http;
using VoxTile.Server.Voices;

namespace VoxTile.Server;

/// <summary>
/// <c>voxtile serve</c>: one Kestrel server in front of one MeloTTS and one tone color converter, loaded once. It
/// listens at once (<c>/healthz</c> answers) and compiles the short buckets' plans in the background; <c>/readyz</c>
/// and the <c>/v1</c> routes answer 503 until that is done, and again once a shutdown has begun (Kestrel stops taking
/// connections, requests in flight finish, queued work runs, then the models are released).
/// </summary>
public sealed class VoxTileServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ModelQueues _models;
    private volatile bool _ready, _stopping;
    private string? _notReady = "compiling the models' plans";

    private VoxTileServer(WebApplication app, ModelQueues models, Task warmUp)
    {
        (_app, _models) = (app, models);
        WarmedUp = warmUp;
    }

    /// <summary>The port Kestrel listens on (the one picked when <see cref="ServerOptions.Port"/> is 0).</summary>
    public int Port { get; private set; }

    /// <summary>Ends when the models are warm (or their warm-up failed: <see cref="Ready"/> stays false).</summary>
    public Task WarmedUp { get; private set; }

    public bool Ready => _ready && !_stopping;

    /// <summary>Starts serving <paramref name="tts"/> and <paramref name="converter"/> (which the server then owns and disposes).</summary>
    public static async Task<VoxTileServer> StartAsync(SpeechSynthesizer tts, VoiceConverter converter, ServerOptions options, Action<string>? log = null)
    {
        log ??= _ => { };
        var frontEnd = TextFrontEnds.For("EN", symbols: tts.Model.Config.Symbols);
        var voices = VoiceStore.Open(options.ResolvedVoicesDirectory, w => log($"warning: {w}"));
        var models = new ModelQueues(tts, converter, options);
        var keys = new ApiKeys(options.ApiKeys);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = options.ShutdownTimeout);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = options.MaxBodyBytes;
            k.AddServerHeader = false;
        });
        builder.WebHost.UseUrls($"http://{(options.Host.Contains(':') ? $"[{options.Host}]" : options.Host)}:{options.Port}");
        builder.Services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(f =>
        {
            f.MultipartBodyLengthLimit = options.MaxBodyBytes;
            f.ValueCountLimit = 64;
        });
        var app = builder.Build();
        var server = new VoxTileServer(app, models, Task.CompletedTask);

        app.UseRouting();
        app.UseHttpMetrics();
        app.Use(ApiErrors.Handle);
        app.Use(keys.Handle);
        app.Use(server.RefuseUntilReady);

        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/readyz", (HttpContext c) => server.Ready ? c.Response.WriteAsync("ready\n")
            : ApiErrors.Write(c, StatusCodes.Status503ServiceUnavailable, "server_error", server._stopping ? "the server is shutting down" : $"not ready: {server._notReady}"));
        app.MapMetrics("/metrics");
        var speech = new SpeechEndpoint(models, voices, options, frontEnd);
        var voiceRoutes = new VoiceEndpoints(models, voices, options);
        var convert = new ConvertEndpoint(models, voices, options);
        app.MapPost("/v1/audio/speech", speech.Handle);
        app.MapPost("/v1/audio/convert", convert.Handle);
        app.MapPost("/v1/voices", voiceRoutes.Create);
        app.MapGet("/v1/voices", voiceRoutes.List);
        app.MapGet("/v1/voices/{id}", voiceRoutes.Get);
        app.MapDelete("/v1/voices/{id}", voiceRoutes.Delete);
        app.MapFallback((HttpContext c) => ApiErrors.Write(c, StatusCodes.Status404NotFound, "not_found_error", $"no route {c.Request.Method} {c.Request.Path}"));

        app.Lifetime.ApplicationStopping.Register(() => server._stopping = true);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Port = new Uri(address).Port;
        log($"listening on {address} ({voices.Count} stored voice{(voices.Count == 1 ? "" : "s")}; {(keys.Required ? "API keys required" : "no API key required")})");
        server.WarmedUp = Task.Run(() => server.WarmUp(log));
        return server;
    }

    private async Task RefuseUntilReady(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Path.StartsWithSegments("/v1") && !Ready)
        {
            context.Response.Headers.RetryAfter = "1";
            await ApiErrors.Write(context, StatusCodes.Status503ServiceUnavailable, "server_error",
                _stopping ? "the server is shutting down" : $"not ready: {_notReady}");
            return;
        }
        await next(context);
    }

    // One short sentence through every stage compiles the plans of the shortest buckets before the first client waits for them.
    private async Task WarmUp(Action<string> log)
    {
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var config = _models.Tts.Model.Config;
            var input = TextUtterances.Build(config, TextFrontEnds.For("EN", symbols: config.Symbols), "Hello.", 0)[0].Input;
            var speech = await _models.Synthesis.Enqueue(new SynthesisJob(input, 1.0), CancellationToken.None);
            var clip = new Models.Audio.AudioClip(speech, _models.Tts.SampleRate, 1, "IEEE float 32-bit");
            if (_models.ModelSamples(clip) >= _models.Converter.Model.MinSamples)
            {
                var se = await _models.Embedding.Enqueue([clip], CancellationToken.None);
                await _models.Conversion.Enqueue(new ConversionJob(clip, se, Models.OpenVoice.ToneColorDefaults.Tau), CancellationToken.None);
            }
            _notReady = null;
            _ready = true;
            log($"ready: models warm in {clock.Elapsed.TotalSeconds:F1} s");
        }
        catch (Exception e)
        {
            _notReady = $"warm-up failed: {e.Message}";
            log($"error: {_notReady}");
        }
    }

    /// <summary>Ends when the host stops (Ctrl+C, SIGTERM, or <see cref="StopAsync"/>).</summary>
    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    /// <summary>Refuses new requests, lets those in flight finish (up to the shutdown timeout), then runs what is queued.</summary>
    public async Task StopAsync()
    {
        _stopping = true;
        await _app.StopAsync();
        await _models.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
        _models.Tts.Dispose();
        _models.Converter.Dispose();
    }
}
