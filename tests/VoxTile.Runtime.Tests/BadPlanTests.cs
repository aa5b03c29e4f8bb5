using System.Buffers.Binary;
using System.Security.Cryptography;
using VoxTile.IR;
using VoxTile.Lowering.Plan;
using VoxTile.Lowering.Targets;
using VoxTile.Runtime.Execution;

namespace VoxTile.Runtime.Tests;

/// <summary>Plans this runtime cannot run as written are refused before they run, with one line naming the cause.</summary>
public sealed class BadPlanTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("voxtile-badplan-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(DevicePlan plan, string name = "p.vtp")
    {
        var path = Path.Combine(_dir, name);
        PlanFile.Write(path, plan);
        return path;
    }

    private static DevicePlan Relu(string target = "wormhole_n150") =>
        SyntheticPlans.Unary("ttnn.relu", "bf16[1,1,64,64]{tile,dram}", "bf16[1,1,64,64]{tile,dram}", target);

    [Fact]
    public void AGoodPlanLoads() => Assert.Single(PlanLoader.Load(Write(Relu()), TargetSpec.WormholeN150).Ops, o => o is not null);

    [Fact]
    public void APlanFromAnotherVersionIsRefused()
    {
        var path = Write(Relu());
        var bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), DevicePlan.CurrentFormat + 1);
        SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32)).CopyTo(bytes.AsSpan(bytes.Length - 32)); // a well-formed file of the other version
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<VoxTileException>(() => PlanLoader.Load(path, TargetSpec.WormholeN150));
        Assert.Contains(path, e.Message);
        Assert.Contains($"plan format {DevicePlan.CurrentFormat + 1}", e.Message);
    }

    [Fact]
    public void ACorruptedPlanIsRefused()
    {
        var path = Write(Relu());
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x5A;
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<VoxTileException>(() => PlanLoader.Load(path, TargetSpec.WormholeN150));
        Assert.Contains("corrupted", e.Message);
    }

    [Fact]
    public void ATruncatedPlanIsRefused()
    {
        var path = Write(Relu());
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 40)]);
        Assert.Throws<VoxTileException>(() => PlanLoader.Load(path, TargetSpec.WormholeN150));
    }

    [Fact]
    public void APlanForAnotherTargetIsRefused()
    {
        var path = Write(Relu("blackhole_p150"));
        var e = Assert.Throws<VoxTileException>(() => PlanLoader.Load(path, TargetSpec.WormholeN150));
        Assert.Contains("blackhole_p150", e.Message);
        Assert.Contains("wormhole_n150", e.Message);
    }

    [Fact]
    public void AnUnknownOpIsRefused()
    {
        var plan = Relu() with { Steps = [new PlanStep { Op = "ttnn.frobnicate", Inputs = [0], Output = 1 }] };
        var e = Assert.Throws<VoxTileException>(() => PlanLoader.Load(Write(plan), TargetSpec.WormholeN150));
        Assert.Contains("ttnn.frobnicate", e.Message);
    }

    [Fact]
    public void AStepWhoseTypesDisagreeIsRefused()
    {
        var plan = SyntheticPlans.Unary("ttnn.relu", "bf16[1,1,64,64]{tile,dram}", "bf16[1,1,64,32]{tile,dram}");
        var e = Assert.Throws<VoxTileException>(() => PlanLoader.Load(Write(plan), TargetSpec.WormholeN150));
        Assert.Contains("corrupted device plan", e.Message);
        Assert.Contains("%y", e.Message);
    }

    [Fact]
    public void AnUnreadableTypeIsRefused()
    {
        var plan = SyntheticPlans.Unary("ttnn.relu", "bf16[1,1,64,64]{tile,dram}", "bf16[1,1,64,64]{tile,somewhere}");
        var e = Assert.Throws<VoxTileException>(() => PlanLoader.Load(Write(plan), TargetSpec.WormholeN150));
        Assert.Contains("unreadable type", e.Message);
    }
}
