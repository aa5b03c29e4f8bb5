using VoxTile.IR;

namespace VoxTile.Lowering.Targets;

/// <summary>What runs a target's plans: a Tenstorrent card through TTNN, or the CPU runtime alone.</summary>
public enum TargetKind { Tenstorrent, Cpu }

/// <summary>
/// A device as data: core grid, L1 per core, DRAM, clock, and the per-tile costs the planner and the cost model use.
/// The Tenstorrent figures are from ../shared/spec/ttnn-and-tt-mlir.md (tt-metal's own numbers). <see cref="Cpu"/> is
/// the CPU runtime as a target of its own: its plans may fuse whatever the kernels take (see lowering/Rules/Fuse),
/// never reach a card, and have the host's memory as their one "core": nothing is spilled or cut in time.
/// </summary>
public sealed record TargetSpec
{
    public required string Name { get; init; }
    public TargetKind Kind { get; init; } = TargetKind.Tenstorrent;

    /// <summary>Whether a Tenstorrent card runs this target's plans (so every op must be one TTNN runs as such).</summary>
    public bool IsTenstorrent => Kind == TargetKind.Tenstorrent;
    /// <summary>Tensix worker grid of one chip.</summary>
    public required int GridX { get; init; }
    public required int GridY { get; init; }

    /// <summary>
    /// The chips as TTNN opens them (<c>ttnn.MeshShape(rows, cols)</c>): 1×1 for one card of one chip. The planner plans
    /// one chip (every per-chip figure here: grid, L1, DRAM, bandwidth); a data-parallel plan runs that one-chip program
    /// on every chip of the mesh with its share of the batch (ttnn-api-notes §7).
    /// </summary>
    public int MeshRows { get; init; } = 1;
    public int MeshCols { get; init; } = 1;

    /// <summary>Chips in the mesh.</summary>
    public int Chips => MeshRows * MeshCols;

    /// <summary>Whether the target opens several chips (a mesh program: weights replicated, the batch sharded).</summary>
    public bool IsMesh => Chips > 1;

    /// <summary>The architecture family's target of one chip (n300 → n150), what the planner's figures describe.</summary>
    public string ChipName { get; init; } = "";

    /// <summary>L1 SRAM per Tensix core, bytes.</summary>
    public required long L1BytesPerCore { get; init; }

    /// <summary>L1 reserved by firmware and the runtime per core, bytes; the rest is allocatable.</summary>
    public required long L1ReservedPerCore { get; init; }

    /// <summary>Fraction of the allocatable L1 the planner may use (tt-mlir's tensor-l1-usage-cap).</summary>
    public double L1UsageCap { get; init; } = 0.95;

    /// <summary>DRAM of one chip, its banks and bandwidth.</summary>
    public required long DramBytes { get; init; }
    public required int DramBanks { get; init; }
    public required double DramBandwidthBytesPerSecond { get; init; }
    public required double ClockHz { get; init; }

    /// <summary>
    /// The host's PCIe links into the mesh and the rate of one, bytes/s each way: inputs, outputs and weights cross them.
    /// A chip without a link of its own (an n300's second chip, a p300's second) is reached through its card's linked chip
    /// over the on-card Ethernet, which is faster than the link, so the card's traffic shares the one link.
    /// </summary>
    public int PcieLinks { get; init; } = 1;
    public double PcieBytesPerSecond { get; init; }

    /// <summary>Tensix cores of one chip: what one plan spreads over.</summary>
    public int Cores => GridX * GridY;

    /// <summary>Tensix cores of the whole mesh.</summary>
    public int MeshCores => Cores * Chips;

    /// <summary>L1 the planner may place tensors and circular buffers in, per core.</summary>
    public long L1BudgetPerCore => (long)(L1UsageCap * (L1BytesPerCore - L1ReservedPerCore));

    public const int TileSize = 32;

    /// <summary>Bytes of one 32×32 tile in a device dtype (block floats carry one shared exponent per 16 values).</summary>
    public static int TileBytes(DType t) => IR.Numerics.TileLayout.TileBytes(t);

    /// <summary>Matrix-engine cycles for one 32×32×32 tile multiply-accumulate at a fidelity.</summary>
    public static int MatmulCyclesPerTile(MathFidelity f) => f switch
    {
        MathFidelity.LoFi => 16,
        MathFidelity.HiFi2 => 32,
        MathFidelity.HiFi3 => 48,
        _ => 64,
    };

    public static TargetSpec WormholeN150 { get; } = new()
    {
        Name = "wormhole_n150",
        ChipName = "wormhole_n150",
        GridX = 8,
        GridY = 8,
        L1BytesPerCore = 1_499_136,
        L1ReservedPerCore = 1_499_136 - 1_369_120, // ttrt's memory report: 1,369,120 B allocatable per L1 bank
        DramBytes = 12L << 30,
        DramBanks = 12,
        DramBandwidthBytesPerSecond = 288e9,
        ClockHz = 1.0e9,
        // "System Interface: PCI Express 4.0 x16" (docs.tenstorrent.com/aibs/wormhole/specifications.html, every n150/n300
        // card): 16 GT/s × 16 lanes × 128/130 ÷ 8 = 31.5 GB/s each way, the link rate; what a transfer reaches is lower.
        PcieBytesPerSecond = 31.5e9,
    };

    /// <summary>Two Wormhole chips on one card, opened as a 1×2 mesh (tt-metal's n300_mesh_device; notes §7).</summary>
    public static TargetSpec WormholeN300 { get; } = WormholeN150 with { Name = "wormhole_n300", MeshRows = 1, MeshCols = 2 };

    /// <summary>Four n300 cards, eight Wormhole chips, opened as a 1×8 mesh (tt-metal's T3K MESH_DEVICE; notes §7).</summary>
    public static TargetSpec WormholeT3000 { get; } = WormholeN150 with { Name = "wormhole_t3000", MeshRows = 1, MeshCols = 8, PcieLinks = 4 };

    /// <summary>
    /// A Wormhole Galaxy: 32 chips as an 8×4 mesh (tt-metal's TG MESH_DEVICE; notes §7). Every chip of a 6U Galaxy is
    /// PCIe-attached to the host (docs.tenstorrent.com/tt-dra-driver, single-host.html); the width of each link is not
    /// given there and is taken as a card's x16 (optimistic; the transfers are a small term of a run).
    /// </summary>
    public static TargetSpec WormholeGalaxy { get; } = WormholeN150 with { Name = "wormhole_galaxy", MeshRows = 8, MeshCols = 4, PcieLinks = 32 };

    public static TargetSpec BlackholeP150 { get; } = new()
    {
        Name = "blackhole_p150",
        ChipName = "blackhole_p150",
        GridX = 13,
        GridY = 10,
        L1BytesPerCore = 1536 * 1024,
        L1ReservedPerCore = 96 * 1024,
        DramBytes = 32L << 30,
        DramBanks = 8,
        DramBandwidthBytesPerSecond = 512e9,
        ClockHz = 1.35e9,
        // "16 PCIe 5.0 lanes for 500 Gb/s of throughput" (docs.tenstorrent.com/tt-system-firmware, Blackhole cards): 62.5 GB/s.
        PcieBytesPerSecond = 62.5e9,
    };

    /// <summary>
    /// Two Blackhole chips on one card, a 1×2 mesh (tt-metal's P300 MESH_DEVICE; notes §7), each taken as a p150's chip;
    /// the card's one x16 link is taken as shared by both, as on an n300 (inference: the p300's host wiring is not in the spec).
    /// </summary>
    public static TargetSpec BlackholeP300 { get; } = BlackholeP150 with { Name = "blackhole_p300", MeshRows = 1, MeshCols = 2 };

    /// <summary>
    /// The CPU runtime: one "core" whose L1 stands for the host memory the kernels work in (64 GiB, so the planner
    /// never spills or slices in time: the kernels stream through caches themselves), a nominal 3 GHz and 50 GB/s for
    /// the cost model's figures. Its plans run on <c>runtime/</c> only; <c>voxtile emit</c> refuses them.
    /// </summary>
    public static TargetSpec Cpu { get; } = new()
    {
        Name = "cpu",
        ChipName = "cpu",
        Kind = TargetKind.Cpu,
        GridX = 1,
        GridY = 1,
        L1BytesPerCore = 64L << 30,
        L1ReservedPerCore = 0,
        L1UsageCap = 1.0,
        DramBytes = 64L << 30,
        DramBanks = 1,
        DramBandwidthBytesPerSecond = 50e9,
        ClockHz = 3.0e9,
    };

    /// <summary>The Tenstorrent cards a plan can be compiled for and emitted to.</summary>
    public static IReadOnlyList<TargetSpec> Tenstorrent { get; } =
        [WormholeN150, WormholeN300, WormholeT3000, WormholeGalaxy, BlackholeP150, BlackholeP300];

    /// <summary>Every target: the cards and the CPU runtime.</summary>
    public static IReadOnlyList<TargetSpec> All { get; } = [.. Tenstorrent, Cpu];

    public static TargetSpec Parse(string name) =>
        All.FirstOrDefault(t => t.Name == name)
        ?? throw new VoxTileException($"unknown target '{name}' (known: {string.Join(", ", All.Select(t => t.Name))})");
}
