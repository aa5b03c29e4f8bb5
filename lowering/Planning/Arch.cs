namespace VoxTile.Lowering.Planning;

/// <summary>The chip architecture of a target: workarounds and engine rates differ between them.</summary>
public enum Arch
{
    Wormhole,
    Blackhole,
}
