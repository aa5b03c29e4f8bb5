using System.Net;

namespace VoxTile.Server.Tests;

/// <summary>Servers of their own: a full queue, a deadline, and a restart that keeps the voices but never a torn file.</summary>
public sealed class LifecycleTests
{
    private static HttpClient Client(VoxTileServer server) => new() { BaseAddress = new Uri($"http://127.0.0.1:{server.Port}") };

    [Fact]
    public async Task AFullQueueIs429AndALateRequestIs504()
    {
        var dir = Path.Combine(TinyModels.Root, "voices-" + Guid.NewGuid().ToString("N"));
        await using (var server = await TinyModels.Start(new ServerOptions { VoicesDirectory = dir, MaxQueue = 1, MaxBatch = 2, BatchWindow = TimeSpan.FromMilliseconds(500) }))
        {
            using var client = Client(server);
            // Two sentences are two jobs; a queue of one holds the first (waiting for a batch mate) and refuses the second.
            using var busy = await Http.Speech(client, "First sentence. Second sentence.");
            await Http.AssertError(busy, HttpStatusCode.TooManyRequests);
            Assert.Equal(TimeSpan.FromSeconds(1), busy.Headers.RetryAfter?.Delta);
            // The refused request's first sentence left the queue with it: the next request is served.
            using var ok = await Http.Speech(client, "Just one.");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        await using (var server = await TinyModels.Start(new ServerOptions { VoicesDirectory = dir, RequestTimeout = TimeSpan.FromMilliseconds(1), BatchWindow = TimeSpan.FromMilliseconds(50) }))
        {
            using var client = Client(server);
            Assert.Contains("deadline", await Http.AssertError(await Http.Speech(client, "Too slow."), HttpStatusCode.GatewayTimeout));
        }
    }

    [Fact]
    public async Task ARestartKeepsTheVoicesAndDropsTornFiles()
    {
        var dir = Path.Combine(TinyModels.Root, "voices-" + Guid.NewGuid().ToString("N"));
        var options = new ServerOptions { VoicesDirectory = dir, ApiKeys = ["k"] };
        string id;
        await using (var first = await TinyModels.Start(options))
        {
            using var client = Client(first);
            client.DefaultRequestHeaders.Authorization = new("Bearer", "k");
            id = await Http.CreateVoice(client, Http.Wav(1.0, seed: 9));
        }
        // What a crash could leave: a temporary file mid-write, and a voice file cut short by a writer that did not rename.
        var owner = Path.Combine(dir, VoxTile.Server.Http.ApiKeys.OwnerOf("k"));
        var whole = File.ReadAllText(Path.Combine(owner, id + ".json"));
        File.WriteAllText(Path.Combine(owner, $"{new string('d', 32)}.{Guid.NewGuid():N}.tmp"), whole[..(whole.Length / 2)]);
        File.WriteAllText(Path.Combine(owner, new string('e', 32) + ".json"), whole[..(whole.Length / 2)]);

        await using var second = await TinyModels.Start(options);
        using var again = Client(second);
        again.DefaultRequestHeaders.Authorization = new("Bearer", "k");
        var list = await again.GetStringAsync("/v1/voices");
        Assert.Contains(id, list);
        Assert.DoesNotContain(new string('e', 32), list);
        Assert.DoesNotContain(new string('d', 32), list);
        Assert.Empty(Directory.GetFiles(owner, "*.tmp"));
        Assert.Equal(HttpStatusCode.OK, (await Http.Speech(again, "Still here.", voice: id)).StatusCode);
    }
}
