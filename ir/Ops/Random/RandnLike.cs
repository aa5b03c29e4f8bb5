namespace VoxTile.IR.Ops.Random;

/// <summary>
/// A standard-normal draw shaped like its operand, from <c>seed</c>: the only random step of the converter
/// (enc_q's posterior sample), explicit in the graph so that a run is reproducible. The generator is SplitMix64
/// feeding Box–Muller, the same on every machine. To replay a recorded draw, feed the tensor as a graph input instead.
/// </summary>
[Op("nn.randn_like", "like")]
public sealed partial class RandnLike : Op
{
    [Attr] public required long Seed { get; init; }

    public override TypeResult InferType(IReadOnlyList<TensorType> t) => new TensorType(DType.F32, t[0].Shape);

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs)
    {
        var y = new Tensor((int[])inputs[0].Shape.Clone());
        Fill(y.Data, Seed);
        return y;
    }

    public static void Fill(Span<float> dst, long seed)
    {
        ulong state = (ulong)seed;
        for (int i = 0; i < dst.Length; i += 2)
        {
            double u1 = (Next(ref state) >> 11) * (1.0 / (1UL << 53));
            double u2 = (Next(ref state) >> 11) * (1.0 / (1UL << 53));
            double r = Math.Sqrt(-2.0 * Math.Log(1.0 - u1));
            dst[i] = (float)(r * Math.Cos(2 * Math.PI * u2));
            if (i + 1 < dst.Length) dst[i + 1] = (float)(r * Math.Sin(2 * Math.PI * u2));
        }
    }

    private static ulong Next(ref ulong s)
    {
        ulong z = s += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
