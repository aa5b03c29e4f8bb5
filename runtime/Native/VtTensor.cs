namespace VoxTile.Runtime.Native;

/// <summary>Builders for the generated descriptor.</summary>
public unsafe partial struct VtTensor
{
    /// <summary>A dense tensor (row-major strides in elements, or tiled) over <paramref name="data"/>.</summary>
    public static VtTensor Create(void* data, VtDtype dtype, ReadOnlySpan<long> shape, VtLayout layout = VtLayout.RowMajor)
    {
        if (shape.Length > VtNativeConstants.MaxRank)
            throw new ArgumentException($"rank {shape.Length} exceeds {VtNativeConstants.MaxRank}", nameof(shape));
        var t = new VtTensor { Data = data, Rank = shape.Length, Dtype = dtype, Layout = layout };
        long stride = 1;
        for (var i = shape.Length - 1; i >= 0; i--)
        {
            t.Shape[i] = shape[i];
            t.Strides[i] = stride;
            stride *= shape[i];
        }
        return t;
    }

    /// <summary>The same tensor with other strides (a transposed, sliced or broadcast view).</summary>
    public VtTensor WithStrides(ReadOnlySpan<long> strides)
    {
        if (strides.Length != Rank) throw new ArgumentException($"{strides.Length} strides for rank {Rank}", nameof(strides));
        var t = this;
        for (var i = 0; i < Rank; i++) t.Strides[i] = strides[i];
        return t;
    }

    public long ElementCount
    {
        get
        {
            long n = 1;
            for (var i = 0; i < Rank; i++) n *= Shape[i];
            return n;
        }
    }
}
