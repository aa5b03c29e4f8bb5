using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using VoxTile.IR;

namespace VoxTile.Server.LoadTest;

/// <summary>
/// <c>voxtile loadtest</c>: <see cref="LoadTestOptions.Concurrency"/> clients send <see cref="LoadTestOptions.Requests"/>
/// requests in all to one server, each reading its whole answer (timing the first audio byte), and every answer is
/// checked to be complete audio (<see cref="AudioCheck"/>). Nothing is retried: a refusal is counted by its status.
/// </summary>
public sealed class LoadTester(LoadTestOptions options, Action<string>? log = null)
{
    private readonly Action<string> _log = log ?? (_ => { });

    public async Task<LoadReport> RunAsync(CancellationToken token = default)
    {
        options.Validate();
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(token);
        bound.CancelAfter(TimeSpan.FromSeconds(options.Seconds));
        using var client = Client();
        await WaitUntilReady(client, bound.Token);
        string? voice = options.Route == LoadRoute.Convert || options.Voice is null ? await StoreVoice(client, bound.Token) : options.Voice;
        double sourceSeconds = options.Route == LoadRoute.Convert ? Models.Audio.WavFile.Read(new MemoryStream(options.Source), "--source").Duration : 0;

        var results = new RequestResult[options.Requests];
        int next = -1;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(async () =>
        {
            for (int i; (i = Interlocked.Increment(ref next)) < options.Requests && !bound.IsCancellationRequested;)
                results[i] = await Send(client, voice!, sourceSeconds, bound.Token);
        }));
        await Task.WhenAll(workers);
        var wall = clock.Elapsed.TotalSeconds;
        return new LoadReport(options, [.. results.Where(r => r is not null)], wall);
    }

    private HttpClient Client()
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = options.Concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        var client = new HttpClient(handler) { BaseAddress = options.Url, Timeout = Timeout.InfiniteTimeSpan };
        if (options.ApiKey is { Length: > 0 } key) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    // A server still compiling its plans answers 503; the load starts once it is ready (within the time bound).
    private async Task WaitUntilReady(HttpClient client, CancellationToken token)
    {
        for (bool told = false; ; told = true)
        {
            try
            {
                using var ready = await client.GetAsync("readyz", token);
                if (ready.IsSuccessStatusCode) return;
                if (ready.StatusCode is System.Net.HttpStatusCode.Unauthorized)
                    throw new VoxTileException($"{options.Url} refused the key (401): give --api-key KEY");
                if (!told) _log($"waiting for {options.Url} to be ready ({(int)ready.StatusCode})");
            }
            catch (HttpRequestException e) when (!token.IsCancellationRequested)
            {
                throw new VoxTileException($"no server at {options.Url}: {e.Message}");
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                throw new VoxTileException($"{options.Url} was not ready within --seconds {options.Seconds}");
            }
            try { await Task.Delay(500, token); }
            catch (OperationCanceledException) { throw new VoxTileException($"{options.Url} was not ready within --seconds {options.Seconds}"); }
        }
    }

    // The target voice is stored once, as a server's users would: the load is the cloning, not the embedding.
    private async Task<string> StoreVoice(HttpClient client, CancellationToken token)
    {
        using var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(options.Reference);
        part.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        form.Add(part, "file", "reference.wav");
        using var response = await client.PostAsync("v1/voices", form, token);
        var body = await response.Content.ReadAsStringAsync(token);
        if (!response.IsSuccessStatusCode) throw new VoxTileException($"storing the reference voice failed ({(int)response.StatusCode}): {OneLine(body)}");
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
        _log($"stored the reference as voice {id}");
        return id;
    }

    private HttpRequestMessage Request(string voice)
    {
        if (options.Route == LoadRoute.Speech)
        {
            var json = JsonSerializer.Serialize(new Dictionary<string, object> { ["model"] = "voxtile", ["input"] = options.Text, ["voice"] = voice, ["response_format"] = options.Format });
            return new HttpRequestMessage(HttpMethod.Post, "v1/audio/speech") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        }
        var form = new MultipartFormDataContent();
        var source = new ByteArrayContent(options.Source);
        source.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        form.Add(source, "source", "source.wav");
        form.Add(new StringContent(voice), "voice");
        return new HttpRequestMessage(HttpMethod.Post, "v1/audio/convert") { Content = form };
    }

    private async Task<RequestResult> Send(HttpClient client, string voice, double sourceSeconds, CancellationToken token)
    {
        var clock = Stopwatch.StartNew();
        double? firstAudio = null;
        int status = 0;
        try
        {
            using var request = Request(voice);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);
            status = (int)response.StatusCode;
            using var body = new MemoryStream();
            await using var stream = await response.Content.ReadAsStreamAsync(token);
            int header = response.Content.Headers.ContentType?.MediaType == "audio/wav" ? AudioCheck.HeaderBytes : 0;
            var buffer = new byte[1 << 16];
            for (int n; (n = await stream.ReadAsync(buffer, token)) > 0;)
            {
                body.Write(buffer, 0, n);
                if (firstAudio is null && response.IsSuccessStatusCode && body.Length > header) firstAudio = clock.Elapsed.TotalSeconds;
            }
            double latency = clock.Elapsed.TotalSeconds;
            if (!response.IsSuccessStatusCode) return new RequestResult(status, latency, null, 0, ErrorMessage(body.ToArray()));
            if (response.Content.Headers.ContentLength is { } length && length != body.Length)
                return RequestResult.Corrupt(status, latency, firstAudio, $"{body.Length} bytes of a Content-Length of {length}");
            var problem = Check(response, body.GetBuffer().AsSpan(0, (int)body.Length), sourceSeconds, out double seconds);
            return problem is null ? new RequestResult(status, latency, firstAudio, seconds, null) : RequestResult.Corrupt(status, latency, firstAudio, problem);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return RequestResult.Unfinished(status, clock.Elapsed.TotalSeconds);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            // A connection refused, reset, or cut mid-stream (the server's way of saying the audio it began is not whole).
            return RequestResult.Lost(status, clock.Elapsed.TotalSeconds, $"{e.GetType().Name}: {OneLine(e.Message)}");
        }
    }

    private string? Check(HttpResponseMessage response, ReadOnlySpan<byte> body, double sourceSeconds, out double seconds)
    {
        seconds = 0;
        int? named = response.Headers.TryGetValues("X-Sample-Rate", out var values)
            && int.TryParse(values.First(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var r) ? r : null;
        int samples, rate;
        string? problem;
        if (response.Content.Headers.ContentType?.MediaType == "audio/wav") problem = AudioCheck.Wav(body, named, out samples, out rate);
        else if (options.Route == LoadRoute.Speech && options.Format == "pcm" && named is { } pcmRate)
        {
            problem = AudioCheck.Pcm(body, out samples);
            rate = pcmRate;
        }
        else return $"unexpected content type {response.Content.Headers.ContentType?.MediaType ?? "none"}";
        if (problem is not null) return problem;
        seconds = (double)samples / rate;
        return options.Route == LoadRoute.Convert ? AudioCheck.SameLength(seconds, sourceSeconds) : null;
    }

    private static string ErrorMessage(byte[] body)
    {
        try { return JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("message").GetString() ?? "(no message)"; }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return $"not OpenAI's error shape: {OneLine(Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 120)))}";
        }
    }

    private static string OneLine(string s) => s.ReplaceLineEndings(" ").Trim();
}
