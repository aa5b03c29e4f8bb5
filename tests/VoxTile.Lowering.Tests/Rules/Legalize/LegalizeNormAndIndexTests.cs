using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR;
using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.Lowering.Rules.Decompose;
using VoxTile.Lowering.Tests.Rules.Decompose;

namespace VoxTile.Lowering.Tests.Rules.Legalize;

/// <summary>layer_norm, softmax, reduce_sum, cumsum, embedding, full and arange.</summary>
public sealed class LegalizeNormAndIndexTests
{
    [Property(MaxTest = 60)]
    public Property AxisOpsEqualTheNnOps() => Prop.ForAll(
        (from op in Gen.Elements("layer_norm", "softmax", "reduce_sum", "reduce_sum_drop", "cumsum") from axis in Gen.Choose(0, 2)
         from c in Gen.Choose(1, 9) from t in Gen.Choose(1, 40) from afterConv in Gen.Elements(true, false) from seed in Gen.Choose(0, int.MaxValue - 1)
         select (op, axis, c, t, afterConv, seed)).ToArbitrary(), k =>
    {
        var rng = new CaseRng(k.seed);
        var x = rng.Normal(1, k.c, k.t);
        var w = Weight.Create("w", rng.Normal(k.c, k.c, 1));
        int size = k.axis == 0 ? 1 : k.axis == 1 ? k.c : k.t;
        var g = RuleCheck.Build("axis", [TensorType.F32(x.Shape)], n =>
        {
            var a = k.afterConv ? Nn.Conv1d(n[0], w) : n[0];
            return k.op switch
            {
                "layer_norm" => Nn.LayerNorm(a, Weight.Create("g", rng.Normal(size)), Weight.Create("b", rng.Normal(size)), axis: k.axis),
                "softmax" => Nn.Softmax(a, axis: k.axis),
                "reduce_sum" => Nn.ReduceSum(a, k.axis),
                "reduce_sum_drop" => Nn.ReduceSum(a, k.axis, keepDims: false),
                _ => Nn.Cumsum(a, axis: k.axis),
            };
        });
        var t = LegalizeCheck.Legalize(g);
        LegalizeCheck.Same(g, t, [x], 1e-5, k.ToString());
    });

    [Fact]
    public void EmbeddingIdsAreU32RowMajorAndTheTableBf16RowMajor()
    {
        var rng = new CaseRng(6);
        var table = Weight.Create("emb.weight", rng.Normal(30, 8));
        var g = RuleCheck.Build("emb", [TensorType.F32(1, 12)], n => Nn.Transpose(Nn.Embedding(n[0], table), [0, 2, 1]));
        var t = LegalizeCheck.Legalize(g);
        LegalizeCheck.Same(g, t, [rng.Integers(0, 29, 1, 12)], 1e-6, "embedding");
        var e = Assert.Single(t.Nodes, n => n.Op is Embedding);
        Assert.Equal((DType.U32, Layout.RowMajor), (e.Inputs[0].Type.DType, e.Inputs[0].Type.Layout));
        Assert.Equal((DType.BF16, Layout.RowMajor), (e.Inputs[1].Type.DType, e.Inputs[1].Type.Layout));
        // The op's requirement inserted both: cast to u32, then untilize (the ids arrive as a TILE f32 input).
        Assert.IsType<ToLayout>(e.Inputs[0].Op);
        Assert.IsType<Typecast>(e.Inputs[0].Inputs[0].Op);
    }

    /// <summary>
    /// With f32 activations the bf16-only ttnn.embedding gathers three bf16 parts of the table, summed in f32: the
    /// parts are bf16 values and give the fp32 table back exactly, so the f32 plan's rows are the model's.
    /// </summary>
    [Fact]
    public void AnF32PlanGathersTheTableExactlyFromThreeBf16Parts()
    {
        var rng = new CaseRng(9);
        var values = rng.Normal(30, 8);
        values.Data[0] = 1f / 3; values.Data[1] = 1e-30f; values.Data[2] = -3.0e38f; values.Data[3] = 16777215f;
        var parts = Enumerable.Range(0, 3).Select(k => VoxTile.Lowering.Rules.Legalize.LegalizeEmbedding.Part(values, k)).ToArray();
        for (int i = 0; i < values.Length; i++)
        {
            Assert.All(parts, p => Assert.Equal(p.Data[i], VoxTile.IR.Numerics.BFloat16.Round(p.Data[i])));
            Assert.Equal(values.Data[i], parts[0].Data[i] + (parts[1].Data[i] + parts[2].Data[i]));
        }
        var table = Weight.Create("emb.weight", values);
        var g = RuleCheck.Build("emb", [TensorType.F32(1, 12)], n => Nn.Embedding(n[0], table));
        var t = LegalizeCheck.Legalize(g, new VoxTile.Lowering.Passes.LoweringOptions { WeightDType = DType.F32, ActivationDType = DType.F32 });
        var gathers = t.Nodes.Where(n => n.Op is Embedding).ToList();
        Assert.Equal(3, gathers.Count);
        Assert.All(gathers, e => Assert.Equal(DType.BF16, e.Inputs[1].Type.DType));
        Assert.Equal(DType.F32, t.Outputs[0].Type.DType);
        LegalizeCheck.Same(g, t, [rng.Integers(0, 29, 1, 12)], 0, "embedding in f32");
    }

    [Fact]
    public void FullAndArangeBecomeConstants()
    {
        var g = RuleCheck.Build("consts", [TensorType.F32(1, 1, 16)], n =>
            Nn.Mul(Nn.Less(Nn.Reshape(Nn.Arange(16), [1, 1, 16]), n[0]), Nn.Full(2f, shape: [1, 1, 16])));
        var t = LegalizeCheck.Legalize(g);
        LegalizeCheck.Same(g, t, [new CaseRng(7).Uniform(0, 16, 1, 1, 16)], 0, "consts");
        Assert.DoesNotContain(t.Nodes, n => n.Op.Name.StartsWith("nn.", StringComparison.Ordinal));
        // The frame index is exact and compares in f32 (values past 256 would round in bf16).
        var lt = Assert.Single(t.Nodes, n => n.Op is Lt);
        Assert.All(lt.Inputs, i => Assert.Equal(DType.F32, i.Type.DType));
    }

    [Fact]
    public void AlignmentPathComparesInF32AndMatchesTheReference()
    {
        var g = RuleCheck.Build("path", [TensorType.F32(1, 1, 12)], n =>
            Models.MeloTTS.LengthRegulator.FromDurations(Nn.Ceil(n[0]), Nn.Full(1f, shape: [1, 1, 12]), 400).Path);
        var d = RuleCheck.Apply(g, new DecomposeCumsum());
        var t = LegalizeCheck.Legalize(d);
        var durations = new CaseRng(8).Uniform(20, 33, 1, 1, 12); // Σ up to ~400 frames: past bf16's 256
        LegalizeCheck.Same(g, t, [durations], 0, "path");
        Assert.All(t.Nodes.Where(n => n.Op is Lt), lt => Assert.All(lt.Inputs, i => Assert.Equal(DType.F32, i.Type.DType)));
    }
}
