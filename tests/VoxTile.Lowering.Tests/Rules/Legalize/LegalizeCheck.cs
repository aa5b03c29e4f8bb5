using VoxTile.IR;
using VoxTile.IR.Interp;
using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.IR.Verify;
using VoxTile.Lowering.Passes;
using VoxTile.Lowering.Rules.Legalize;
using VoxTile.Lowering.Tests.Rules.Decompose;
using VoxTile.Testing;

namespace VoxTile.Lowering.Tests.Rules.Legalize;

/// <summary>
/// What every legalization test does: run <c>legalize-ttnn</c>, check the result verifies and is legal (only ttnn ops,
/// each operand as its op requires), evaluate both graphs with the reference interpreter (ttnn ops in fp32; the
/// noise inputs the pass adds filled as the runtime fills them) and compare.
/// </summary>
internal static class LegalizeCheck
{
    public static Graph Legalize(Graph g, LoweringOptions? options = null) => Legalize(g, RuleCheck.Context(options));

    public static Graph Legalize(Graph g, PassContext context)
    {
        var t = new LegalizeTtnnPass().Run(g, context);
        var errors = Verifier.Check(t);
        Assert.True(errors.Count == 0, $"the legalized graph fails verification: {string.Join("; ", errors)}");
        LegalizeTtnnPass.AssertLegal(t);
        Assert.All(t.Nodes, n => Assert.True(n.Op is Weight || n.Op is ITtnnOp, $"{n} is not a ttnn op"));
        Assert.Equal(g.Outputs.Select(o => o.Type.ToString()), t.Outputs.Select(o => (o.Type with { Layout = null, Memory = null }).ToString()));
        return t;
    }

    /// <summary>The legalized graph's outputs for the nn graph's inputs (noise inputs filled from their seeds).</summary>
    public static Tensor[] Run(Graph legalized, IReadOnlyList<Tensor> inputs) =>
        Interpreter.Run(legalized, [.. inputs, .. RandnInputs.Of(legalized).Select(r => RandnInputs.Fill(r.Input))]);

    /// <summary>Both graphs on the same inputs, every output within <paramref name="relTol"/>.</summary>
    public static void Same(Graph nn, Graph legalized, IReadOnlyList<Tensor> inputs, double relTol, string what)
    {
        var expected = Interpreter.Run(nn, inputs);
        var actual = Run(legalized, inputs);
        for (int i = 0; i < expected.Length; i++) RuleCheck.Close(actual[i], expected[i], relTol, $"{what}, output {i}");
    }

    public static int Count(Graph g, string op) => g.Nodes.Count(n => n.Op.Name == op);

    public static string Census(Graph g) =>
        string.Join(", ", g.Nodes.GroupBy(n => n.Op.Name).OrderBy(x => x.Key, StringComparer.Ordinal).Select(x => $"{x.Key} {x.Count()}"));
}
