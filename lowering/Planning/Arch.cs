namespace VoxTile.Lowering.Planning;

/// <summary>The chip architecture of a target: workarounds and engine rates differ between them.</summary>
public enum Arch
{
    Wormhole,
    Blackhole,

    /// <summary>The CPU runtime (no chip: no chip's defects, no NoC).</summary>
    Cpu,
}
