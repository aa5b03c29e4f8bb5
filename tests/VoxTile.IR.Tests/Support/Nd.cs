namespace VoxTile.IR.Tests.Support;

/// <summary>Row-major multi-indices, for naive definitions written as "output element at index i is …".</summary>
public static class Nd
{
    public static int[] Unravel(long flat, int[] shape)
    {
        var idx = new int[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--) { idx[d] = (int)(flat % shape[d]); flat /= shape[d]; }
        return idx;
    }

    public static long Ravel(int[] idx, int[] shape)
    {
        long off = 0;
        for (int d = 0; d < shape.Length; d++) off = off * shape[d] + idx[d];
        return off;
    }

    /// <summary>The naive output: <paramref name="element"/> of every output index, as double.</summary>
    public static double[] Map(int[] shape, Func<int[], double> element)
    {
        var y = new double[Tensor.Count(shape)];
        for (long i = 0; i < y.Length; i++) y[i] = element(Unravel(i, shape));
        return y;
    }

    public static string Show(int[] a) => "[" + string.Join(",", a) + "]";
}
