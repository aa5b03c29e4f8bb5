using VoxTile.IR;
using VoxTile.Lowering.Targets;
using VoxTile.Models.Device;
using VoxTile.Runtime.Cache;

namespace VoxTile.Models.Api;

/// <summary>
/// How <see cref="VoiceConverter"/>, <see cref="SpeechSynthesizer"/> and <see cref="VoiceCloner"/> run their models:
/// the command line's <c>--backend</c>, <c>--dtype</c>, <c>--target</c>, <c>--threads</c> and <c>--allow-host</c>, and where
/// compiled plans are kept. Bad values are refused by <c>Load</c> with a <see cref="VoxTileException"/>.
/// </summary>
public sealed record PipelineOptions
{
    public BackendKind Backend { get; init; } = BackendKind.Device;

    /// <summary>Device: bf16 (the default), bfp8_b (block-float weights, bf16 activations) or f32.</summary>
    public string DType { get; init; } = "bf16";

    /// <summary>
    /// Device: the target the plans are compiled for; null is the default, cpu (the CPU runtime's fused plans, the fastest
    /// here). A card's target (wormhole_n150, wormhole_n300, blackhole_p150) runs the plan that card would run, unchanged.
    /// </summary>
    public string? Target { get; init; }

    /// <summary>Device: kernel threads; 0 is one per core.</summary>
    public int Threads { get; init; }

    /// <summary>Device: where compiled plans are kept; null is <c>$VOXTILE_CACHE/plans</c>, else <c>~/.cache/voxtile/plans</c>.</summary>
    public string? PlanCacheDirectory { get; init; }

    /// <summary>Device: false compiles every plan again instead of reading and writing the cache.</summary>
    public bool CachePlans { get; init; } = true;

    /// <summary>
    /// Device: let a plan step with no native kernel run the op's fp32 reference on the host (the command line's
    /// <c>--allow-host</c>); by default such a plan is refused with the op named.
    /// </summary>
    public bool AllowHost { get; init; }

    /// <summary>Where notes go (compiling a plan, a cache problem); null drops them.</summary>
    public Action<string>? Log { get; init; }

    public static PipelineOptions Default { get; } = new();

    /// <summary>The device backends' options, checked; null for the reference backend.</summary>
    public DeviceBackendOptions? ToDeviceOptions()
    {
        if (Threads < 0) throw new VoxTileException($"threads must be ≥ 0, got {Threads}");
        if (Backend == BackendKind.Reference) return null;
        if (Backend != BackendKind.Device) throw new VoxTileException($"unknown backend {Backend}");
        var options = new DeviceBackendOptions
        {
            DType = DType,
            Threads = Threads,
            AllowHost = AllowHost,
            Cache = !CachePlans ? null : PlanCacheDirectory is { } dir ? new PlanCache(dir) : PlanCache.Default(),
            Note = Log,
        };
        if (Target is { } target) options = options with { Target = TargetSpec.Parse(target) };
        _ = options.DTypes; // refuses an unknown dtype now rather than at the first plan
        return options;
    }
}
