namespace VoxTile.IR.Ops;

/// <summary>NumPy broadcasting of two shapes, with symbolic dims: equal dims stay, a fixed 1 stretches.</summary>
internal static class Broadcast
{
    public static Shape? Shapes(Shape a, Shape b)
    {
        int rank = Math.Max(a.Rank, b.Rank);
        var dims = new Dim[rank];
        for (int i = 0; i < rank; i++)
        {
            Dim da = i - (rank - a.Rank) >= 0 ? a[i - (rank - a.Rank)] : Dim.Of(1);
            Dim db = i - (rank - b.Rank) >= 0 ? b[i - (rank - b.Rank)] : Dim.Of(1);
            if (da == db) dims[i] = da;
            else if (da.IsFixed && da.Value == 1) dims[i] = db;
            else if (db.IsFixed && db.Value == 1) dims[i] = da;
            else if (da.IsUnknown || db.IsUnknown) dims[i] = da.IsUnknown ? db : da;
            else return null;
        }
        return new Shape(dims);
    }

    public static int[]? Sizes(int[] a, int[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var r = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i - (rank - a.Length) >= 0 ? a[i - (rank - a.Length)] : 1;
            int db = i - (rank - b.Length) >= 0 ? b[i - (rank - b.Length)] : 1;
            if (da == db || db == 1) r[i] = da;
            else if (da == 1) r[i] = db;
            else return null;
        }
        return r;
    }

    /// <summary>Element strides of <paramref name="shape"/> viewed at rank <paramref name="rank"/>, 0 along broadcast axes.</summary>
    public static long[] Strides(int[] shape, int[] outShape)
    {
        int rank = outShape.Length;
        var s = new long[rank];
        var own = Tensor.Strides(shape);
        for (int i = 0; i < rank; i++)
        {
            int j = i - (rank - shape.Length);
            s[i] = j < 0 || shape[j] == 1 ? 0 : own[j];
        }
        return s;
    }
}
