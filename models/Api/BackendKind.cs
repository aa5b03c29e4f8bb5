namespace VoxTile.Models.Api;

/// <summary>What runs a model's graphs.</summary>
public enum BackendKind
{
    /// <summary>Compiled to a TTNN device plan (cached) and run on the CPU runtime with the device's numerics.</summary>
    Device,

    /// <summary>The fp32 reference interpreter: the oracle, slow at full size.</summary>
    Reference,
}
