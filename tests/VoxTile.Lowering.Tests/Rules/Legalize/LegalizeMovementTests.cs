using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR;
using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.Lowering.Rules.Legalize;
using VoxTile.Lowering.Tests.Rules.Decompose;

namespace VoxTile.Lowering.Tests.Rules.Legalize;

/// <summary>
/// The data-movement rules (slice, concat, reshape, transpose, pad, flip) on channels-last and nn-order values: the
/// values are right, and transposes and reshapes cost nothing until a consumer needs other bytes.
/// </summary>
public sealed class LegalizeMovementTests
{
    public static readonly string[] Ops = ["slice", "concat", "stack", "flip", "pad", "pad_front", "reflect", "transpose", "reshape_split", "reshape_merge"];

    public sealed record Case(string Op, int B, int C, int T, int Axis, bool AfterConv, int Seed)
    {
        public override string ToString() => $"Case({Op}, [{B},{C},{T}], axis {Axis}, after conv {AfterConv}, seed {Seed})";
    }

    private static Gen<Case> Cases =>
        from op in Gen.Elements(Ops)
        from b in Gen.Choose(1, 2)
        from c in Gen.Choose(2, 9)
        from t in Gen.Choose(4, 40)
        from axis in Gen.Choose(0, 2)
        from afterConv in Gen.Elements(true, false)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        where op != "reshape_split" || t % 2 == 0
        select new Case(op, b, c, t, axis, afterConv, seed);

    [Property(MaxTest = 150)]
    public Property EqualsTheNnOp() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var rng = new CaseRng(c.Seed);
        var x = rng.Normal(c.B, c.C, c.T);
        var w = Weight.Create("w", rng.Normal(c.C, c.C, 1));
        var g = RuleCheck.Build("move", [TensorType.F32(x.Shape)], n =>
        {
            var a = c.AfterConv ? Nn.Conv1d(n[0], w) : n[0];
            var size = a.Shape[c.Axis].Value;
            Node y = c.Op switch
            {
                "slice" => Nn.Slice(a, c.Axis, size / 3, end: Math.Max(size / 3 + 1, size - 1), step: 1 + c.Seed % 2),
                "concat" => Nn.Concat([Nn.Slice(a, c.Axis, 0, end: (size + 1) / 2), Nn.Tanh(a)], c.Axis),
                "stack" => Nn.Reshape(Nn.Concat([Nn.Reshape(a, [c.B, c.C, c.T, 1]), Nn.Reshape(Nn.Neg(a), [c.B, c.C, c.T, 1])], 3), [c.B, c.C, 2 * c.T]),
                "flip" => Nn.Flip(a, axis: c.Axis),
                "pad" => Nn.Pad(a, right: 3, value: 0.5f),
                "pad_front" => Nn.Pad(a, left: 2, right: 1),
                "reflect" => Nn.Pad(a, left: 3, right: 2, mode: IR.Ops.Movement.PadMode.Reflect),
                "transpose" => Nn.Relu(Nn.Transpose(a, [0, 2, 1])),
                "reshape_split" => Nn.Reshape(a, [c.B, c.C, 2, c.T / 2]),
                _ => Nn.Reshape(a, [c.B, c.C * c.T]),
            };
            return c.AfterConv && y.Shape.Rank == 3 && y.Shape[1].Value == c.C ? Nn.Conv1d(y, w) : y;
        });
        var t = LegalizeCheck.Legalize(g);
        LegalizeCheck.Same(g, t, [x], 1e-5, c.ToString());
    });

    [Fact]
    public void ATransposePairAroundANormCostsNothingOnChannelsLastValues()
    {
        // VITS's channel LayerNorm after decompose: transpose, norm over the last axis, transpose back, between convs.
        var rng = new CaseRng(2);
        var w1 = Weight.Create("a.weight", rng.Normal(8, 8, 3));
        var w2 = Weight.Create("b.weight", rng.Normal(8, 8, 3));
        var gamma = Weight.Create("ln.gamma", rng.Normal(8));
        var beta = Weight.Create("ln.beta", rng.Normal(8));
        var g = RuleCheck.Build("ln", [TensorType.F32(1, 8, 30)], n =>
        {
            var y = Nn.Conv1d(n[0], w1, padding: 1);
            y = Nn.Transpose(Nn.LayerNorm(Nn.Transpose(y, [0, 2, 1]), gamma, beta, axis: -1), [0, 2, 1]);
            return Nn.Conv1d(y, w2, padding: 1);
        });
        var t = LegalizeCheck.Legalize(g);
        LegalizeCheck.Same(g, t, [rng.Normal(1, 8, 30)], 1e-5, "ln");
        // Only the graph's own input and output change order; the norm reads the conv output as it lies.
        Assert.Equal(2, LegalizeCheck.Count(t, "ttnn.permute"));
        var norm = Assert.Single(t.Nodes, n => n.Op is LayerNorm);
        Assert.IsType<Conv1d>(norm.Inputs[0].Op);
        Assert.Equal(1e-5f, ((LayerNorm)norm.Op).Epsilon);
    }

    [Fact]
    public void TheFlowsChannelFlipIsAnAntiIdentityMatmulOnTheWidth()
    {
        var rng = new CaseRng(3);
        var w = Weight.Create("w", rng.Normal(6, 6, 1));
        var g = RuleCheck.Build("flip", [TensorType.F32(1, 6, 50)], n => Nn.Conv1d(Nn.Flip(Nn.Conv1d(n[0], w), axis: 1), w));
        var t = LegalizeCheck.Legalize(g);
        LegalizeCheck.Same(g, t, [rng.Normal(1, 6, 50)], 1e-5, "flip");
        var mm = Assert.Single(t.Nodes, n => n.Op is Matmul);
        Assert.Equal("const.flip_6", ((Weight)mm.Inputs[1].Op).Key);
        Assert.Equal(new Shape(1, 1, 50, 6), mm.Shape);
    }

    [Fact]
    public void ThePolyphaseInterleaveJoinsPhasesAlongTheWidth()
    {
        // LowerConvTransposeToPolyphase's interleave: [B, C, Q, 1] × s → concat on axis 3 → [B, C, Q·s].
        var rng = new CaseRng(4);
        var ws = Enumerable.Range(0, 4).Select(r => Weight.Create($"p{r}", rng.Normal(8, 8, 2))).ToArray();
        var g = RuleCheck.Build("interleave", [TensorType.F32(1, 8, 20)], n =>
        {
            var phases = ws.Select(w => Nn.Reshape(Nn.Conv1d(n[0], w, padding: 1), [1, 8, 21, 1])).ToList();
            return Nn.Slice(Nn.Reshape(Nn.Concat(phases, 3), [1, 8, 84]), 2, 2, end: 82);
        });
        var t = LegalizeCheck.Legalize(g);
        LegalizeCheck.Same(g, t, [rng.Normal(1, 8, 20)], 1e-5, "interleave");
        var concat = Assert.Single(t.Nodes, n => n.Op is Concat);
        Assert.Equal(new Shape(1, 1, 21, 32), concat.Shape);
        Assert.Equal(1, LegalizeCheck.Count(t, "ttnn.reshape"));
    }
}
