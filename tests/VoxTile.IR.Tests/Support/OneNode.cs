using VoxTile.IR.Interp;
using VoxTile.IR.Ops.Graph;

namespace VoxTile.IR.Tests.Support;

/// <summary>Runs one op the way a graph runs it: fresh inputs of the tensors' shapes, one node, the interpreter.</summary>
public static class OneNode
{
    /// <summary>
    /// Builds the node over inputs x0, x1, … (f32, the tensors' fixed shapes), runs it, and asserts the first law of
    /// every op: the inferred type's shape is the shape of the reference output.
    /// </summary>
    public static Tensor Run(Func<Node[], Node> build, params Tensor[] inputs)
    {
        var ins = inputs.Select((t, i) => Input.Create("x" + i, TensorType.F32(t.Shape))).ToArray();
        var node = build(ins);
        var y = Interpreter.Run(Graph.Create("one", ins, [node]), inputs)[0];
        Assert.True(node.Shape.IsFixed, $"{node.Op.Name} inferred {node.Type} from fixed inputs");
        Assert.True(node.Shape.ToArray().SequenceEqual(y.Shape), $"{node.Op.Name}: inferred {node.Type}, reference output {y.ShapeString}");
        return y;
    }

    /// <summary>The graph of a single node over named inputs (for the tests that need the graph itself).</summary>
    public static Graph GraphOf(Node output, params Node[] inputs) => Graph.Create("one", inputs, [output]);

    public static Tensor[] Run(Graph g, params Tensor[] inputs) => Interpreter.Run(g, inputs);
}
