using VoxTile.IR;
using VoxTile.IR.Interp;
using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Verify;
using VoxTile.Lowering.Passes;
using VoxTile.Lowering.Targets;
using VoxTile.Testing;

namespace VoxTile.Lowering.Tests.Rules.Decompose;

/// <summary>
/// What every decomposition test does: apply rules to a graph, check the result verifies, evaluate before and after
/// with the reference interpreter, and compare.
/// </summary>
internal static class RuleCheck
{
    public static PassContext Context(LoweringOptions? options = null) => new(TargetSpec.WormholeN150, options);

    /// <summary>The graph after <paramref name="rules"/>, verified.</summary>
    public static Graph Apply(Graph g, PassContext context, params IRewriteRule[] rules)
    {
        var r = new RulePass("test", rules).Run(g, context);
        var errors = Verifier.Check(r);
        Assert.True(errors.Count == 0, $"the rewritten graph fails verification: {string.Join("; ", errors)}");
        return r;
    }

    public static Graph Apply(Graph g, params IRewriteRule[] rules) => Apply(g, Context(), rules);

    /// <summary>A graph of one output computed from named inputs of the given types.</summary>
    public static Graph Build(string name, IReadOnlyList<TensorType> inputs, Func<Node[], Node> body)
    {
        var ins = inputs.Select((t, i) => Input.Create("in" + i, t)).ToArray();
        return Graph.Create(name, ins, [body(ins)]);
    }

    public static Tensor Run(Graph g, params Tensor[] inputs) => Interpreter.Run(g, inputs)[0];

    public static bool Contains(Graph g, string opName) => g.Nodes.Any(n => n.Op.Name == opName);

    public static void Exact(Tensor actual, Tensor expected, string what)
    {
        Assert.True(actual.Shape.SequenceEqual(expected.Shape), $"{what}: shape {actual.ShapeString} vs {expected.ShapeString}");
        for (int i = 0; i < expected.Data.Length; i++)
            if (actual.Data[i] != expected.Data[i])
                Assert.Fail($"{what}: element {i} is {actual.Data[i]:R}, expected {expected.Data[i]:R}");
    }

    /// <summary>Same shape and max abs error ≤ <paramref name="relTol"/> × max(1, max |expected|).</summary>
    public static void Close(Tensor actual, Tensor expected, double relTol, string what)
    {
        Assert.True(actual.Shape.SequenceEqual(expected.Shape), $"{what}: shape {actual.ShapeString} vs {expected.ShapeString}");
        double bound = relTol * Math.Max(1.0, Compare.MaxAbs(expected.Data));
        double err = Compare.MaxAbsError(actual.Data, expected.Data);
        Assert.True(err <= bound, $"{what}: max abs error {err:E3} > {bound:E3}");
    }
}

/// <summary>
/// Seeded tensors for a property case: the case carries an int seed beside its shapes and attributes, so the tensors
/// FsCheck saw are rebuilt exactly when a failing case is replayed from its printed form.
/// </summary>
internal sealed class CaseRng(int seed)
{
    private readonly Random _r = new(seed);

    public int Int(int lo, int hiInclusive) => _r.Next(lo, hiInclusive + 1);

    public Tensor Normal(params int[] shape)
    {
        var t = new Tensor(shape);
        for (int i = 0; i < t.Data.Length; i++)
        {
            double u1 = 1.0 - _r.NextDouble(), u2 = _r.NextDouble();
            t.Data[i] = (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
        return t;
    }

    public Tensor Uniform(double lo, double hi, params int[] shape)
    {
        var t = new Tensor(shape);
        for (int i = 0; i < t.Data.Length; i++) t.Data[i] = (float)(lo + (hi - lo) * _r.NextDouble());
        return t;
    }

    public Tensor Integers(int lo, int hi, params int[] shape)
    {
        var t = new Tensor(shape);
        for (int i = 0; i < t.Data.Length; i++) t.Data[i] = Int(lo, hi);
        return t;
    }
}
