namespace VoxTile.IR.Ops.Ttnn;

/// <summary>
/// How TTNN slices a convolution through DRAM (<c>ttnn.Conv2dSliceConfig(slice_type=…, num_slices=…)</c>, the
/// <c>slice_config</c> of <c>ttnn.conv2d</c>; ../shared/spec/ttnn-api.json): the conv reads its input from DRAM and
/// writes its output to DRAM, and runs one slice of the output at a time in L1 (the input rows the slice reads, with
/// their halo, brought in; the slice's output written back). <see cref="Height"/> and <see cref="Width"/> are TTNN's
/// <c>SliceTypeEnum.SliceHeight</c> and <c>SliceWidth</c>: the output axis cut into <c>num_slices</c> ranges.
/// </summary>
public enum ConvSliceType
{
    None,
    Height,
    Width,
}

/// <summary>The slice arithmetic the sliced convs share (TTNN cuts the output axis into near-equal ranges).</summary>
public static class ConvSlicing
{
    /// <summary>Whether <paramref name="op"/> is a conv that TTNN slices through DRAM (its input and output then live in DRAM).</summary>
    public static bool IsDramSliced(Op op) => op is Conv1d { IsDramSliced: true } or Conv2d { IsDramSliced: true };

    /// <summary>Output positions per slice along the sliced axis: ⌈extent / slices⌉ (the last slice may be shorter).</summary>
    public static int SliceExtent(int extent, int slices) => slices <= 1 ? extent : (extent + slices - 1) / slices;

    /// <summary>Input positions one slice of <paramref name="outputs"/> outputs reads: its window, halo included.</summary>
    public static long InputExtent(long outputs, int stride, int dilation, int kernel) => (outputs - 1) * stride + (long)dilation * (kernel - 1) + 1;

    /// <summary>Why the slice attributes do not hold, or null: no slicing is (None, 0); slicing needs 2 ≤ num_slices ≤ the extent.</summary>
    public static string? Error(ConvSliceType type, int slices, int extent, string axis)
    {
        if (type == ConvSliceType.None) return slices == 0 ? null : $"num_slices {slices} needs a slice_type";
        if (slices < 2) return $"a DRAM-sliced conv needs num_slices ≥ 2, got {slices}";
        if (slices > extent) return $"num_slices {slices} is more than the {extent} output {axis} positions it cuts";
        return null;
    }
}
