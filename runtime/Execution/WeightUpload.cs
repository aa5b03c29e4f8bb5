using System.Runtime.InteropServices;
using VoxTile.IR;
using VoxTile.Lowering.Plan;

namespace VoxTile.Runtime.Execution;

/// <summary>
/// Writes a weight from the plan's blob into device memory. The blob is packed by <see cref="WeightPacking"/>,
/// which tiles the 2-D view of the whole tensor; the kernels (like TTNN) pad each matrix of a batched TILE tensor
/// separately. Where the two agree (ROW_MAJOR, or one matrix, or whole tile rows) the bytes are copied as they are;
/// otherwise (or when the executor holds the tensor in another layout) the weight is unpacked and written again in the
/// held order (exact: the values are representable). A block-float conv weight (<see cref="ConvWeightMatrix"/>) is
/// always unpacked: the executor holds it as f32 values in the conv's own shape.
/// </summary>
internal static unsafe class WeightUpload
{
    public static void Write(DeviceTensor t, TensorType planned, ReadOnlySpan<byte> packed)
    {
        var layout = planned.Layout ?? Layout.RowMajor;
        if (layout == t.Layout && t.DType == planned.DType && !ConvWeightMatrix.Holds(planned) && SameOrder(t.Shape, t.Layout) && packed.Length == t.Buffer.Bytes)
        {
            packed.CopyTo(new Span<byte>((void*)t.Data, packed.Length));
            return;
        }
        var values = WeightPacking.Unpack(packed, planned);
        t.Upload(values.Data);
    }

    private static bool SameOrder(int[] shape, Layout layout)
    {
        if (layout == Layout.RowMajor || shape.Length <= 2) return true;
        long lead = 1;
        for (int i = 0; i < shape.Length - 2; i++) lead *= shape[i];
        return lead == 1 || shape[^2] % 32 == 0;
    }
}
