namespace VoxTile.Lowering.Planning;

/// <summary>What a value of the planned graph is, as far as memory goes.</summary>
public enum ValueKind
{
    /// <summary>A graph input: the host writes it to DRAM before the run.</summary>
    Input,

    /// <summary>A posterior-noise draw (<c>nn.randn_like</c>): a plan input the runtime fills from its seed.</summary>
    Noise,

    /// <summary>A weight on the device: DRAM, resident across runs.</summary>
    Weight,

    /// <summary>A weight that stays on the host (conv weights and biases: TTNN prepares them on the first call).</summary>
    HostWeight,

    /// <summary>The result of a ttnn op.</summary>
    Op,

    /// <summary>The result of an op with no device form: it runs on the host, reading and writing DRAM.</summary>
    HostOp,
}
