using VoxTile.IR;
using VoxTile.Lowering.Targets;
using VoxTile.Runtime.Cache;
using VoxTile.Runtime.Execution;

namespace VoxTile.Models.Device;

/// <summary>How <see cref="DeviceConverterBackend"/> compiles and runs the converter.</summary>
public sealed record DeviceBackendOptions
{
    /// <summary>The plan's target: by default the CPU runtime's own (fastest here); a card's plan runs unchanged, as that card would run it.</summary>
    public TargetSpec Target { get; init; } = TargetSpec.Cpu;

    /// <summary>bf16 (the device default), bfp8_b (block-float weights, bf16 activations) or f32 (the fp32 debugging mode).</summary>
    public string DType { get; init; } = "bf16";

    /// <summary>Frames per chunk for inputs longer than one chunk: a multiple of 128 above twice the receptive field.</summary>
    public int ChunkFrames { get; init; } = 1024;

    /// <summary>
    /// Compile a clip that fits one chunk for its exact frame count instead of its 128-frame bucket. The result is the
    /// same either way, up to summation order: the bucket's mask keeps enc_q, the flow and the decoder exact past the
    /// end. An exact plan skips the padded frames' work (up to 127 frames) but is a plan per length, compiled and
    /// cached for each; tests use it to pin a plan to a golden's length.
    /// </summary>
    public bool ExactLength { get; init; }

    public int Threads { get; init; }

    /// <summary>Hold TILE tensors as tiles in host memory (<see cref="ExecutorOptions.PlanLayouts"/>); slower, bit-identical.</summary>
    public bool PlanLayouts { get; init; }

    /// <summary>Check every op against its fp32 reference (<see cref="ReferenceCheck"/>); slow.</summary>
    public bool Check { get; init; }

    public PerfettoTrace? Trace { get; init; }

    /// <summary>Run steps no native kernel runs on the host (<see cref="ExecutorOptions.AllowHost"/>); otherwise such a plan is refused.</summary>
    public bool AllowHost { get; init; }

    /// <summary>Where compiled plans are kept; null compiles every time.</summary>
    public PlanCache? Cache { get; init; }

    /// <summary>Where notes go (compiling, cache problems).</summary>
    public Action<string>? Note { get; init; }

    /// <summary>
    /// Where the stage of slow setup goes, for a progress display rather than a line of its own: "compiling
    /// voice_conversion for 1024 frames: legalize-ttnn (3 of 6)", "loading the plan for …".
    /// </summary>
    public Action<string>? Stage { get; init; }

    public (DType Weights, DType Activations) DTypes => DType switch
    {
        "bf16" => (IR.DType.BF16, IR.DType.BF16),
        "bfp8_b" => (IR.DType.BFP8_B, IR.DType.BF16),
        "f32" => (IR.DType.F32, IR.DType.F32),
        _ => throw new VoxTileException($"--dtype must be bf16, bfp8_b or f32, got '{DType}'"),
    };
}
