using VoxTile.Runtime.Cache;

namespace VoxTile.Runtime.Tests;

/// <summary>What changes a plan changes its cache key (the cache in use: VoxTile.Models.Tests' DevicePlanCacheTests).</summary>
public sealed class PlanCacheTests
{
    [Fact]
    public void TheKeyNamesModelTargetBucketAndDtypes()
    {
        var k = PlanCache.Key("m", "wormhole_n150", 896, "bf16", "bf16");
        Assert.Equal(k, PlanCache.Key("m", "wormhole_n150", 896, "bf16", "bf16"));
        Assert.NotEqual(k, PlanCache.Key("m2", "wormhole_n150", 896, "bf16", "bf16"));
        Assert.NotEqual(k, PlanCache.Key("m", "blackhole_p150", 896, "bf16", "bf16"));
        Assert.NotEqual(k, PlanCache.Key("m", "wormhole_n150", 1024, "bf16", "bf16"));
        Assert.NotEqual(k, PlanCache.Key("m", "wormhole_n150", 896, "bfp8_b", "bf16"));
    }
}
