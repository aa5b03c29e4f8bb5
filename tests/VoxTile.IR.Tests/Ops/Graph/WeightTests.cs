using VoxTile.IR.Interp;
using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Text;

namespace VoxTile.IR.Tests.Ops.Graph;

public sealed class WeightTests
{
    [Fact]
    public void CarriesItsKeyTypeAndData()
    {
        var data = new Tensor([2, 3], [1, 2, 3, 4, 5, 6]);
        var w = Weight.Create("dec.ups.0.weight", data);
        Assert.Equal(TensorType.F32(2, 3), w.Type);
        var op = Assert.IsType<Weight>(w.Op);
        Assert.Equal("dec.ups.0.weight", op.Key);
        Assert.Same(data, op.Evaluate([]));
        Assert.Equal([new KeyValuePair<string, object>("key", "dec.ups.0.weight")], op.Attributes);
    }

    [Fact]
    public void PrintsAsItsQuotedKey()
    {
        var x = Input.Create("x", TensorType.F32(2, 3));
        var g = IR.Graph.Create("g", [x], [Nn.Mul(x, Weight.Create("a \"quoted\" key", new Tensor([3]), name: "w"))]);
        Assert.Contains("%w = weight \"a \\\"quoted\\\" key\" : f32[3]", Printer.Print(g));
        Assert.Equal(Printer.Print(g), Printer.Print(Parser.Parse(Printer.Print(g))));
    }

    [Fact]
    public void WithoutDataItCannotBeEvaluated()
    {
        var x = Input.Create("x", TensorType.F32(3));
        var g = Parser.Parse(Printer.Print(IR.Graph.Create("g", [x], [Nn.Add(x, Weight.Create("b", new Tensor([3])))])));
        var w = Assert.IsType<Weight>(g.Nodes[0].Op);
        Assert.Null(w.Value);
        var e = Assert.Throws<VoxTileException>(() => Interpreter.Run(g, [new Tensor([3])]));
        Assert.Contains("'b'", e.Message);
        Assert.Contains("without weights", e.Message);
    }

    [Fact]
    public void SurvivesEveryUseInTheInterpreter()
    {
        // Weights are never freed after a use: a weight used by two distant nodes still has its data at the second.
        var x = Input.Create("x", TensorType.F32(2));
        var w = Weight.Create("w", new Tensor([2], [10, 20]));
        var y = Nn.Add(Nn.Relu(Nn.Mul(x, w)), w);
        var r = Interpreter.Run(IR.Graph.Create("g", [x], [y]), [new Tensor([2], [1, -1])])[0];
        Assert.Equal([20f, 20f], r.Data);
    }
}
