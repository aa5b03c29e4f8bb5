using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR;
using VoxTile.IR.Ops.Graph;
using VoxTile.Lowering.Tests.Rules.Decompose;

namespace VoxTile.Lowering.Tests.Rules.Legalize;

/// <summary>
/// The elementwise rules (unary, binary, scale, square, neg, compares, maximum, clamp, where) on random shapes with
/// broadcasting, on constant and computed operands, and on operands that arrive in different device orders (one
/// channels-last from a conv, one in the nn order from the graph input), which forces the layout choice.
/// </summary>
public sealed class LegalizeEltwiseTests
{
    public static readonly string[] Unary = ["relu", "sigmoid", "tanh", "exp", "log", "sqrt", "ceil", "gelu", "softplus", "leaky_relu", "scale", "square", "neg", "clamp"];
    public static readonly string[] Binary = ["add", "sub", "mul", "div", "lt", "ge", "maximum", "where"];

    public sealed record Case(string Op, int[] Shape, int[] OtherShape, bool ConstantOther, bool AfterConv, int Seed)
    {
        public override string ToString() =>
            $"Case({Op}, [{string.Join(",", Shape)}] with [{string.Join(",", OtherShape)}], const {ConstantOther}, after conv {AfterConv}, seed {Seed})";
    }

    private static Gen<int[]> Shapes =>
        from rank in Gen.Choose(1, 4)
        from dims in Gen.ArrayOf(Gen.Choose(1, 9), rank)
        select dims;

    /// <summary>The other operand: the same shape with some axes 1 (broadcast), or a suffix of it.</summary>
    private static Gen<int[]> BroadcastOf(int[] s) =>
        from mask in Gen.ArrayOf(Gen.Elements(true, false), s.Length)
        from drop in Gen.Choose(0, s.Length - 1)
        select s.Skip(drop).Select((d, i) => mask[i + drop] ? 1 : d).ToArray();

    private static Gen<Case> Cases =>
        from op in Gen.Elements([.. Unary, .. Binary])
        from afterConv in Gen.Elements(true, false)
        from shape in afterConv ? Gen.ArrayOf(Gen.Choose(1, 9), 3) : Shapes
        from other in BroadcastOf(shape)
        from constant in Gen.Elements(true, false)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select new Case(op, shape, other, constant, afterConv, seed);

    [Property(MaxTest = 150)]
    public Property EqualsTheNnOp() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var rng = new CaseRng(c.Seed);
        bool binary = Binary.Contains(c.Op);
        var x = rng.Normal(c.Shape);
        var y = rng.Normal(c.OtherShape);
        if (c.Op == "div") for (int i = 0; i < y.Data.Length; i++) y.Data[i] = MathF.CopySign(0.5f + MathF.Abs(y.Data[i]), y.Data[i]);
        var types = new List<TensorType> { TensorType.F32(x.Shape) };
        if (binary && !c.ConstantOther) types.Add(TensorType.F32(y.Shape));
        var convW = rng.Normal(c.Shape.Length == 3 ? c.Shape[1] : 1, c.Shape.Length == 3 ? c.Shape[1] : 1, 3);
        var g = RuleCheck.Build("eltwise", types, n =>
        {
            var a = c.AfterConv ? Nn.Conv1d(n[0], Weight.Create("w", convW), padding: 1) : n[0];
            if (c.Op is "log" or "sqrt") a = Nn.Scale(Nn.Square(a), offset: 0.1f);
            var b = binary ? (c.ConstantOther ? Weight.Create("other", y) : n[1]) : null;
            return c.Op switch
            {
                "relu" => Nn.Relu(a),
                "sigmoid" => Nn.Sigmoid(a),
                "tanh" => Nn.Tanh(a),
                "exp" => Nn.Exp(a),
                "log" => Nn.Log(a),
                "sqrt" => Nn.Sqrt(a),
                "ceil" => Nn.Ceil(a),
                "gelu" => Nn.Gelu(a),
                "softplus" => Nn.Softplus(a),
                "leaky_relu" => Nn.LeakyRelu(a, negativeSlope: 0.1f),
                "scale" => Nn.Scale(a, factor: 0.3f, offset: -0.5f),
                "square" => Nn.Square(a),
                "neg" => Nn.Neg(a),
                "clamp" => Nn.Clamp(a, min: -0.5f, max: 0.7f),
                "add" => Nn.Add(a, b!),
                "sub" => Nn.Sub(b!, a),
                "mul" => Nn.Mul(a, b!),
                "div" => Nn.Div(a, b!),
                "lt" => Nn.Less(a, b!),
                "ge" => Nn.GreaterEqual(b!, a),
                "maximum" => Nn.Maximum(a, b!),
                _ => Nn.Where(Nn.Less(b!, Nn.Full(0f, shape: [])), a, Nn.Neg(a)),
            };
        });
        var t = LegalizeCheck.Legalize(g);
        Tensor[] inputs = binary && !c.ConstantOther ? [x, y] : [x];
        LegalizeCheck.Same(g, t, inputs, 1e-5, c.ToString());
        // Without a conv everything stays in the nn order. With one, the nn-order input is permuted channels-last
        // for it, and its channels-last results go back where they meet the nn-order operand or the output (the
        // greedy choice may move the conv output and its negation separately: at most three).
        Assert.True(LegalizeCheck.Count(t, "ttnn.permute") <= (c.AfterConv ? 3 : 0), $"{c}: {LegalizeCheck.Census(t)}");
    });

    [Fact]
    public void ConstantsAreMaterialisedNotCast()
    {
        var g = RuleCheck.Build("scale", [TensorType.F32(1, 4, 40)], n => Nn.Scale(Nn.Mul(n[0], Weight.Create("m", new CaseRng(1).Normal(1, 1, 40))), factor: 2f));
        var t = LegalizeCheck.Legalize(g);
        Assert.All(t.Nodes.Where(n => n.Op is Weight), w => Assert.Equal(DType.BF16, w.Type.DType));
        // The input is cast once to bf16 on the device; the constants are bf16 weights, not cast.
        Assert.Equal(2, LegalizeCheck.Count(t, "ttnn.typecast")); // in, and the f32 output
        Assert.Equal(2, LegalizeCheck.Count(t, "ttnn.multiply"));
    }
}
