using System.CommandLine;
using VoxTile.Cli.Usage;
using VoxTile.IR;
using VoxTile.Server.LoadTest;

namespace VoxTile.Cli.Commands;

/// <summary>
/// <c>voxtile loadtest</c>: many concurrent requests to a <c>voxtile serve</c> on this machine, bounded in count and
/// time; prints throughput, latency and time-to-first-audio percentiles, errors by status, and any answer that was not
/// whole audio. Exits 0 only when every request came back as complete audio.
/// </summary>
internal static class LoadTestCommand
{
    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "The server (loopback only: 127.0.0.1, ::1 or localhost)", DefaultValueFactory = _ => "http://127.0.0.1:8000" };
        var concurrency = new Option<int>("--concurrency") { Description = "Requests in flight at once", DefaultValueFactory = _ => 4 }.Within(1, LoadTestOptions.MaxConcurrency);
        var requests = new Option<int>("--requests") { Description = "Requests in all", DefaultValueFactory = _ => 16 }.Within(1, LoadTestOptions.MaxRequests);
        var seconds = new Option<double>("--seconds") { Description = "Stop after this many seconds (waiting for readiness included); requests still running are counted unfinished", DefaultValueFactory = _ => 600 }.Within(0.0, LoadTestOptions.MaxSeconds, minExclusive: true);
        var route = new Option<string>("--route") { Description = "speech (POST /v1/audio/speech) or convert (POST /v1/audio/convert to a voice stored once)", DefaultValueFactory = _ => "speech" };
        route.AcceptOnlyFromAmong("speech", "convert");
        var text = new Option<string?>("--text") { Description = "Speech: the text each request speaks (default three sentences)" };
        var voice = new Option<string?>("--voice") { Description = "Speech: a base speaker or stored voice id (default EN-US); 'clone' stores the reference and speaks in it", DefaultValueFactory = _ => "EN-US" };
        var format = new Option<string>("--format") { Description = "Speech: wav or pcm", DefaultValueFactory = _ => "wav" };
        format.AcceptOnlyFromAmong("wav", "pcm");
        var source = new Option<string?>("--source") { Description = "Convert: the WAV each request converts (default a speech-like signal of --source-seconds)" };
        var sourceSeconds = new Option<double>("--source-seconds") { Description = "Convert: the generated source's length", DefaultValueFactory = _ => 5 }.Within(0.1, 120);
        var reference = new Option<string?>("--reference") { Description = "The WAV stored once as the target voice (default a generated 3 s signal)" };
        var key = new Option<string?>("--api-key") { Description = $"Sent as Authorization: Bearer KEY (default {ServeCommand.ApiKeyVariable})" };
        var cmd = new Command("loadtest", "Load a voxtile server on this machine with concurrent speech or convert requests and check every answer is whole audio")
            { url, concurrency, requests, seconds, route, text, voice, format, source, sourceSeconds, reference, key };
        cmd.SetAction(r => CommandRunner.Run(() =>
        {
            if (!Uri.TryCreate(r.GetValue(url), UriKind.Absolute, out var address)) throw new VoxTileException($"--url '{r.GetValue(url)}' is not an absolute URL");
            var options = new LoadTestOptions
            {
                Url = address,
                Concurrency = r.GetValue(concurrency),
                Requests = r.GetValue(requests),
                Seconds = r.GetValue(seconds),
                Route = r.GetValue(route) == "convert" ? LoadRoute.Convert : LoadRoute.Speech,
                Text = r.GetValue(text) ?? LoadTestOptions.ThreeSentences,
                Voice = r.GetValue(voice) is "clone" ? null : r.GetValue(voice),
                Format = r.GetValue(format)!,
                Source = [],
                Reference = [],
                ApiKey = r.GetValue(key) ?? Environment.GetEnvironmentVariable(ServeCommand.ApiKeyVariable),
            };
            options.Validate(); // a URL off this machine is refused before any file is read
            options = options with
            {
                Source = r.GetValue(source) is { } s ? ReadWav(s, "--source") : SpeechLikeSignal.Wav(r.GetValue(sourceSeconds), seed: 1),
                Reference = r.GetValue(reference) is { } f ? ReadWav(f, "--reference") : SpeechLikeSignal.Wav(3, seed: 2),
            };
            var report = new LoadTester(options, line => Console.Error.WriteLine($"voxtile: loadtest: {line}")).RunAsync().GetAwaiter().GetResult();
            Console.WriteLine(report.Text());
            return report.AllComplete ? 0 : ExitCodes.UserError;
        }));
        return cmd;
    }

    private static byte[] ReadWav(string path, string option)
    {
        if (!File.Exists(path)) throw new VoxTileException($"{option} {path}: file not found");
        Models.Audio.WavFile.Read(path); // a file that is not WAV is refused here, not by every request
        return File.ReadAllBytes(path);
    }
}
