namespace VoxTile.Lowering.Rules.Legalize;

/// <summary>
/// Axis permutations of the layout assignment. A device value is its nn value transposed by a permutation
/// <c>p</c> (device axis i is nn axis p[i]); all leading axes collapse into TTNN's rows, so the permutation decides
/// which axis is the tile width. Size-1 axes carry no data: two permutations that order the other axes alike
/// describe the same bytes, and moving between them is at most a reshape.
/// </summary>
public static class Perms
{
    public static int[] Identity(int rank) => [.. Enumerable.Range(0, rank)];

    /// <summary>[B, C, T] held as [B, T, C]: the channels-last form of a 1-D activation.</summary>
    public static int[] ChannelsLast(int rank) => rank switch
    {
        < 3 => Identity(rank),
        _ => [0, .. Enumerable.Range(2, rank - 2), 1],
    };

    public static int[] Inverse(int[] p)
    {
        var q = new int[p.Length];
        for (int i = 0; i < p.Length; i++) q[p[i]] = i;
        return q;
    }

    public static bool IsIdentity(int[] p)
    {
        for (int i = 0; i < p.Length; i++) if (p[i] != i) return false;
        return true;
    }

    public static int[] Apply(int[] shape, int[] p)
    {
        var s = new int[p.Length];
        for (int i = 0; i < p.Length; i++) s[i] = shape[p[i]];
        return s;
    }

    public static string Key(int[] p) => string.Join(",", p);

    /// <summary>Whether transposing a value of <paramref name="shape"/> by <paramref name="p"/> or by <paramref name="q"/> gives the same row-major bytes.</summary>
    public static bool SameData(int[] shape, int[] p, int[] q)
    {
        int i = 0, j = 0;
        while (true)
        {
            while (i < p.Length && shape[p[i]] == 1) i++;
            while (j < q.Length && shape[q[j]] == 1) j++;
            if (i == p.Length || j == q.Length) return i == p.Length && j == q.Length;
            if (p[i] != q[j]) return false;
            i++;
            j++;
        }
    }

    /// <summary>The permutation of a value broadcast to a higher rank (leading size-1 axes prepended): they lead the device order too.</summary>
    public static int[] Expand(int[] p, int rank)
    {
        int k = rank - p.Length;
        if (k == 0) return p;
        var q = new int[rank];
        for (int i = 0; i < k; i++) q[i] = i;
        for (int i = 0; i < p.Length; i++) q[k + i] = p[i] + k;
        return q;
    }

    /// <summary>A permutation of <paramref name="rank"/> axes restricted to the trailing <paramref name="r"/> ones (right-aligned broadcasting).</summary>
    public static int[] Restrict(int[] p, int r)
    {
        int k = p.Length - r;
        return [.. p.Where(a => a >= k).Select(a => a - k)];
    }

    /// <summary><paramref name="p"/> with <paramref name="axis"/> moved to the end (the device's tile width).</summary>
    public static int[] MoveLast(int[] p, int axis) => [.. p.Where(a => a != axis), axis];

    /// <summary>
    /// The device permutation of y = transpose(x, <paramref name="nnPerm"/>) whose bytes are those of x held by
    /// <paramref name="p"/>: an nn transpose costs nothing on the device, it renames axes.
    /// </summary>
    public static int[] ThroughTranspose(int[] nnPerm, int[] p)
    {
        var inv = Inverse(nnPerm);
        var q = new int[p.Length];
        for (int j = 0; j < p.Length; j++) q[j] = inv[p[j]];
        return q;
    }

    /// <summary>
    /// The device permutation of y = reshape(x) whose bytes are those of x held by <paramref name="p"/>, or null when
    /// there is none. The reshape splits and merges runs of axes; it commutes with the permutation when each run of x
    /// stays contiguous and in order in <paramref name="p"/>. Size-1 axes of y go right after their nn predecessor, so
    /// that a later merge with it stays possible (the polyphase interleave stacks phases on such an axis).
    /// </summary>
    public static int[]? ThroughReshape(int[] x, int[] y, int[] p)
    {
        if (x.Contains(0) || y.Contains(0)) return null;
        var xs = Enumerable.Range(0, x.Length).Where(a => x[a] != 1).ToArray();
        var ys = Enumerable.Range(0, y.Length).Where(a => y[a] != 1).ToArray();
        var groupOf = new int[x.Length];
        var groups = new List<(List<int> X, List<int> Y)>();
        int i = 0, j = 0;
        while (i < xs.Length || j < ys.Length)
        {
            if (i >= xs.Length || j >= ys.Length) return null;
            long px = x[xs[i]], py = y[ys[j]];
            var gx = new List<int> { xs[i++] };
            var gy = new List<int> { ys[j++] };
            while (px != py)
            {
                if (px < py)
                {
                    if (i >= xs.Length) return null;
                    px *= x[xs[i]];
                    gx.Add(xs[i++]);
                }
                else
                {
                    if (j >= ys.Length) return null;
                    py *= y[ys[j]];
                    gy.Add(ys[j++]);
                }
            }
            foreach (var a in gx) groupOf[a] = groups.Count;
            groups.Add((gx, gy));
        }
        var order = p.Where(a => x[a] != 1).ToArray();
        var q = new List<int>(y.Length);
        for (int k = 0; k < order.Length;)
        {
            var g = groups[groupOf[order[k]]];
            for (int m = 0; m < g.X.Count; m++)
                if (k + m >= order.Length || order[k + m] != g.X[m]) return null;
            q.AddRange(g.Y);
            k += g.X.Count;
        }
        for (int a = 0; a < y.Length; a++)
        {
            if (y[a] != 1) continue;
            q.Insert(a == 0 ? 0 : q.IndexOf(a - 1) + 1, a);
        }
        return [.. q];
    }

    /// <summary>Whether two shapes differ only in leading size-1 axes (TTNN broadcasts and collapses them alike).</summary>
    public static bool Congruent(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        int i = 0, j = 0;
        while (i < a.Count && a[i] == 1) i++;
        while (j < b.Count && b[j] == 1) j++;
        if (a.Count - i != b.Count - j) return false;
        for (; i < a.Count; i++, j++) if (a[i] != b[j]) return false;
        return true;
    }
}
