using VoxTile.IR;
using VoxTile.Lowering.Targets;

namespace VoxTile.Lowering.Emit;

/// <summary>How the IR's dtypes, layouts and placements are spelled in ttnn's Python API (../shared/spec/ttnn-api.json).</summary>
public static class TtnnSpelling
{
    public static string DType(DType t) => t switch
    {
        IR.DType.F32 => "ttnn.float32",
        IR.DType.BF16 => "ttnn.bfloat16",
        IR.DType.BFP8_B => "ttnn.bfloat8_b",
        IR.DType.BFP4_B => "ttnn.bfloat4_b",
        IR.DType.U32 => "ttnn.uint32",
        IR.DType.I32 => "ttnn.int32",
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };

    public static string Layout(Layout l) => l == IR.Layout.Tile ? "ttnn.TILE_LAYOUT" : "ttnn.ROW_MAJOR_LAYOUT";

    public static string MemoryLayout(TensorMemoryLayout l) => l switch
    {
        TensorMemoryLayout.Interleaved => "ttnn.TensorMemoryLayout.INTERLEAVED",
        TensorMemoryLayout.HeightSharded => "ttnn.TensorMemoryLayout.HEIGHT_SHARDED",
        TensorMemoryLayout.WidthSharded => "ttnn.TensorMemoryLayout.WIDTH_SHARDED",
        _ => "ttnn.TensorMemoryLayout.BLOCK_SHARDED",
    };

    public static string Buffer(BufferType b) => b == BufferType.Dram ? "ttnn.BufferType.DRAM" : "ttnn.BufferType.L1";

    public static string Fidelity(MathFidelity f) => f switch
    {
        MathFidelity.LoFi => "ttnn.MathFidelity.LoFi",
        MathFidelity.HiFi2 => "ttnn.MathFidelity.HiFi2",
        MathFidelity.HiFi3 => "ttnn.MathFidelity.HiFi3",
        _ => "ttnn.MathFidelity.HiFi4",
    };

    /// <summary>The numpy dtype a host array of <paramref name="t"/> is built from before <c>torch.from_numpy</c>.</summary>
    public static string NumpyDType(DType t) => t is IR.DType.U32 or IR.DType.I32 ? "np.int32" : "np.float32";
}
