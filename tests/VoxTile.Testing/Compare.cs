using VoxTile.IR;

namespace VoxTile.Testing;

/// <summary>The comparisons the golden README defines: PCC in float64 and max abs error relative to the golden's max abs.</summary>
public static class Compare
{
    public static double Pcc(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"length {a.Length} vs {b.Length}");
        double ma = 0, mb = 0;
        for (int i = 0; i < a.Length; i++) { ma += a[i]; mb += b[i]; }
        ma /= a.Length; mb /= b.Length;
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double da = a[i] - ma, db = b[i] - mb;
            sab += da * db; saa += da * da; sbb += db * db;
        }
        if (saa == 0 && sbb == 0) return a.SequenceEqual(b) ? 1.0 : 0.0;
        if (saa == 0 || sbb == 0) return 0.0;
        return sab / Math.Sqrt(saa * sbb);
    }

    public static double MaxAbsError(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double m = 0;
        for (int i = 0; i < a.Length; i++) m = Math.Max(m, Math.Abs((double)a[i] - b[i]));
        return m;
    }

    public static double MaxAbs(ReadOnlySpan<float> a)
    {
        double m = 0;
        foreach (var v in a) m = Math.Max(m, Math.Abs(v));
        return m;
    }

    /// <summary>Asserts the reference-path bar: same shape, PCC ≥ minPcc and max abs error ≤ relTol × max |golden|.</summary>
    public static (double Pcc, double MaxErr) AssertClose(Tensor actual, Tensor golden, string what, double minPcc = 0.99999, double relTol = 1e-3)
    {
        Assert.True(actual.Shape.SequenceEqual(golden.Shape), $"{what}: shape {actual.ShapeString} vs golden {golden.ShapeString}");
        var pcc = Pcc(actual.Data, golden.Data);
        var err = MaxAbsError(actual.Data, golden.Data);
        var bound = relTol * MaxAbs(golden.Data);
        Assert.True(pcc >= minPcc, $"{what}: PCC {pcc:F7} < {minPcc}");
        Assert.True(err <= bound, $"{what}: max abs error {err:E3} > {bound:E3}");
        return (pcc, err);
    }
}
