using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.IR.Tests.Support;
using Tt = VoxTile.IR.Ttnn;

namespace VoxTile.IR.Tests.Ops.Ttnn;

/// <summary>The unary and binary eltwise ops and ttnn.where: each against its nn op where one exists, and its naive definition.</summary>
public sealed class TtnnEltwiseTests
{
    public sealed record Unary(string Name, Func<Node, Node> Ttnn, Func<Node, Node>? Nn, Func<double, double> Naive, bool PositiveOnly = false);

    private static double Erf(double x)
    {
        // Abramowitz-Stegun 7.1.26 is too coarse here; integrate the series instead (|x| ≤ 6 in these tests).
        double sum = 0, term = x;
        for (int n = 0; n < 200; n++) { sum += term / (2 * n + 1); term *= -x * x / (n + 1); }
        return 2 / Math.Sqrt(Math.PI) * sum;
    }

    internal static readonly Unary[] Unaries =
    [
        new("relu", x => Tt.Relu(x), x => IR.Nn.Relu(x), v => Math.Max(v, 0)),
        new("leaky_relu", x => Tt.LeakyRelu(x, 0.2f), x => IR.Nn.LeakyRelu(x, negativeSlope: 0.2f), v => v >= 0 ? v : 0.2f * v),
        new("tanh", x => Tt.Tanh(x), x => IR.Nn.Tanh(x), Math.Tanh),
        new("sigmoid", x => Tt.Sigmoid(x), x => IR.Nn.Sigmoid(x), v => 1 / (1 + Math.Exp(-v))),
        new("exp", x => Tt.Exp(x), x => IR.Nn.Exp(x), Math.Exp),
        new("sqrt", x => Tt.Sqrt(x), x => IR.Nn.Sqrt(x), Math.Sqrt, PositiveOnly: true),
        new("rsqrt", x => Tt.Rsqrt(x), x => IR.Nn.Div(IR.Nn.Full(1f), IR.Nn.Sqrt(x)), v => 1 / Math.Sqrt(v), PositiveOnly: true),
        new("gelu", x => Tt.Gelu(x), x => IR.Nn.Gelu(x), v => 0.5 * v * (1 + Erf(v / Math.Sqrt(2)))),
        new("log", x => Tt.Log(x), x => IR.Nn.Log(x), Math.Log, PositiveOnly: true),
        new("ceil", x => Tt.Ceil(x), x => IR.Nn.Ceil(x), Math.Ceiling),
        new("abs", x => Tt.Abs(x), x => IR.Nn.Maximum(x, IR.Nn.Neg(x)), Math.Abs),
        new("softplus", x => Tt.Softplus(x), x => IR.Nn.Softplus(x), v => v > 20 ? v : Math.Log(1 + Math.Exp(v))),
        new("softplus(beta 2, threshold 5)", x => Tt.Softplus(x, beta: 2f, threshold: 5f), null, v => 2 * v > 5 ? v : Math.Log(1 + Math.Exp(2 * v)) / 2),
    ];

    public sealed record UnaryCase(int Op, int[] Shape, int Seed)
    {
        public override string ToString() => $"{Unaries[Op].Name} on {TtnnCheck.Show(Shape)}, seed {Seed}";
    }

    [Property(MaxTest = 100)]
    public Property UnaryEqualsNnAndTheDefinition() => Prop.ForAll(
        (from op in Gen.Choose(0, Unaries.Length - 1) from shape in TtnnCheck.Shape(0, 4, 5) from seed in Gen.Choose(0, int.MaxValue - 1)
         select new UnaryCase(op, shape, seed)).ToArbitrary(), c =>
    {
        var u = Unaries[c.Op];
        var rng = new Rng(c.Seed);
        var x = u.PositiveOnly ? rng.Uniform(0.01, 9, c.Shape) : rng.Uniform(-6, 6, c.Shape);
        var y = TtnnCheck.Run(n => u.Ttnn(n[0]), TtnnCheck.F32Types(x), x);
        Near.Elementwise(y, [.. x.Data.Select(v => u.Naive(v))], 2e-6, 2e-7, c.ToString());
        if (u.Nn is not null) TtnnCheck.Close(y, TtnnCheck.Run(n => u.Nn(n[0]), TtnnCheck.F32Types(x), x), 1e-6, c + " vs nn");
    });

    public sealed record Binary(string Name, Func<Node, Node, Node> Ttnn, Func<Node, Node, Node> Nn, Func<double, double, double> Naive);

    internal static readonly Binary[] Binaries =
    [
        new("add", (a, b) => Tt.Add(a, b), (a, b) => IR.Nn.Add(a, b), (a, b) => a + b),
        new("subtract", (a, b) => Tt.Subtract(a, b), (a, b) => IR.Nn.Sub(a, b), (a, b) => a - b),
        new("multiply", (a, b) => Tt.Multiply(a, b), (a, b) => IR.Nn.Mul(a, b), (a, b) => a * b),
        new("divide", (a, b) => Tt.Divide(a, b), (a, b) => IR.Nn.Div(a, b), (a, b) => a / b),
        new("lt", (a, b) => Tt.Lt(a, b), (a, b) => IR.Nn.Less(a, b), (a, b) => a < b ? 1 : 0),
        new("ge", (a, b) => Tt.Ge(a, b), (a, b) => IR.Nn.GreaterEqual(a, b), (a, b) => a >= b ? 1 : 0),
        new("gt", (a, b) => Tt.Gt(a, b), (a, b) => IR.Nn.Less(b, a), (a, b) => a > b ? 1 : 0),
        new("eq", (a, b) => Tt.Eq(a, b), (a, b) => IR.Nn.Mul(IR.Nn.GreaterEqual(a, b), IR.Nn.GreaterEqual(b, a)), (a, b) => a == b ? 1 : 0),
    ];

    /// <param name="Shapes">The output shape and, for each operand, a suffix of it with some dims set to 1.</param>
    public sealed record BroadcastCase(int Op, int[] Out, int[][] Shapes, int Seed)
    {
        public override string ToString() => $"op {Op} on {string.Join(" ∘ ", Shapes.Select(TtnnCheck.Show))}, seed {Seed}";
    }

    private static Gen<int[]> Operand(int[] outShape) =>
        from drop in Gen.Choose(0, outShape.Length)
        from ones in Gen.Elements(false, true).ArrayOf(outShape.Length)
        select outShape.Select((d, i) => ones[i] ? 1 : d).Skip(drop).ToArray();

    private static Gen<BroadcastCase> BroadcastCases(int ops, int operands) =>
        from op in Gen.Choose(0, ops - 1)
        from outShape in TtnnCheck.Shape(0, 4, 4)
        from shapes in Operand(outShape).ArrayOf(operands)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select new BroadcastCase(op, outShape, shapes, seed);

    /// <summary>Small integers, so comparisons meet ties; the divisor avoids 0.</summary>
    [Property(MaxTest = 100)]
    public Property BinaryEqualsNnAndTheDefinitionWithBroadcasting() => Prop.ForAll(BroadcastCases(Binaries.Length, 2).ToArbitrary(), c =>
    {
        var op = Binaries[c.Op];
        var rng = new Rng(c.Seed);
        var a = rng.Integers(-3, 3, c.Shapes[0]);
        var b = op.Name == "divide" ? rng.Uniform(0.5, 3, c.Shapes[1]) : rng.Integers(-3, 3, c.Shapes[1]);
        var y = TtnnCheck.Run(n => op.Ttnn(n[0], n[1]), TtnnCheck.F32Types(a, b), a, b);
        var shape = y.Shape;
        var expected = Nd.Map(shape, idx => op.Naive(At(a, idx), At(b, idx)));
        TtnnCheck.Close(y, shape, expected, 1e-6, $"{op.Name} {c}");
        TtnnCheck.Close(y, TtnnCheck.Run(n => op.Nn(n[0], n[1]), TtnnCheck.F32Types(a, b), a, b), 0, $"{op.Name} {c} vs nn");
    });

    /// <summary>The element of a broadcast operand at an output index.</summary>
    private static double At(Tensor t, int[] outIdx)
    {
        int off = outIdx.Length - t.Rank;
        return t[[.. Enumerable.Range(0, t.Rank).Select(d => t.Shape[d] == 1 ? 0 : outIdx[off + d])]];
    }

    /// <summary>where(p, a, b) for a 0/1 predicate is p·a + (1 − p)·b in nn ops; any non-zero predicate picks a.</summary>
    [Property(MaxTest = 100)]
    public Property WhereEqualsTheNnMaskComposition() => Prop.ForAll(BroadcastCases(1, 3).ToArbitrary(), c =>
    {
        var rng = new Rng(c.Seed);
        var p = rng.Integers(0, 1, c.Shapes[0]);
        var a = rng.Normal(c.Shapes[1]);
        var b = rng.Normal(c.Shapes[2]);
        var types = TtnnCheck.F32Types(p, a, b);
        var y = TtnnCheck.Run(n => Tt.Where(n[0], n[1], n[2]), types, p, a, b);
        var want = TtnnCheck.Run(n => IR.Nn.Add(IR.Nn.Mul(n[0], n[1]), IR.Nn.Mul(IR.Nn.Sub(IR.Nn.Full(1f), n[0]), n[2])), types, p, a, b);
        TtnnCheck.Close(y, want, 0, c.ToString());
        var p2 = new Tensor(p.Shape, [.. p.Data.Select(v => v * -2.5f)]);
        TtnnCheck.Close(TtnnCheck.Run(n => Tt.Where(n[0], n[1], n[2]), types, p2, a, b), y, 0, c + " (predicate −2.5/0)");
    });

    [Fact]
    public void DtypesFollowTheFirstValueOperand()
    {
        Assert.Equal(DType.BF16, new Add().InferType([TtnnCheck.Of(DType.BF16, 2, 32), TtnnCheck.Of(DType.BFP8_B, 32)]).Type!.DType);
        Assert.Equal(DType.BFP8_B, new Lt().InferType([TtnnCheck.Of(DType.BFP8_B, 2, 32), TtnnCheck.Of(DType.F32, 1)]).Type!.DType);
        Assert.Equal(DType.F32, new Where().InferType([TtnnCheck.Of(DType.BF16, 2), TtnnCheck.Of(DType.F32, 2), TtnnCheck.Of(DType.BF16, 2)]).Type!.DType);
        Assert.Equal(DType.BFP8_B, new Relu().InferType([TtnnCheck.Of(DType.BFP8_B, 2)]).Type!.DType);
        Assert.Equal(new TensorType(DType.BF16, new Shape([2, Dim.Sym("T")])), new Exp().InferType([new TensorType(DType.BF16, new Shape([2, Dim.Sym("T")]))]).Type);
    }

    [Fact]
    public void RejectsBadOperands()
    {
        Assert.Contains("broadcast", BadType.Expect(new Add(), TtnnCheck.F32(2, 3), TtnnCheck.F32(4, 3)));
        Assert.Contains("mix", BadType.Expect(new Multiply(), TtnnCheck.F32(2, 3), TtnnCheck.Of(DType.U32, 2, 3)));
        Assert.Contains("rank", BadType.Expect(new Subtract(), TtnnCheck.F32(1, 1, 1, 1, 1, 2), TtnnCheck.F32(2)));
        Assert.Contains("float", BadType.Expect(new Exp(), TtnnCheck.Of(DType.U32, 2, 3)));
        Assert.Contains("float", BadType.Expect(new LeakyRelu { NegativeSlope = 0.1f }, TtnnCheck.Of(DType.I32, 2)));
        Assert.Contains("beta", BadType.Expect(new Softplus { Beta = 0 }, TtnnCheck.F32(2)));
        Assert.Contains("broadcast", BadType.Expect(new Where(), TtnnCheck.F32(2, 3), TtnnCheck.F32(3), TtnnCheck.F32(2, 2)));
        Assert.Contains("mix", BadType.Expect(new Where(), TtnnCheck.F32(3), TtnnCheck.F32(3), TtnnCheck.Of(DType.I32, 3)));
    }
}
