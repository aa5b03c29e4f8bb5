using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Ops.Movement;
using VoxTile.IR.Text;

namespace VoxTile.IR.Tests.Text;

public sealed class PrinterTests
{
    /// <summary>A small converter-like graph: symbolic time, a named weight, unnamed values, float attributes, a layout.</summary>
    private static Graph Small()
    {
        var spec = Input.Create("spec", new TensorType(DType.F32, new Shape([1, 4, Dim.Sym("T")])));
        var g = Input.Create("g", TensorType.F32(1, 8, 1));
        var w = Weight.Create("enc.pre.weight", new Tensor([8, 4, 3]), name: "w");
        var b = Weight.Create("enc.pre.bias", new Tensor([8]));
        var h = Nn.Conv1d(spec, w, bias: b, padding: 1, name: "h");
        var a = Nn.LeakyRelu(Nn.Add(h, g), negativeSlope: 0.1f);
        var up = Nn.ConvTranspose1d(a, Weight.Create("dec.ups.0.weight", new Tensor([8, 2, 16])), stride: 8, padding: 4, name: "up");
        var masked = Nn.Scale(Nn.Pad(up, left: 1, right: 2, mode: PadMode.Reflect), factor: -1e4f, offset: 0.1f);
        var lo = Nn.Slice(h, axis: 1, start: 0, end: 4, name: "h");
        var tiled = lo.WithType(lo.Type with { Layout = Layout.Tile, Memory = MemoryConfig.L1Interleaved });
        return Graph.Create("voice_conversion", [spec, g], [masked, tiled]);
    }

    private const string SmallText = """
        graph @voice_conversion(%spec: f32[1,4,T], %g: f32[1,8,1]) {
          %w = weight "enc.pre.weight" : f32[8,4,3]
          %0 = weight "enc.pre.bias" : f32[8]
          %h = nn.conv1d(%spec, %w, %0) {dilation = 1, groups = 1, padding = 1, padding_right = -1, stride = 1} : f32[1,8,T]
          %1 = nn.add(%h, %g) : f32[1,8,T]
          %2 = nn.leaky_relu(%1) {negative_slope = 0.1} : f32[1,8,T]
          %3 = weight "dec.ups.0.weight" : f32[8,2,16]
          %up = nn.conv_transpose1d(%2, %3) {dilation = 1, groups = 1, output_padding = 0, padding = 4, stride = 8} : f32[1,2,8T]
          %4 = nn.pad(%up) {left = 1, mode = reflect, right = 2, value = 0.0} : f32[1,2,?]
          %5 = nn.scale(%4) {factor = -10000.0, offset = 0.1} : f32[1,2,?]
          %h_1 = nn.slice(%h) {axis = 1, end = 4, start = 0, step = 1} : f32[1,4,T]{tile,l1}
          return %5, %h_1
        }

        """;

    [Fact]
    public void PrintsTheSmallGraphAsPinned() => Assert.Equal(SmallText.ReplaceLineEndings("\n"), Printer.Print(Small()));

    [Fact]
    public void ParsesThePinnedTextBackToIt() => Assert.Equal(SmallText.ReplaceLineEndings("\n"), Printer.Print(Parser.Parse(SmallText)));

    [Fact]
    public void AnnotationsAreCommentsTheParserSkips()
    {
        var text = Printer.Print(Small(), n => n.Op is Weight ? null : $"{n.Op.Name}\nsecond line");
        Assert.Contains("  // nn.conv1d second line\n", text);
        Assert.Equal(Printer.Print(Small()), Printer.Print(Parser.Parse(text)));
    }

    [Fact]
    public void NamesFollowTheOrderOfDefinition()
    {
        // The same structure built in another order of calls prints the same text.
        var x = Input.Create("x", TensorType.F32(3));
        var p = Nn.Relu(x);
        var q = Nn.Neg(x);
        var first = Graph.Create("g", [x], [Nn.Add(p, q)]);
        var q2 = Nn.Neg(x);
        var p2 = Nn.Relu(x);
        var second = Graph.Create("g", [x], [Nn.Add(p2, q2)]);
        Assert.Equal(Printer.Print(first), Printer.Print(second));
        Assert.Contains("%0 = nn.relu(%x)", Printer.Print(first));
    }
}
