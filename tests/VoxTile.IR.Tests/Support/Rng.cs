namespace VoxTile.IR.Tests.Support;

/// <summary>
/// Seeded values for a property case: a case carries an int seed beside its shapes and attributes, so the tensors
/// FsCheck saw are rebuilt exactly when it replays the case.
/// </summary>
public sealed class Rng(int seed)
{
    private readonly System.Random _r = new(seed);

    public int Int(int lo, int hiInclusive) => (int)_r.NextInt64(lo, (long)hiInclusive + 1);

    public bool Bool() => _r.Next(2) == 1;

    public double Uniform(double lo, double hi) => lo + (hi - lo) * _r.NextDouble();

    public T Pick<T>(IReadOnlyList<T> items) => items[_r.Next(items.Count)];

    public double Normal()
    {
        double u1 = 1.0 - _r.NextDouble(), u2 = _r.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    public Tensor Normal(params int[] shape)
    {
        var t = new Tensor(shape);
        for (int i = 0; i < t.Data.Length; i++) t.Data[i] = (float)Normal();
        return t;
    }

    public Tensor Uniform(double lo, double hi, params int[] shape)
    {
        var t = new Tensor(shape);
        for (int i = 0; i < t.Data.Length; i++) t.Data[i] = (float)Uniform(lo, hi);
        return t;
    }

    /// <summary>Small integers in [lo, hi]: comparisons then meet ties, and sums stay exact.</summary>
    public Tensor Integers(int lo, int hi, params int[] shape)
    {
        var t = new Tensor(shape);
        for (int i = 0; i < t.Data.Length; i++) t.Data[i] = Int(lo, hi);
        return t;
    }
}
