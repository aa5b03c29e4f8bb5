using VoxTile.IR.Interp;
using VoxTile.IR.Text;

namespace VoxTile.IR.Tests.Text;

public sealed class ParserTests
{
    private const string Header = "graph @g(%x: f32[1,3,T]) {\n";

    private static string Fail(string body, Func<string, Tensor?>? weights = null)
    {
        var e = Assert.Throws<VoxTileException>(() => Parser.Parse(Header + body, weights));
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }

    [Fact]
    public void UnknownOpNamesItsLine()
    {
        var m = Fail("  %0 = nn.relu(%x) : f32[1,3,T]\n  %1 = nn.frobnicate(%0) : f32[1,3,T]\n  return %1\n}\n");
        Assert.StartsWith("line 3", m);
        Assert.Contains("unknown op 'nn.frobnicate'", m);
    }

    [Fact]
    public void UnknownAttributeNamesItsLine()
    {
        var m = Fail("  %0 = nn.relu(%x) {alpha = 1} : f32[1,3,T]\n  return %0\n}\n");
        Assert.StartsWith("line 2", m);
        Assert.Contains("unknown attribute 'alpha'", m);
    }

    [Fact]
    public void UseBeforeDefinitionNamesItsLine()
    {
        var m = Fail("  %0 = nn.relu(%x) : f32[1,3,T]\n\n  %1 = nn.add(%0, %2) : f32[1,3,T]\n  %2 = nn.neg(%x) : f32[1,3,T]\n  return %1\n}\n");
        Assert.StartsWith("line 4", m);
        Assert.Contains("%2 is used before it is defined", m);
    }

    [Fact]
    public void DeclaredTypeDisagreeingWithInferenceNamesItsLine()
    {
        var m = Fail("  %0 = nn.relu(%x) : f32[1,3,T]\n  %1 = nn.slice(%0) {axis = 1, start = 1} : f32[1,3,T]\n  return %1\n}\n");
        Assert.StartsWith("line 3", m);
        Assert.Contains("declared f32[1,3,T]", m);
        Assert.Contains("infers f32[1,2,T]", m);
        Assert.Contains("declared bf16", Fail("  %0 = nn.relu(%x) : bf16[1,3,T]\n  return %0\n}\n"));
    }

    [Fact]
    public void BadDtypeNamesItsLine()
    {
        var m = Fail("  %0 = nn.relu(%x) : f32[1,3,T]\n  %1 = nn.neg(%0) : f33[1,3,T]\n  return %1\n}\n");
        Assert.StartsWith("line 3", m);
        Assert.Contains("unknown dtype 'f33'", m);
        Assert.StartsWith("line 1", Assert.Throws<VoxTileException>(() => Parser.Parse("graph @g(%x: float[2]) {\n  return %x\n}\n")).Message);
    }

    [Fact]
    public void OperandsTheOpRejectsNameTheLine()
    {
        var m = Fail("  %0 = nn.add(%x, %x) : f32[1,3,T]\n  %1 = nn.matmul(%0, %x) : f32[1,3,T]\n  return %1\n}\n");
        Assert.StartsWith("line 3", m);
        Assert.Contains("nn.matmul", m);
    }

    [Theory]
    [InlineData("  %0 = nn.slice(%x) {start = 0} : f32[1,3,T]\n  return %0\n}\n", "missing attribute 'axis'")]
    [InlineData("  %0 = nn.flip(%x) {axis = 1.5} : f32[1,3,T]\n  return %0\n}\n", "'axis' = 1.5 is not a Int32")]
    [InlineData("  %0 = nn.flip(%x) {axis = 1, axis = 2} : f32[1,3,T]\n  return %0\n}\n", "given twice")]
    [InlineData("  %0 = nn.relu(%x) : f32[1,3,T]\n  %0 = nn.neg(%x) : f32[1,3,T]\n  return %0\n}\n", "defined twice")]
    [InlineData("  %0 = nn.pad(%x) {mode = mirror} : f32[1,3,T]\n  return %0\n}\n", "mode")]
    [InlineData("  %0 = nn.relu(%x) : f32[1,3,T]\n  return %0\n}\nextra\n", "unexpected text")]
    [InlineData("  %0 = nn.relu(%x) : f32[1,3,T\n  return %0\n}\n", "expected ']'")]
    [InlineData("  %0 = nn.relu(%x) : f32[1,3,-T]\n  return %0\n}\n", "bad dimension")]
    [InlineData("  %0 = nn.relu(%x) : f32[1,3,T]{sram}\n  return %0\n}\n", "unknown layout")]
    [InlineData("  %w = weight \"w : f32[3]\n  return %x\n}\n", "")]
    public void OtherErrorsNameALine(string body, string message)
    {
        var m = Fail(body);
        Assert.Matches(@"^line \d+", m);
        Assert.Contains(message, m);
    }

    [Fact]
    public void WeightsComeFromTheLookupAndMustFit()
    {
        const string body = "  %w = weight \"b\" : f32[3,1]\n  %0 = nn.add(%x, %w) : f32[1,3,T]\n  return %0\n}\n";
        Assert.Contains("no data for weight \"b\"", Fail(body, _ => null));
        Assert.Contains("its data has shape [3]", Fail(body, _ => new Tensor([3])));
        var g = Parser.Parse(Header + body, k => k == "b" ? new Tensor([3, 1], [1, 2, 3]) : null);
        var y = Interpreter.Run(g, [new Tensor([1, 3, 2])])[0];
        Assert.Equal([1f, 1, 2, 2, 3, 3], y.Data);
    }

    [Fact]
    public void CommentsAndBlankLinesAreIgnored()
    {
        var g = Parser.Parse("// a header comment\ngraph @g(%x: f32[2]) {\n\n  // the only value\n  %y = nn.relu(%x) : f32[2]  // trailing\n  return %y\n}\n");
        Assert.Equal("y", g.Outputs[0].Name);
    }
}
