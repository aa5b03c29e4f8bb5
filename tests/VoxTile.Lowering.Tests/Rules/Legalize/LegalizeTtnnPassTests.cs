using VoxTile.IR;
using VoxTile.IR.Text;
using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.Lowering.Passes;
using VoxTile.Lowering.Rules.Legalize;
using VoxTile.Lowering.Tests.Rules.Decompose;

namespace VoxTile.Lowering.Tests.Rules.Legalize;

/// <summary>The pass as a whole: its name in pipelines, the noise inputs, the verifier, and the failure on an op with no lowering.</summary>
public sealed class LegalizeTtnnPassTests
{
    /// <summary>An nn op that no rule knows, as a model may grow one before its lowering exists.</summary>
    private sealed class Frobnicate : Op
    {
        public override string Name => "nn.frobnicate";
        public override IReadOnlyList<OperandSpec> Operands => [new("input", OperandKind.Required)];
        public override IReadOnlyList<KeyValuePair<string, object>> Attributes => [];
        public override TypeResult InferType(IReadOnlyList<TensorType> inputs) => inputs[0];
        public override Tensor Evaluate(IReadOnlyList<Tensor> inputs) => inputs[0];
    }

    [Fact]
    public void AnOpWithNoLoweringFailsWithItsNameAndOrigin()
    {
        var x = Input.Create("spec", TensorType.F32(1, 4, 8));
        var h = Nn.Tanh(x, name: "hidden");
        var f = Node.Create(new Frobnicate(), [Nn.Relu(h)]);
        var g = Graph.Create("g", [x], [Nn.Exp(f)]);
        var e = Assert.Throws<VoxTileException>(() => PassRegistry.Parse("legalize-ttnn").Run(g, RuleCheck.Context()));
        Assert.Equal("nn.frobnicate (value %1, from %hidden) has no TTNN lowering", e.Message);

        var named = Graph.Create("g", [x], [Node.Create(new Frobnicate(), [x], "frob")]);
        e = Assert.Throws<VoxTileException>(() => new LegalizeTtnnPass().Run(named, RuleCheck.Context()));
        Assert.Equal("nn.frobnicate (value %frob, from %spec) has no TTNN lowering", e.Message);
    }

    [Fact]
    public void AnOpLeftForDecomposeFailsTheSameWay()
    {
        var g = RuleCheck.Build("gru", [TensorType.F32(1, 5, 3), TensorType.F32(6, 3), TensorType.F32(6, 2), TensorType.F32(6), TensorType.F32(6)],
            n => Nn.Gru(n[0], n[1], n[2], n[3], n[4]));
        var e = Assert.Throws<VoxTileException>(() => new LegalizeTtnnPass().Run(g, RuleCheck.Context()));
        Assert.Equal("nn.gru (value %0, from %in0) has no TTNN lowering", e.Message);
    }

    [Fact]
    public void AssertLegalRejectsNnOpsAndUnmetRequirements()
    {
        var x = Input.Create("x", TensorType.F32(1, 4, 8));
        var e = Assert.Throws<VoxTileException>(() => LegalizeTtnnPass.AssertLegal(Graph.Create("g", [x], [Nn.Relu(Nn.Tanh(x, name: "t"))])));
        Assert.Equal("nn.tanh (value %t, from %x) has no TTNN lowering", e.Message);

        // A ttnn.conv1d takes a TILE input in bf16 (TTNN's halo step untilizes it), but not in f32, and not when strided.
        Node Conv(DType dtype, int stride)
        {
            var tile = Input.Create("x", new TensorType(dtype, new Shape(1, 8, 4), Layout.Tile));
            var w = Weight.Create("w", new TensorType(dtype, new Shape(2, 4, 1), Layout.RowMajor), null, null);
            var conv = Node.Create(new Conv1d { InChannels = 4, OutChannels = 2, BatchSize = 1, InputLength = 8, KernelSize = 1, Stride = stride }, [tile, w]);
            return conv.WithType(conv.Type with { Layout = Layout.Tile });
        }
        Graph Of(Node conv) => Graph.Create("g", [conv.Inputs[0]], [conv]);
        LegalizeTtnnPass.AssertLegal(Of(Conv(DType.BF16, 1)));
        e = Assert.Throws<VoxTileException>(() => LegalizeTtnnPass.AssertLegal(Of(Conv(DType.F32, 1))));
        Assert.Equal("ttnn.conv1d (value %1): input_tensor must be ROW_MAJOR in f32, got TILE", e.Message);
        e = Assert.Throws<VoxTileException>(() => LegalizeTtnnPass.AssertLegal(Of(Conv(DType.BF16, 2))));
        Assert.Equal("ttnn.conv1d (value %1): input_tensor must be ROW_MAJOR, got TILE", e.Message);
    }

    [Fact]
    public void RandnLikeBecomesANoiseInputThatCarriesItsSeed()
    {
        var g = RuleCheck.Build("noise", [TensorType.F32(1, 6, 10)], n =>
            Nn.Add(n[0], Nn.Scale(Nn.RandnLike(n[0], -3, name: "eps"), factor: 0.5f)));
        var ctx = RuleCheck.Context();
        var t = LegalizeCheck.Legalize(g, ctx);
        var (input, seed) = Assert.Single(RandnInputs.Of(t));
        Assert.Equal(-3L, seed);
        Assert.Equal(-3L, Assert.IsType<Input>(input.Op).NoiseSeed);
        Assert.Equal("eps", input.Name);
        Assert.Equal(new TensorType(DType.F32, new Shape(1, 6, 10), LegalizeTtnnPass.HostLayout), input.Type);
        Assert.Contains(ctx.Diagnostics, d => d.Contains("%eps is a noise input", StringComparison.Ordinal) && d.Contains("seed -3", StringComparison.Ordinal));
        // The runtime's fill is the reference's draw: the legalized graph computes what the nn graph computes.
        LegalizeCheck.Same(g, t, [new CaseRng(9).Normal(1, 6, 10)], 1e-6, "noise");
        // The text form prints the seed as the input's attribute and reads it back.
        var text = t.ToString();
        Assert.Contains("%eps: f32[1,6,10]{tile} {noise_seed = -3}", text);
        var back = Parser.Parse(text);
        Assert.Equal(-3L, RandnInputs.SeedOf(back.Inputs.Single(i => i.Name == "eps")));
        Assert.Equal(text, back.ToString());
    }

    [Fact]
    public void ANoiseInputNeverTakesTheNameOfAGraphInput()
    {
        var g = RuleCheck.Build("noise", [TensorType.F32(1, 6, 10)], n =>
            Nn.Add(n[0], Nn.RandnLike(n[0], 5, name: n[0].Name)));
        var t = LegalizeCheck.Legalize(g, RuleCheck.Context());
        var (input, _) = Assert.Single(RandnInputs.Of(t));
        Assert.Equal(t.Inputs.Length, t.Inputs.Select(i => i.Name).Distinct().Count());
        Assert.StartsWith(g.Inputs[0].Name + "_", input.Name);
    }

    [Fact]
    public void ValuesKeepTheirNamesAndWeightKeysTheirContent()
    {
        var rng = new CaseRng(10);
        var w = Weight.Create("conv.weight", rng.Normal(4, 4, 3));
        var b = Weight.Create("conv.bias", rng.Normal(4));
        var g = RuleCheck.Build("names", [TensorType.F32(1, 4, 12)], n =>
            Nn.Add(Nn.Conv1d(n[0], w, bias: b, padding: 1, name: "h"), Nn.Reshape(b, [1, 4, 1]), name: "out"));
        var t = LegalizeCheck.Legalize(g);
        Assert.Contains(t.Nodes, n => n.Name == "h" && n.Op is Conv1d);
        Assert.Contains(t.Nodes, n => n.Name == "out" && n.Op is Add);
        // One type per key: the bias as the conv's host [1, 1, 1, 4] and as a tile operand of the add.
        var keys = t.Nodes.Where(n => n.Op is Weight).GroupBy(n => ((Weight)n.Op).Key);
        Assert.All(keys, k => Assert.Single(k.Select(n => n.Type).Distinct()));
        LegalizeCheck.Same(g, t, [rng.Normal(1, 4, 12)], 1e-5, "names");
    }

    [Fact]
    public void SymbolicShapesAreRefused()
    {
        var x = Input.Create("x", new TensorType(DType.F32, new Shape([Dim.Of(1), Dim.Of(4), Dim.Sym("T")])));
        var e = Assert.Throws<VoxTileException>(() => new LegalizeTtnnPass().Run(Graph.Create("g", [x], [Nn.Relu(x)]), RuleCheck.Context()));
        Assert.StartsWith("legalize-ttnn needs static shapes", e.Message);
    }
}
