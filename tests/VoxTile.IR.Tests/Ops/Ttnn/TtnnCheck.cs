using FsCheck;
using FsCheck.Fluent;
using VoxTile.IR.Interp;
using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Tests.Support;

namespace VoxTile.IR.Tests.Ops.Ttnn;

/// <summary>Helpers of the ttnn op tests: running a small graph, comparing with an nn composition, shape generators.</summary>
public static class TtnnCheck
{
    /// <summary>
    /// Runs <paramref name="build"/> over inputs of the given types on the reference interpreter (which checks that
    /// every value's inferred shape is its computed shape) and asserts the output's inferred shape is fixed and equal.
    /// </summary>
    public static Tensor Run(Func<Node[], Node> build, TensorType[] types, params Tensor[] values)
    {
        var ins = types.Select((t, i) => Input.Create("x" + i, t)).ToArray();
        var node = build(ins);
        var y = Interpreter.Run(IR.Graph.Create("one", ins, [node]), values)[0];
        Assert.True(node.Shape.IsFixed, $"{node.Op.Name} inferred {node.Type} from fixed inputs");
        Assert.True(node.Shape.ToArray().SequenceEqual(y.Shape), $"{node.Op.Name}: inferred {node.Type}, reference output {y.ShapeString}");
        return y;
    }

    /// <summary>Same shape, and max |a − e| ≤ rel · max(1, max |e|) (NaN only where NaN is expected).</summary>
    public static void Close(Tensor actual, Tensor expected, double rel, string what)
    {
        Assert.True(actual.Shape.SequenceEqual(expected.Shape), $"{what}: shape {actual.ShapeString} vs {expected.ShapeString}");
        double scale = 1;
        foreach (var e in expected.Data) if (float.IsFinite(e)) scale = Math.Max(scale, Math.Abs(e));
        for (int i = 0; i < expected.Data.Length; i++)
        {
            float a = actual.Data[i], e = expected.Data[i];
            if (a.Equals(e)) continue;
            if (!(Math.Abs(a - e) <= rel * scale)) Assert.Fail($"{what}: element {i} is {a:R}, expected {e:R}");
        }
    }

    public static void Close(Tensor actual, int[] shape, double[] expected, double rel, string what) =>
        Close(actual, new Tensor(shape, [.. expected.Select(v => (float)v)]), rel, what);

    /// <summary>A shape of rank in [minRank, maxRank] with dims in [1, maxDim].</summary>
    public static Gen<int[]> Shape(int minRank, int maxRank, int maxDim) =>
        from rank in Gen.Choose(minRank, maxRank)
        from dims in Gen.Choose(1, maxDim).ArrayOf(rank)
        select dims;

    public static string Show(int[] a) => "[" + string.Join(",", a) + "]";

    public static TensorType F32(params int[] shape) => TensorType.F32(shape);

    public static TensorType Of(DType t, params int[] shape) => new(t, new Shape(shape));

    public static TensorType[] F32Types(params Tensor[] values) => [.. values.Select(v => TensorType.F32(v.Shape))];
}
