using System.CommandLine;
using VoxTile.Cli.Usage;
using VoxTile.IR;
using VoxTile.Models.Api;
using VoxTile.Server;

namespace VoxTile.Cli.Commands;

/// <summary>
/// <c>voxtile serve</c>: MeloTTS and the tone color converter behind an HTTP API (OpenAI's speech endpoint, a voice
/// store, conversion), loaded once, with requests for the same plan batched. Runs until Ctrl+C or SIGTERM, then
/// finishes what is in flight.
/// </summary>
internal static class ServeCommand
{
    public const string ApiKeyVariable = "VOXTILE_API_KEY";

    public static Command Create()
    {
        var tts = new Option<string?>("--tts") { Description = "MeloTTS folder (config.json + checkpoint.pth)" };
        var converter = new Option<string?>("--converter") { Description = "Converter folder (OpenVoice V2's checkpoints_v2/converter)" };
        var demo = new Option<bool>("--demo") { Description = "Serve random-weight models of the released sizes (nothing downloaded; the audio is not speech)" };
        var host = new Option<string>("--host") { Description = "Address to listen on", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Port to listen on (0 picks a free one)", DefaultValueFactory = _ => 8000 }.Within(0, 65535);
        var keys = new Option<string[]>("--api-key") { Description = $"A key callers give as Authorization: Bearer KEY (repeatable; or {ApiKeyVariable}); each key sees only its own voices" };
        var voices = new Option<string?>("--voices") { Description = "Where stored voices are kept (default $VOXTILE_CACHE/voices, else ~/.cache/voxtile/voices)" };
        var maxBatch = new Option<int>("--max-batch") { Description = "The most requests for one plan run as one batch", DefaultValueFactory = _ => 8 }.Within(1, 64);
        var maxQueue = new Option<int>("--max-queue") { Description = "The most jobs waiting per stage; beyond it requests get 429", DefaultValueFactory = _ => 64 }.Within(1, 100_000);
        var timeout = new Option<double>("--request-timeout") { Description = "Seconds a request may take before it gets 504", DefaultValueFactory = _ => 120 }.Within(0.0, 86_400, minExclusive: true);
        var dev = new DeviceOptions();
        var cmd = new Command("serve", "Serve speech, voice cloning and conversion over HTTP (OpenAI-compatible /v1/audio/speech), batching requests") { tts, converter, demo, host, port, keys, voices, maxBatch, maxQueue, timeout };
        foreach (var o in new Option[] { dev.Backend, dev.DType, dev.Target, dev.Threads, dev.AllowHost }) cmd.Options.Add(o);
        cmd.SetAction(r => CommandRunner.Run(() =>
        {
            bool isDemo = r.GetValue(demo);
            if (!isDemo && (r.GetValue(tts) is null || r.GetValue(converter) is null))
                throw new VoxTileException("give --tts MELO_DIR and --converter CONV_DIR, or --demo for random-weight models");
            var melo = MeloOptions.LoadModel(r.GetValue(tts), isDemo, "--tts");
            var conv = ModelOptions.Load(r.GetValue(converter), isDemo, "--converter");
            var device = dev.Build(r, out _);
            var apiKeys = (r.GetValue(keys) ?? []).ToList();
            if (Environment.GetEnvironmentVariable(ApiKeyVariable) is { Length: > 0 } envKey) apiKeys.Add(envKey);
            var options = new ServerOptions
            {
                Host = r.GetValue(host)!,
                Port = r.GetValue(port),
                ApiKeys = apiKeys,
                VoicesDirectory = r.GetValue(voices),
                MaxBatch = r.GetValue(maxBatch),
                MaxQueue = r.GetValue(maxQueue),
                RequestTimeout = TimeSpan.FromSeconds(r.GetValue(timeout)),
            };
            var server = VoxTileServer.StartAsync(SpeechSynthesizer.Create(melo, device), VoiceConverter.Create(conv, device), options,
                line => Console.Error.WriteLine($"voxtile: serve: {line}")).GetAwaiter().GetResult();
            try { server.WaitForShutdownAsync().GetAwaiter().GetResult(); }
            finally { server.DisposeAsync().AsTask().GetAwaiter().GetResult(); }
            return 0;
        }));
        return cmd;
    }
}
