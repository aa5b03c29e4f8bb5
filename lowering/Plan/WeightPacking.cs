using VoxTile.IR;
using VoxTile.IR.Numerics;

namespace VoxTile.Lowering.Plan;

/// <summary>
/// Weights as the device holds them: fp32, bf16 (round to nearest even) or block float, in row-major or TILE order.
/// Block floats are TILE-only, as in TTNN; a block-float conv weight is packed as TTNN prepares it
/// (<see cref="ConvWeightMatrix"/>). Plan weights go through the overloads that take the weight's type.
/// </summary>
public static class WeightPacking
{
    /// <summary>A weight's bytes in the plan: its dtype and layout, in <see cref="ConvWeightMatrix"/> order where that holds.</summary>
    public static byte[] Pack(Tensor t, TensorType type) =>
        ConvWeightMatrix.Holds(type) ? Pack(ConvWeightMatrix.Of(t), type.DType, Layout.Tile) : Pack(t, type.DType, type.Layout ?? Layout.RowMajor);

    /// <summary>A plan weight's values, in its logical shape.</summary>
    public static Tensor Unpack(ReadOnlySpan<byte> bytes, TensorType type)
    {
        var shape = type.Shape.ToArray();
        return ConvWeightMatrix.Holds(type)
            ? ConvWeightMatrix.Weight(Unpack(bytes, ConvWeightMatrix.Shape(shape), type.DType, Layout.Tile), shape)
            : Unpack(bytes, shape, type.DType, type.Layout ?? Layout.RowMajor);
    }

    /// <summary>How many bytes <see cref="Pack(Tensor, TensorType)"/> writes for a weight of this type.</summary>
    public static long PackedBytes(TensorType type)
    {
        var layout = type.Layout ?? Layout.RowMajor;
        var shape = ConvWeightMatrix.Holds(type) ? ConvWeightMatrix.Shape(type.Shape.ToArray()) : type.Shape.ToArray();
        return layout == Layout.Tile
            ? TileLayout.TileCount(shape) * TileLayout.TileBytes(type.DType)
            : Tensor.Count(shape) * (type.DType == DType.BF16 ? 2 : 4);
    }

    public static byte[] Pack(Tensor t, DType dtype, Layout layout)
    {
        if (dtype is DType.BFP8_B or DType.BFP4_B && layout != Layout.Tile)
            throw new ArgumentException($"{dtype.Name()} needs the TILE layout");
        var values = layout == Layout.Tile ? TileLayout.Tilize(t.Data, t.Shape) : t.Data;
        switch (dtype)
        {
            case DType.F32:
                {
                    var b = new byte[values.Length * 4];
                    Buffer.BlockCopy(values, 0, b, 0, b.Length);
                    return b;
                }
            case DType.BF16:
                {
                    var b = new byte[values.Length * 2];
                    for (int i = 0; i < values.Length; i++)
                    {
                        ushort v = BFloat16.FromFloat(values[i]);
                        b[2 * i] = (byte)v;
                        b[2 * i + 1] = (byte)(v >> 8);
                    }
                    return b;
                }
            case DType.BFP8_B:
            case DType.BFP4_B:
                return BlockFloat.Pack(values, dtype);
            default:
                throw new ArgumentException($"weights cannot be packed as {dtype.Name()}");
        }
    }

    public static Tensor Unpack(ReadOnlySpan<byte> bytes, int[] shape, DType dtype, Layout layout)
    {
        float[] values;
        long count = layout == Layout.Tile ? TileLayout.TileCount(shape) * 1024 : Tensor.Count(shape);
        switch (dtype)
        {
            case DType.F32:
                values = new float[count];
                Buffer.BlockCopy(bytes.ToArray(), 0, values, 0, (int)count * 4);
                break;
            case DType.BF16:
                values = new float[count];
                for (int i = 0; i < count; i++) values[i] = BFloat16.ToFloat((ushort)(bytes[2 * i] | bytes[2 * i + 1] << 8));
                break;
            case DType.BFP8_B:
            case DType.BFP4_B:
                values = BlockFloat.Unpack(bytes, dtype, (int)(count / 1024));
                break;
            default:
                throw new ArgumentException($"cannot unpack {dtype.Name()}");
        }
        return new Tensor(shape, layout == Layout.Tile ? TileLayout.Untilize(values, shape) : values);
    }
}
