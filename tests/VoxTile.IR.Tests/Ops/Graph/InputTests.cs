using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Ops.Elementwise;

namespace VoxTile.IR.Tests.Ops.Graph;

public sealed class InputTests
{
    [Fact]
    public void HasItsDeclaredTypeAndIsNeverEvaluated()
    {
        var type = new TensorType(DType.BF16, new Shape([1, Dim.Sym("T", 8)]), Layout.Tile, MemoryConfig.L1Interleaved);
        var x = Input.Create("wav", type);
        Assert.Equal(type, x.Type);
        Assert.Equal("wav", x.Name);
        Assert.Equal(type, x.Op.InferType([]).Type);
        Assert.Empty(x.Op.Operands);
        Assert.Empty(x.Op.Attributes);
        Assert.Throws<InvalidOperationException>(() => x.Op.Evaluate([]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0x")]
    [InlineData("a b")]
    [InlineData("a-b")]
    public void NeedsAValidName(string name) =>
        Assert.Throws<ArgumentException>(() => Input.Create(name, TensorType.F32(1)));

    [Fact]
    public void GraphsTakeOnlyTheirOwnDistinctInputs()
    {
        var x = Input.Create("x", TensorType.F32(2));
        var y = Input.Create("y", TensorType.F32(2));
        var sum = Nn.Add(x, y);
        Assert.Contains("not among", Assert.Throws<ArgumentException>(() => IR.Graph.Create("g", [x], [sum])).Message);
        Assert.Contains("distinct", Assert.Throws<ArgumentException>(() => IR.Graph.Create("g", [x, Input.Create("x", TensorType.F32(2))], [x])).Message);
        Assert.Contains("not an input", Assert.Throws<ArgumentException>(() => IR.Graph.Create("g", [x, sum], [sum])).Message);
        Assert.Single(IR.Graph.Create("g", [x, y], [sum]).Nodes);
    }

    [Fact]
    public void NodesRejectWrongOperandCounts()
    {
        var x = Input.Create("x", TensorType.F32(2));
        var e = Assert.Throws<VoxTileException>(() => Node.Create(new Add(), [x]));
        Assert.Contains("nn.add", e.Message);
        Assert.Contains("1 operands", e.Message);
        Assert.Throws<VoxTileException>(() => Node.Create(new Relu(), [x, x]));
        Assert.Throws<VoxTileException>(() => Node.Create(new VoxTile.IR.Ops.Movement.Concat { Axis = 0 }, []));
    }
}
