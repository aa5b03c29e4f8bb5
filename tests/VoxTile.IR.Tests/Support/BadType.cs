using VoxTile.IR.Ops.Graph;

namespace VoxTile.IR.Tests.Support;

/// <summary>The contract for operands an op does not accept: inference fails with a reason and never throws; building a node throws.</summary>
public static class BadType
{
    /// <returns>The inference error, for the caller to check that it names the problem.</returns>
    public static string Expect(Op op, params TensorType[] operands)
    {
        TypeResult r = default;
        var thrown = Record.Exception(() => r = op.InferType(operands));
        Assert.True(thrown is null, $"{op.Name}.InferType threw {thrown?.GetType().Name}: {thrown?.Message}");
        Assert.False(r.Ok, $"{op.Name} accepted ({string.Join(", ", operands.Select(o => o.ToString()))}) as {r.Type}");
        Assert.False(string.IsNullOrWhiteSpace(r.Error), $"{op.Name} failed without a message");
        var inputs = operands.Select((t, i) => Input.Create("x" + i, t)).ToArray();
        var e = Assert.Throws<VoxTileException>(() => Node.Create(op, inputs));
        Assert.Contains(op.Name, e.Message);
        Assert.Contains(r.Error!, e.Message);
        return r.Error!;
    }

    /// <summary>Inference on these operands does not throw, whatever it decides.</summary>
    public static TypeResult NeverThrows(Op op, params TensorType[] operands)
    {
        TypeResult r = default;
        var thrown = Record.Exception(() => r = op.InferType(operands));
        Assert.True(thrown is null, $"{op.Name} {string.Join(", ", op.Attributes.Select(a => a.Key + "=" + AttributeMap.Format(a.Value)))} on ({string.Join(", ", operands.Select(o => o.ToString()))}): InferType threw {thrown?.GetType().Name}: {thrown?.Message}");
        if (!r.Ok) Assert.False(string.IsNullOrWhiteSpace(r.Error));
        return r;
    }

    public static TensorType F32(params Dim[] dims) => new(DType.F32, new Shape(dims));
}
