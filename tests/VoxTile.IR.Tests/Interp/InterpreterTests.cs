using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR.Interp;
using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Ops.Movement;
using VoxTile.IR.Tests.Support;

namespace VoxTile.IR.Tests.Interp;

public sealed class InterpreterTests
{
    /// <summary>The interpreter computes what evaluating each op on its operands' values computes.</summary>
    [Property(MaxTest = 60)]
    public Property RunsRandomGraphsToTheirStepByStepValues() => Prop.ForAll(RandomGraphs.Cases.ToArbitrary(), c =>
    {
        var got = Interpreter.Run(c.Graph, c.Inputs);
        Assert.Equal(c.Expected.Length, got.Length);
        for (int i = 0; i < got.Length; i++) Near.Exact(got[i], c.Expected[i], $"{c}\noutput {i}");
    });

    [Property(MaxTest = 40)]
    public Property ObservesEveryComputedValueOnceInOrder() => Prop.ForAll(RandomGraphs.Cases.ToArbitrary(), c =>
    {
        var seen = new List<(Node Node, Tensor Value)>();
        var outputs = Interpreter.Run(c.Graph, c.Inputs, (n, t) => seen.Add((n, t)));
        Assert.Equal(c.Graph.Nodes, seen.Select(s => s.Node));
        for (int i = 0; i < c.Graph.Outputs.Length; i++)
        {
            var o = c.Graph.Outputs[i];
            if (o.Op is Input) Assert.Same(c.Inputs[c.Graph.Inputs.IndexOf(o)], outputs[i]);
            else Assert.Same(seen.Single(s => ReferenceEquals(s.Node, o)).Value, outputs[i]);
        }
    });

    [Fact]
    public void RejectsAWrongNumberOfInputs()
    {
        var x = Input.Create("x", TensorType.F32(2));
        var y = Input.Create("y", TensorType.F32(2));
        var g = Graph.Create("g", [x, y], [Nn.Add(x, y)]);
        var e = Assert.Throws<VoxTileException>(() => Interpreter.Run(g, [new Tensor([2])]));
        Assert.Contains("@g takes 2 inputs, 1 given", e.Message);
        Assert.Throws<VoxTileException>(() => Interpreter.Run(g, [new Tensor([2]), new Tensor([2]), new Tensor([2])]));
    }

    [Fact]
    public void RejectsInputsOfTheWrongShape()
    {
        var x = Input.Create("spec", new TensorType(DType.F32, new Shape([1, 4, Dim.Sym("T")])));
        var g = Graph.Create("g", [x], [Nn.Relu(x)]);
        Assert.Equal([1, 4, 7], Interpreter.Run(g, [new Tensor([1, 4, 7])])[0].Shape);
        Assert.Equal([1, 4, 1], Interpreter.Run(g, [new Tensor([1, 4, 1])])[0].Shape);
        Assert.Contains("input %spec has shape [1,5,7], expected [1,4,T]", Assert.Throws<VoxTileException>(() => Interpreter.Run(g, [new Tensor([1, 5, 7])])).Message);
        Assert.Contains("expected [1,4,T]", Assert.Throws<VoxTileException>(() => Interpreter.Run(g, [new Tensor([4, 7])])).Message);
    }

    [Fact]
    public void ReturnsEveryOutputIncludingInputsAndRepeats()
    {
        var x = Input.Create("x", TensorType.F32(3));
        var a = Nn.Relu(x, name: "a");
        var b = Nn.Neg(a, name: "b"); // a is an output and also used later: it must not be freed
        var g = Graph.Create("g", [x], [a, b, x, a]);
        var input = new Tensor([3], [-1, 2, -3]);
        var r = Interpreter.Run(g, [input]);
        Assert.Equal(4, r.Length);
        Assert.Equal([0f, 2, 0], r[0].Data);
        Assert.Equal([-0f, -2, -0], r[1].Data);
        Assert.Same(input, r[2]);
        Assert.Same(r[0], r[3]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FreesIntermediatesAfterTheirLastUse(bool aIsAnOutput)
    {
        // x → a → b → c → probe: when the probe runs, a and b have no use left and nothing may hold them,
        // unless a is also an output (the negative twin, which shows that the probe sees a live tensor as alive).
        var x = Input.Create("x", TensorType.F32(1 << 16));
        var a = Nn.Relu(x, name: "a");
        var b = Nn.Neg(a, name: "b");
        var c = Nn.Tanh(b, name: "c");
        var alive = new List<string>();
        var weak = new Dictionary<string, WeakReference>();
        var probe = Node.Create(new Probe(() =>
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            alive.AddRange(weak.Where(kv => kv.Value.IsAlive).Select(kv => kv.Key));
        }), [c]);
        var g = Graph.Create("g", [x], aIsAnOutput ? [probe, a] : [probe]);
        Interpreter.Run(g, [new Tensor([1 << 16])], (n, t) => { if (n.Name is { } name) weak[name] = new WeakReference(t); });
        Assert.Equal(["a", "b", "c"], weak.Keys.Order());
        Assert.Equal(aIsAnOutput, alive.Contains("a"));
        Assert.DoesNotContain("b", alive);
        Assert.Contains("c", alive); // the probe's own operand
    }

    [Fact]
    public void AnOpFailureNamesTheValue()
    {
        // A reflect pad of 3 is fine for a symbolic length, not for a runtime length of 2.
        var x = Input.Create("x", new TensorType(DType.F32, new Shape([1, Dim.Sym("T")])));
        var g = Graph.Create("g", [x], [Nn.Pad(x, left: 3, mode: PadMode.Reflect, name: "padded")]);
        var e = Assert.Throws<VoxTileException>(() => Interpreter.Run(g, [new Tensor([1, 2])]));
        Assert.StartsWith("%padded (nn.pad): reflect padding", e.Message);
    }

    [Fact]
    public void AnOutputOfAnotherShapeThanItsTypeIsAnInternalError()
    {
        var x = Input.Create("x", TensorType.F32(2));
        var g = Graph.Create("g", [x], [Node.CreateTyped(new VoxTile.IR.Ops.Elementwise.Relu(), [x], TensorType.F32(3))]);
        Assert.Contains("produced shape [2]", Assert.Throws<InvalidOperationException>(() => Interpreter.Run(g, [new Tensor([2])])).Message);
    }

    /// <summary>An identity op that runs a callback when it is evaluated.</summary>
    private sealed class Probe(Action onEvaluate) : Op
    {
        public override string Name => "test.probe";
        public override IReadOnlyList<OperandSpec> Operands => [new("input", OperandKind.Required)];
        public override IReadOnlyList<KeyValuePair<string, object>> Attributes => [];
        public override TypeResult InferType(IReadOnlyList<TensorType> inputs) => inputs[0];

        public override Tensor Evaluate(IReadOnlyList<Tensor> inputs)
        {
            onEvaluate();
            return inputs[0].Clone();
        }
    }
}
