namespace VoxTile.IR.Tests.Support;

/// <summary>Comparisons of a reference output with a naive double-precision definition.</summary>
public static class Near
{
    /// <summary>Same shape, and max |actual − expected| ≤ rel · max(max |expected|, 1): for sums whose terms may cancel.</summary>
    public static void Tensor(Tensor actual, int[] shape, double[] expected, double rel, string what = "")
    {
        Assert.True(actual.Shape.SequenceEqual(shape), $"{what} shape {actual.ShapeString} vs expected [{string.Join(",", shape)}]");
        double scale = 1;
        foreach (var e in expected) scale = Math.Max(scale, Math.Abs(e));
        double tol = rel * scale;
        for (int i = 0; i < expected.Length; i++)
        {
            double err = Math.Abs(actual.Data[i] - expected[i]);
            if (!(err <= tol))
                Assert.Fail($"{what} element {i} of {actual.ShapeString}: {actual.Data[i]:R} vs naive {expected[i]:R} (error {err:E2} > {tol:E2})");
        }
    }

    /// <summary>Per element: |actual − expected| ≤ rel · |expected| + abs (elementwise maps, no cancellation).</summary>
    public static void Elementwise(Tensor actual, double[] expected, double rel, double abs, string what = "")
    {
        Assert.Equal(expected.Length, actual.Data.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double a = actual.Data[i], e = expected[i];
            if (double.IsNaN(e) && double.IsNaN(a)) continue;
            if (double.IsInfinity(e) && a == e) continue;
            double err = Math.Abs(a - e);
            if (!(err <= rel * Math.Abs(e) + abs))
                Assert.Fail($"{what} element {i}: {a:R} vs naive {e:R} (error {err:E2})");
        }
    }

    /// <summary>Bit-for-bit equality (NaN equal to NaN).</summary>
    public static void Exact(Tensor actual, Tensor expected, string what = "")
    {
        Assert.True(actual.Shape.SequenceEqual(expected.Shape), $"{what} shape {actual.ShapeString} vs {expected.ShapeString}");
        for (int i = 0; i < expected.Data.Length; i++)
            if (!actual.Data[i].Equals(expected.Data[i]))
                Assert.Fail($"{what} element {i}: {actual.Data[i]:R} vs {expected.Data[i]:R}");
    }

    public static void Exact(Tensor actual, int[] shape, double[] expected, string what = "")
    {
        Assert.True(actual.Shape.SequenceEqual(shape), $"{what} shape {actual.ShapeString} vs expected [{string.Join(",", shape)}]");
        for (int i = 0; i < expected.Length; i++)
            if (actual.Data[i] != expected[i] && !(float.IsNaN(actual.Data[i]) && double.IsNaN(expected[i])))
                Assert.Fail($"{what} element {i}: {actual.Data[i]:R} vs naive {expected[i]:R}");
    }
}
