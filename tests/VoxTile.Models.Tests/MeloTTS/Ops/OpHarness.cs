using VoxTile.IR;
using VoxTile.IR.Interp;
using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Text;

namespace VoxTile.Models.Tests.MeloTTS.Ops;

/// <summary>Runs one op on given tensors through a graph, and checks that the graph prints and parses back to the same text.</summary>
internal static class OpHarness
{
    public static Tensor Run(Func<Node[], Node> build, params Tensor[] inputs)
    {
        var nodes = inputs.Select((t, i) => Input.Create($"x{i}", TensorType.F32(t.Shape))).ToArray();
        var y = build(nodes);
        var g = IR.Graph.Create("op", nodes, [y]);
        var text = Printer.Print(g);
        Assert.Equal(text, Printer.Print(Parser.Parse(text)));
        var result = Interpreter.Run(g, inputs)[0];
        Assert.True(y.Shape.Matches(result.Shape), $"inferred {y.Shape}, reference gave {result.ShapeString}");
        return result;
    }

    public static Tensor Random(int[] shape, int seed, double scale = 1)
    {
        var rng = new Random(seed);
        var t = new Tensor(shape);
        for (int i = 0; i < t.Data.Length; i++) t.Data[i] = (float)((rng.NextDouble() * 2 - 1) * scale);
        return t;
    }
}
