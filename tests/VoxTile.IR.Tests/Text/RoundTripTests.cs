using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR.Interp;
using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Tests.Support;
using VoxTile.IR.Text;

namespace VoxTile.IR.Tests.Text;

public sealed class RoundTripTests
{
    /// <summary>print(parse(print(g))) == print(g) over random graphs (types only: no weight data needed).</summary>
    [Property(MaxTest = 100)]
    public Property PrintParsePrintIsStable() => Prop.ForAll(RandomGraphs.Cases.ToArbitrary(), c =>
    {
        var text = Printer.Print(c.Graph);
        var again = Printer.Print(Parser.Parse(text));
        Assert.True(text == again, $"{c}\nreprinted as:\n{again}");
    });

    /// <summary>A graph parsed with its weights runs to the same bits as the graph it was printed from.</summary>
    [Property(MaxTest = 60)]
    public Property ParsedGraphComputesTheSame() => Prop.ForAll(RandomGraphs.Cases.ToArbitrary(), c =>
    {
        var parsed = Parser.Parse(Printer.Print(c.Graph), c.Weight);
        var want = Interpreter.Run(c.Graph, c.Inputs);
        var got = Interpreter.Run(parsed, c.Inputs);
        Assert.Equal(want.Length, got.Length);
        for (int i = 0; i < want.Length; i++) Near.Exact(got[i], want[i], $"{c}\noutput {i}");
    });

    [Theory]
    [InlineData(0.1f)]
    [InlineData(-1e4f)]
    [InlineData(1e-5f)]
    [InlineData(float.Epsilon)]
    [InlineData(float.MaxValue)]
    [InlineData(-0.333333343f)]
    [InlineData(float.NegativeInfinity)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NaN)]
    [InlineData(3f)]
    public void FloatAttributesSurviveExactly(float value)
    {
        var x = Input.Create("x", TensorType.F32(2));
        var g = Graph.Create("g", [x], [Nn.Scale(x, factor: value, offset: -value)]);
        var op = Assert.IsType<VoxTile.IR.Ops.Elementwise.Scale>(Parser.Parse(Printer.Print(g)).Nodes[0].Op);
        Assert.Equal(value, op.Factor);
        Assert.Equal(-value, op.Offset);
        Assert.Contains(value is 3f ? "factor = 3.0" : "factor = ", Printer.Print(g));
    }
}
