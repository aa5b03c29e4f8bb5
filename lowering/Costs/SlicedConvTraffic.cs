using VoxTile.IR;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.Lowering.Planning;

namespace VoxTile.Lowering.Costs;

/// <summary>
/// DRAM bytes a conv that TTNN slices through DRAM moves beyond reading its input and writing its output once (which
/// <see cref="CostModel"/> counts from their placements): every slice after the first reads the prepared weights
/// again, and the input rows of the halo between two slices are read by both.
/// </summary>
internal static class SlicedConvTraffic
{
    public static long RepeatedBytes(Node n)
    {
        if (!ConvSlicing.IsDramSliced(n.Op) || n.Inputs.Length < 2) return 0;
        var (slices, overlap, positions) = n.Op switch
        {
            Conv1d c => (c.NumSlices, (long)c.Dilation * (c.KernelSize - 1), (long)c.BatchSize * c.InputLength),
            Conv2d { SliceType: ConvSliceType.Height } c => (c.NumSlices, (long)c.Dilation[0] * (c.KernelSize[0] - 1) * c.InputWidth, (long)c.BatchSize * c.InputHeight * c.InputWidth),
            Conv2d c => (c.NumSlices, (long)c.Dilation[1] * (c.KernelSize[1] - 1) * c.InputHeight, (long)c.BatchSize * c.InputHeight * c.InputWidth),
            _ => (1, 0L, 1L),
        };
        var weight = n.Inputs[1].Type;
        long weightBytes = weight.Memory is null ? TensorFootprint.PackedBytes(weight) : TensorFootprint.TotalBytes(weight);
        long haloBytes = TensorFootprint.TotalBytes(n.Inputs[0].Type) * overlap / Math.Max(1, positions);
        return (slices - 1) * (weightBytes + haloBytes);
    }
}
