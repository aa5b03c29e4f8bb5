using VoxTile.IR;

namespace VoxTile.Models.Parameters;

/// <summary>
/// Random parameters of whatever shapes the model asks for, deterministic per (seed, key): a model of the released
/// shape with nothing downloaded. Outputs of such a model are noise-like; it exists to exercise the whole path.
/// </summary>
public sealed class RandomParameters(long seed) : IParameterSource
{
    private readonly Dictionary<string, Tensor> _drawn = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, Tensor> Drawn => _drawn;

    public Tensor Get(string key, int[] shape, WeightInit init = WeightInit.FanIn, int fanIn = 0)
    {
        if (_drawn.TryGetValue(key, out var t)) return t;
        t = new Tensor((int[])shape.Clone());
        switch (init)
        {
            case WeightInit.Ones: Array.Fill(t.Data, 1f); break;
            case WeightInit.Zeros: break;
            default:
                {
                    int fan = fanIn > 0 ? fanIn : shape.Length > 1 ? (int)(Tensor.Count(shape) / shape[0]) : Math.Max(1, shape[0]);
                    float bound = 1f / MathF.Sqrt(fan);
                    // HashCode.Combine is randomised per process; a fixed mix keeps the draws the same in every run.
                    var rng = new Random(unchecked((int)(seed * 1_000_003L) ^ StableHash(key)));
                    for (int i = 0; i < t.Data.Length; i++) t.Data[i] = (float)(rng.NextDouble() * 2 - 1) * bound;
                    break;
                }
        }
        _drawn[key] = t;
        return t;
    }

    public bool Contains(string key) => true;

    public void EnsureAllUsed(params string[] ignoredPrefixes) { }

    private static int StableHash(string s)
    {
        unchecked
        {
            int h = (int)2166136261;
            foreach (var c in s) h = (h ^ c) * 16777619;
            return h;
        }
    }
}
