using VoxTile.Models.Device;
using VoxTile.Runtime.Cache;
using VoxTile.Testing;

namespace VoxTile.Models.Tests.Device;

/// <summary>Converting again reads the plan compiled the first time; a cached plan that no longer reads is compiled again.</summary>
[Collection(DeviceRuns.Name)]
public sealed class DevicePlanCacheTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("voxtile-cache-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [GoldenFact("converter-tiny")]
    public void ASecondConversionHitsTheCache()
    {
        var cache = new PlanCache(_dir);
        using (var first = new DeviceConverterBackend(new DeviceBackendOptions { Cache = cache }))
            Goldens.Convert("converter-tiny", first);
        Assert.Equal((0, 1), (cache.Hits, cache.Misses));
        Assert.Single(Directory.GetFiles(_dir, "*.vtp"));
        using (var second = new DeviceConverterBackend(new DeviceBackendOptions { Cache = cache }))
            Goldens.Convert("converter-tiny", second);
        Assert.Equal((1, 1), (cache.Hits, cache.Misses));
    }

    [GoldenFact("converter-tiny")]
    public void AnUnreadableCachedPlanIsCompiledAgain()
    {
        var cache = new PlanCache(_dir);
        using (var first = new DeviceConverterBackend(new DeviceBackendOptions { Cache = cache }))
            Goldens.Convert("converter-tiny", first);
        var file = Directory.GetFiles(_dir, "*.vtp").Single();
        File.WriteAllBytes(file, [1, 2, 3]);
        var notes = new List<string>();
        using (var second = new DeviceConverterBackend(new DeviceBackendOptions { Cache = cache, Note = notes.Add }))
            Goldens.Convert("converter-tiny", second);
        Assert.Equal((0, 2), (cache.Hits, cache.Misses));
        Assert.Contains(notes, n => n.Contains("unreadable"));
    }
}
