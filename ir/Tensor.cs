namespace VoxTile.IR;

/// <summary>
/// A dense, row-major fp32 tensor: the value type of the reference interpreter and of loaded weights.
/// The data array is owned by the tensor; treat it as immutable once the tensor is handed out.
/// </summary>
public sealed class Tensor
{
    public Tensor(int[] shape, float[] data)
    {
        long n = 1;
        foreach (var d in shape)
        {
            if (d < 0) throw new ArgumentException($"negative dimension in shape [{string.Join(",", shape)}]");
            n *= d;
        }
        if (n != data.LongLength)
            throw new ArgumentException($"shape [{string.Join(",", shape)}] holds {n} values but the data has {data.LongLength}");
        Shape = shape;
        Data = data;
    }

    public Tensor(int[] shape) : this(shape, new float[Count(shape)]) { }

    public int[] Shape { get; }
    public float[] Data { get; }
    public int Rank => Shape.Length;
    public long Length => Data.LongLength;

    public int Dim(int axis) => Shape[axis < 0 ? axis + Shape.Length : axis];

    public static long Count(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (var d in shape) n *= d;
        return n;
    }

    public static Tensor Zeros(params int[] shape) => new(shape);

    public static Tensor Full(int[] shape, float value)
    {
        var t = new Tensor(shape);
        Array.Fill(t.Data, value);
        return t;
    }

    public static Tensor Scalar(float value) => new([], [value]);

    /// <summary>Row-major strides of <paramref name="shape"/>.</summary>
    public static long[] Strides(ReadOnlySpan<int> shape)
    {
        var s = new long[shape.Length];
        long acc = 1;
        for (int i = shape.Length - 1; i >= 0; i--) { s[i] = acc; acc *= shape[i]; }
        return s;
    }

    /// <summary>Same data, new shape (no copy); the element count must agree.</summary>
    /// <summary>Item tensors [1, ...] joined on the batch axis (a batch of one is the item itself).</summary>
    public static Tensor StackBatch(IReadOnlyList<Tensor> items)
    {
        if (items.Count == 1) return items[0];
        var shape = items[0].Shape;
        var y = new Tensor([items.Count, .. shape[1..]]);
        long n = items[0].Data.LongLength;
        for (int b = 0; b < items.Count; b++) Array.Copy(items[b].Data, 0, y.Data, b * n, n);
        return y;
    }

    public Tensor Reshape(params int[] shape) => new(shape, Data);

    public Tensor Clone() => new((int[])Shape.Clone(), (float[])Data.Clone());

    public float this[params int[] index]
    {
        get => Data[Offset(index)];
        set => Data[Offset(index)] = value;
    }

    private long Offset(int[] index)
    {
        if (index.Length != Shape.Length) throw new ArgumentException($"index of rank {index.Length} into a tensor of rank {Shape.Length}");
        long off = 0;
        for (int i = 0; i < index.Length; i++)
        {
            if ((uint)index[i] >= (uint)Shape[i]) throw new IndexOutOfRangeException($"index {index[i]} out of range for axis {i} of size {Shape[i]}");
            off = off * Shape[i] + index[i];
        }
        return off;
    }

    public string ShapeString => "[" + string.Join(",", Shape) + "]";

    public override string ToString() => $"Tensor{ShapeString}";
}
