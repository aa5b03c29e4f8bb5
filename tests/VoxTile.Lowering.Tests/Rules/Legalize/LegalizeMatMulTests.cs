using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR;
using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.Lowering.Passes;
using VoxTile.Lowering.Tests.Rules.Decompose;

namespace VoxTile.Lowering.Tests.Rules.Legalize;

/// <summary>linear and matmul: weights pre-transposed into TTNN's [K, N], transposed operands passed as flags.</summary>
public sealed class LegalizeMatMulTests
{
    [Property(MaxTest = 60)]
    public Property LinearEqualsTheNnOp() => Prop.ForAll(
        (from lead in Gen.ArrayOf(Gen.Choose(1, 5), 2) from i in Gen.Choose(1, 12) from o in Gen.Choose(1, 12) from bias in Gen.Elements(true, false)
         from constant in Gen.Elements(true, false) from seed in Gen.Choose(0, int.MaxValue - 1) select (lead, i, o, bias, constant, seed)).ToArbitrary(), c =>
    {
        var rng = new CaseRng(c.seed);
        var x = rng.Normal([.. c.lead, c.i]);
        var w = rng.Normal(c.o, c.i);
        var types = new List<TensorType> { TensorType.F32(x.Shape) };
        if (!c.constant) types.Add(TensorType.F32(w.Shape));
        var g = RuleCheck.Build("linear", types, n =>
            Nn.Linear(n[0], c.constant ? Weight.Create("fc.weight", w) : n[1], bias: c.bias ? Weight.Create("fc.bias", rng.Normal(c.o)) : null));
        var t = LegalizeCheck.Legalize(g, new LoweringOptions { WeightDType = DType.BFP8_B });
        Tensor[] inputs = c.constant ? [x] : [x, w];
        LegalizeCheck.Same(g, t, inputs, 1e-5, c.ToString());
        var fc = Assert.Single(t.Nodes, n => n.Op is Linear);
        Assert.Equal(!c.constant, ((Linear)fc.Op).TransposeB);
        if (c.constant)
        {
            // [K, N] = [I, O], already transposed, in the weight dtype; the bias stays bf16.
            Assert.Equal(new Shape(c.i, c.o), fc.Inputs[1].Shape);
            Assert.Equal(DType.BFP8_B, fc.Inputs[1].Type.DType);
        }
        if (c.bias) Assert.Equal(DType.BF16, fc.Inputs[2].Type.DType);
    });

    [Property(MaxTest = 60)]
    public Property MatMulEqualsTheNnOp() => Prop.ForAll(
        (from m in Gen.Choose(1, 9) from k in Gen.Choose(1, 9) from nn in Gen.Choose(1, 9) from heads in Gen.Choose(1, 3)
         from ta in Gen.Elements(true, false) from tb in Gen.Elements(true, false) from tout in Gen.Elements(true, false) from seed in Gen.Choose(0, int.MaxValue - 1)
         select (m, k, nn, heads, ta, tb, tout, seed)).ToArbitrary(), c =>
    {
        // Operands that reach the matmul through nn transposes (as MeloTTS's attention does) and a result read transposed.
        var rng = new CaseRng(c.seed);
        var a = rng.Normal(1, c.heads, c.ta ? c.k : c.m, c.ta ? c.m : c.k);
        var b = rng.Normal(1, c.heads, c.tb ? c.nn : c.k, c.tb ? c.k : c.nn);
        var g = RuleCheck.Build("matmul", [TensorType.F32(a.Shape), TensorType.F32(b.Shape)], n =>
        {
            var x = c.ta ? Nn.Transpose(Nn.Exp(n[0]), [0, 1, 3, 2]) : Nn.Exp(n[0]);
            var y = c.tb ? Nn.Transpose(Nn.Tanh(n[1]), [0, 1, 3, 2]) : Nn.Tanh(n[1]);
            var p = Nn.MatMul(x, y);
            return c.tout ? Nn.Relu(Nn.Transpose(p, [0, 1, 3, 2])) : p;
        });
        var t = LegalizeCheck.Legalize(g);
        LegalizeCheck.Same(g, t, [a, b], 1e-5, c.ToString());
        Assert.Equal(0, LegalizeCheck.Count(t, "ttnn.permute"));
    });

    [Fact]
    public void ALinearOverMergedNhwcAxesPermutesItsWeightInsteadOfTheActivation()
    {
        // ref_enc: conv2d output [1, C, H, W] → transpose [1, H, C, W] → reshape [1, H, C·W] → linear.
        var rng = new CaseRng(12);
        var cw = Weight.Create("conv.weight", rng.Normal(6, 2, 3, 3));
        var fc = Weight.Create("gru.weight_ih", rng.Normal(9, 6 * 4));
        var g = RuleCheck.Build("ref_enc", [TensorType.F32(1, 2, 10, 8)], n =>
        {
            var y = Nn.Relu(Nn.Conv2d(n[0], cw, stride: [2, 2], padding: [1, 1])); // [1, 6, 5, 4]
            return Nn.Linear(Nn.Reshape(Nn.Transpose(y, [0, 2, 1, 3]), [1, 5, 24]), fc, bias: Weight.Create("b", rng.Normal(9)));
        });
        var t = LegalizeCheck.Legalize(g);
        LegalizeCheck.Same(g, t, [rng.Normal(1, 2, 10, 8)], 1e-5, "ref_enc");
        Assert.Equal(1, LegalizeCheck.Count(t, "ttnn.permute")); // only the nn-order input into the NHWC conv
        var linear = Assert.Single(t.Nodes, n => n.Op is Linear);
        Assert.Equal("const.gru.weight_ih.cols_10", ((Weight)linear.Inputs[1].Op).Key);
    }

    [Fact]
    public void ThePrefixSumMatmulsStayF32()
    {
        // Durations summed to frame boundaries past bf16's exact range: the decomposed cumsum must compute in f32.
        var g = RuleCheck.Build("cumsum", [TensorType.F32(1, 1, 100)], n => Nn.Cumsum(Nn.Ceil(n[0]), axis: -1));
        var d = RuleCheck.Apply(g, new Lowering.Rules.Decompose.DecomposeCumsum());
        var t = LegalizeCheck.Legalize(d);
        var durations = new CaseRng(5).Integers(1, 9, 1, 1, 100);
        LegalizeCheck.Same(g, t, [durations], 0, "cumsum");
        Assert.All(t.Nodes.Where(n => n.Op is Matmul), mm =>
        {
            Assert.Equal(DType.F32, mm.Type.DType);
            Assert.All(mm.Inputs, i => Assert.Equal(DType.F32, i.Type.DType));
        });
        Assert.Contains(t.Nodes, n => n.Op is Weight w && w.Key.StartsWith("const.cumsum_tri", StringComparison.Ordinal) && n.Type.DType == DType.F32);
    }
}
