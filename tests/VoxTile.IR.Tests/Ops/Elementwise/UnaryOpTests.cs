using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR.Tests.Support;

namespace VoxTile.IR.Tests.Ops.Elementwise;

/// <summary>
/// The laws every one-operand elementwise op keeps; each op's test class (TanhTests, GeluTests, …) derives from this
/// and gives its naive definition in double, its domain and, for ops with attributes, random attribute values.
/// </summary>
public abstract class UnaryOpTests
{
    public sealed record Case(int[] Shape, int Seed)
    {
        public override string ToString() => $"Case([{string.Join(",", Shape)}], seed {Seed})";
    }

    /// <summary>Ranks 0–4; sizes past a SIMD vector so that both the vector path and the scalar tail run.</summary>
    internal static Gen<Case> Cases =>
        from shape in Gen.OneOf(
            Gen.Choose(1, 6).ArrayOf().Where(a => a.Length <= 4),
            Gen.Choose(1, 70).Select(n => new[] { n }))
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select new Case(shape, seed);

    /// <summary>The op with attributes drawn from <paramref name="rng"/>, and its naive definition for those attributes.</summary>
    protected abstract (Node Node, Func<double, double> Naive) Build(Node x, Rng rng);

    /// <summary>An instance with default attributes, for the bad-type checks.</summary>
    protected abstract Op Instance { get; }

    protected virtual double Lo => -8;
    protected virtual double Hi => 8;
    protected virtual double RelTol => 1e-6;
    protected virtual double AbsTol => 1e-7;

    /// <summary>The allowed error at input <paramref name="x"/> whose naive value is <paramref name="expected"/>.</summary>
    protected virtual double Bound(double x, double expected) => RelTol * Math.Abs(expected) + AbsTol;

    /// <summary>Values drawn from the domain, with a share of integers and halves (ties for ceil, zero for relu).</summary>
    protected virtual float Draw(Rng rng) => rng.Int(0, 4) switch
    {
        0 => (float)Math.Clamp(Math.Round(rng.Uniform(Lo, Hi) * 2) / 2, Lo, Hi),
        _ => (float)rng.Uniform(Lo, Hi),
    };

    [Property(MaxTest = 60)]
    public Property MatchesNaiveDefinition() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var rng = new Rng(c.Seed);
        var x = new Tensor(c.Shape);
        for (int i = 0; i < x.Data.Length; i++) x.Data[i] = Draw(rng);
        Func<double, double> naive = _ => double.NaN;
        var y = OneNode.Run(n => { var (node, f) = Build(n[0], rng); naive = f; return node; }, x);
        for (int i = 0; i < x.Data.Length; i++)
        {
            double e = naive(x.Data[i]), a = y.Data[i];
            if (a == e || (double.IsNaN(a) && double.IsNaN(e))) continue;
            Assert.True(Math.Abs(a - e) <= Bound(x.Data[i], e), $"{c}: f({x.Data[i]:R}) = {a:R}, naive {e:R} (error {Math.Abs(a - e):E2})");
        }
    });

    [Fact]
    public void KeepsTheShapeIncludingSymbols()
    {
        var t = BadType.F32(2, Dim.Sym("T", 8), Dim.Unknown);
        var r = BadType.NeverThrows(Instance, t);
        Assert.True(r.Ok, r.Error);
        Assert.Equal(t.Shape, r.Type!.Shape);
        Assert.Equal(DType.BF16, BadType.NeverThrows(Instance, new TensorType(DType.BF16, new Shape(3))).Type!.DType);
    }

    [Fact]
    public void RejectsIntegerTensors()
    {
        Assert.Contains("floating-point", BadType.Expect(Instance, new TensorType(DType.I32, new Shape(2, 3))));
        BadType.Expect(Instance, new TensorType(DType.U32, new Shape(4)));
    }
}
