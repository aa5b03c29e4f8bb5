using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR;
using VoxTile.IR.Interp;
using VoxTile.IR.Ops.Graph;
using VoxTile.Lowering.Passes;
using VoxTile.Lowering.Rules.Fold;
using VoxTile.Lowering.Targets;

namespace VoxTile.Lowering.Tests.Rules.Fold;

public sealed class FoldConstantsTests
{
    private static PassContext Context() => new(TargetSpec.WormholeN150);

    /// <summary>A random chain of ops, each on the previous value and on either a weight or the graph input.</summary>
    public sealed record Case(int[] Ops, bool[] UseInput, int Seed)
    {
        public override string ToString() => $"Case(ops [{string.Join(",", Ops)}], input at [{string.Join(",", UseInput)}], seed {Seed})";
    }

    private static Gen<Case> Cases =>
        from n in Gen.Choose(1, 12)
        from ops in Gen.Choose(0, 6).ArrayOf(n)
        from useInput in Gen.Frequency((1, Gen.Constant(true)), (4, Gen.Constant(false))).ArrayOf(n)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select new Case(ops, useInput, seed);

    private static Graph Chain(Case c)
    {
        var rng = new Random(c.Seed);
        Tensor Rand(params int[] shape) => new(shape, [.. Enumerable.Range(0, (int)Tensor.Count(shape)).Select(_ => (float)(rng.NextDouble() * 2 - 1))]);
        var input = Input.Create("x", TensorType.F32(1, 4, 6));
        Node v = Weight.Create("w0", Rand(1, 4, 6));
        for (int i = 0; i < c.Ops.Length; i++)
        {
            Node other = c.UseInput[i] ? input : Weight.Create($"w{i + 1}", Rand(1, 4, 6));
            v = c.Ops[i] switch
            {
                0 => Nn.Add(v, other),
                1 => Nn.Mul(v, Nn.Tanh(other)),
                2 => Nn.Transpose(Nn.Transpose(Nn.Add(v, other), [0, 2, 1]), [0, 2, 1]),
                3 => Nn.Reshape(Nn.Reshape(Nn.Sub(v, other), [4, 6]), [1, 4, 6]),
                4 => Nn.Concat([Nn.Slice(v, 1, 0, end: 2), Nn.Slice(other, 1, 2, end: 4)], 1),
                5 => Nn.Add(Nn.Conv1d(Nn.Add(v, other), Weight.Create($"k{i}", Rand(4, 4, 3)), padding: 1), Nn.Full(0.5f, shape: [1])),
                _ => Nn.Div(v, Nn.Full(3f, shape: [])),
            };
        }
        return Graph.Create("chain", [input], [v]);
    }

    [Property(MaxTest = 100)]
    public Property FoldsWhatDependsOnlyOnConstantsAndKeepsValues() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var g = Chain(c);
        var f = new FoldConstantsPass().Run(g, Context());
        var x = new Tensor([1, 4, 6], [.. Enumerable.Range(0, 24).Select(i => (float)Math.Sin(i))]);
        var expected = Interpreter.Run(g, [x])[0].Data;
        var actual = Interpreter.Run(f, [x])[0].Data;
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6 * (1 + Math.Abs(expected[i])), c.ToString());
        // No computed value is left whose operands are all constants, and input-dependent values all remain.
        Assert.DoesNotContain(f.Nodes, n => n.Inputs.Length > 0 && n.Inputs.All(ConstantEvaluator.IsConstantLeaf));
        bool dependsOnInput = c.UseInput.Where((u, i) => c.Ops[i] != 6).Any(u => u); // op 6 reads no second operand
        Assert.Equal(dependsOnInput, f.Outputs[0].Op is not Weight);
        Assert.All(f.Weights.Where(w => !w.Key.StartsWith('w') && !w.Key.StartsWith('k')), w => Assert.StartsWith("const.fold_", w.Key));
    });

    /// <summary>OpenVoice's zero_g: the conditioning conv of a zero speaker vector is its bias, a constant.</summary>
    [Fact]
    public void ConditioningOnZerosBecomesABiasConstant()
    {
        var rng = new Random(5);
        var w = Weight.Create("cond.weight", new Tensor([8, 4, 1], [.. Enumerable.Range(0, 32).Select(_ => (float)rng.NextDouble())]));
        var b = Weight.Create("cond.bias", new Tensor([8], [1, 2, 3, 4, 5, 6, 7, 8]));
        var x = Input.Create("x", TensorType.F32(1, 4, 10));
        var cond = Nn.Conv1d(Nn.Full(0f, shape: [1, 4, 1]), w, bias: b);
        var y = Nn.Add(Nn.Slice(x, 1, 0, end: 4), Nn.Slice(cond, 1, 4, end: 8));
        var g = Graph.Create("zero_g", [x], [y]);
        var f = new FoldConstantsPass().Run(g, Context());
        var folded = Assert.Single(f.Weights);
        Assert.StartsWith("const.fold_", folded.Key);
        Assert.Equal([5f, 6f, 7f, 8f], folded.Value!.Data);
        Assert.Equal(3, f.Nodes.Length); // the constant, the slice of x, the add
    }

    [Fact]
    public void LeavesRandomDrawsInputsAndGrowingBroadcastsAlone()
    {
        var w = Weight.Create("w", new Tensor([1, 4, 1], [1, 2, 3, 4]));
        var x = Input.Create("x", TensorType.F32(1, 4, 3));
        var noise = Nn.RandnLike(w, 7);
        var big = Nn.Add(w, Nn.Full(0f, shape: [1, 4, 100_000])); // 400k values from 4: cheaper on the device
        var g = Graph.Create("g", [x], [Nn.Add(x, w), noise, big]);
        var ctx = Context();
        var f = new FoldConstantsPass().Run(g, ctx);
        Assert.Equal(g.ToString(), f.ToString());
        Assert.Contains(ctx.Diagnostics, m => m.Contains("outgrow"));
    }

    [Fact]
    public void EqualConstantsShareOneNodeAndKeysNameContent()
    {
        var a = Weight.Create("a", new Tensor([3], [1, 2, 3]));
        var x = Input.Create("x", TensorType.F32(3));
        var g = Graph.Create("g", [x], [Nn.Add(x, Nn.Neg(a)), Nn.Mul(x, Nn.Neg(a))]);
        var f = new FoldConstantsPass().Run(g, Context());
        Assert.Single(f.Weights);
        Assert.Equal(FoldConstants.KeyFor(new Tensor([3], [-1, -2, -3])), f.Weights.Single().Key);
        Assert.NotEqual(FoldConstants.KeyFor(new Tensor([3], [-1, -2, -3])), FoldConstants.KeyFor(new Tensor([1, 3], [-1, -2, -3])));
    }
}
