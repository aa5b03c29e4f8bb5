namespace VoxTile.Kernels.Tests.Support;

/// <summary>Seeded values for a property case: the case carries the seed, so a failing case replays exactly.</summary>
public sealed class Rng(int seed)
{
    private readonly Random _r = new(seed);

    public int Int(int lo, int hiInclusive) => (int)_r.NextInt64(lo, (long)hiInclusive + 1);

    public bool Bool() => _r.Next(2) == 1;

    public float Uniform(float lo, float hi) => (float)(lo + (hi - lo) * _r.NextDouble());

    public T Pick<T>(IReadOnlyList<T> items) => items[_r.Next(items.Count)];

    public float[] Uniform(int n, float lo, float hi)
    {
        var a = new float[n];
        for (var i = 0; i < n; i++) a[i] = Uniform(lo, hi);
        return a;
    }

    /// <summary>Values spread over 2^±spread, for block-float exponents.</summary>
    public float[] Spread(int n, int spread)
    {
        var a = new float[n];
        for (var i = 0; i < n; i++) a[i] = MathF.ScaleB(Uniform(-1, 1), Int(-spread, spread));
        return a;
    }
}
