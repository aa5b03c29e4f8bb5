using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.IR.Text;
using VoxTile.IR.Verify;

namespace VoxTile.IR.Tests.Ops.Ttnn;

/// <summary>TTNN's DRAM slice config on the convs: typed attributes that print, parse back, verify, and shrink the working set to one slice's.</summary>
public sealed class TtnnConvSliceTests
{
    private static Node Conv1dNode(Conv1d op, int length = 4000)
    {
        var x = Input.Create("x", new TensorType(DType.BF16, new Shape(1, 1, length, 64), Layout.Tile));
        var w = Weight.Create("w", new TensorType(DType.BF16, new Shape(64, 64, 7), Layout.RowMajor), null, "w");
        return Node.Create(op, [x, w], "y");
    }

    private static Conv1d Conv(int length = 4000) => new() { BatchSize = 1, InChannels = 64, OutChannels = 64, InputLength = length, KernelSize = 7, Padding = [3, 3] };

    [Fact]
    public void SlicedConvsPrintParseAndVerify()
    {
        var y = Conv1dNode(Conv().WithSlices(ConvSliceType.Width, 5));
        var img = Input.Create("img", new TensorType(DType.BF16, new Shape(1, 1, 64 * 20, 8), Layout.RowMajor));
        var w2 = Weight.Create("w2", new TensorType(DType.BF16, new Shape(16, 8, 3, 3), Layout.RowMajor), null, "w2");
        var c2 = new Conv2d { BatchSize = 1, InChannels = 8, OutChannels = 16, InputHeight = 64, InputWidth = 20, KernelSize = [3, 3], Padding = [1, 1] };
        var z = Node.Create(c2.WithSlices(ConvSliceType.Height, 4), [img, w2], "z");
        var g = IR.Graph.Create("sliced", [y.Inputs[0], img], [y, z]);
        var text = Printer.Print(g);
        Assert.Contains("num_slices = 5", text);
        Assert.Contains("slice_type = width", text);
        Assert.Contains("slice_type = height", text);
        var parsed = Parser.Parse(text);
        Assert.Equal(text, Printer.Print(parsed));
        Assert.Empty(Verifier.Check(parsed, op => op is ITtnnOp or Weight, "in the ttnn dialect"));
        var back = (Conv1d)parsed.Outputs[0].Op;
        Assert.Equal((ConvSliceType.Width, 5, ConvActivation.None), (back.SliceType, back.NumSlices, back.Activation));
        // Unsliced convs print as before: the attributes are left out at their defaults.
        var whole = Conv1dNode(Conv());
        Assert.DoesNotContain("slice", Printer.Print(IR.Graph.Create("whole", [whole.Inputs[0]], [whole])));
    }

    [Theory]
    [InlineData(ConvSliceType.Width, 1, "num_slices ≥ 2")]
    [InlineData(ConvSliceType.Width, 5000, "more than the 4000 output length positions")]
    [InlineData(ConvSliceType.None, 3, "needs a slice_type")]
    [InlineData(ConvSliceType.Height, 4, "slice_type must be width")]
    public void BadSliceConfigsAreRejected(ConvSliceType type, int count, string message)
    {
        var op = Conv().WithSlices(type, count);
        var r = op.InferType([new TensorType(DType.BF16, new Shape(1, 1, 4000, 64)), new TensorType(DType.BF16, new Shape(64, 64, 7))]);
        Assert.False(r.Ok);
        Assert.Contains(message, r.Error);
    }

    /// <summary>WithSlices keeps every other attribute (a fused activation included).</summary>
    [Fact]
    public void WithSlicesKeepsTheOtherAttributes()
    {
        var c = new Conv1d
        {
            BatchSize = 1, InChannels = 64, OutChannels = 32, InputLength = 900, KernelSize = 3, Stride = 1, Padding = [2, 1], Dilation = 2,
            Groups = 2, Activation = ConvActivation.LeakyRelu, ActivationParam = 0.1f,
        };
        static string Others(Op op) => string.Join(";", op.Attributes.Where(a => a.Key is not ("slice_type" or "num_slices")).Select(a => $"{a.Key}={AttributeMap.Format(a.Value)}"));
        Assert.Equal(Others(c), Others(c.WithSlices(ConvSliceType.Width, 3)));
        var d = new Conv2d { BatchSize = 2, InChannels = 8, OutChannels = 16, InputHeight = 40, InputWidth = 9, KernelSize = [3, 1], Stride = [1, 1], Padding = [1, 1, 0, 0], Dilation = [2, 1], Groups = 1 };
        Assert.Equal(Others(d), Others(d.WithSlices(ConvSliceType.Height, 3)));
    }

    /// <summary>Sliced through DRAM, a conv needs the L1 of one slice: fewer bytes the more slices, and less than the whole conv.</summary>
    [Fact]
    public void TheWorkingSetIsOneSlices()
    {
        var node = Conv1dNode(Conv(32768), 32768);
        var inputs = node.Inputs.Select(i => i.Type with { Memory = MemoryConfig.DramInterleaved }).ToList();
        inputs[1] = node.Inputs[1].Type;
        var output = node.Type with { Layout = Layout.Tile, Memory = MemoryConfig.DramInterleaved };
        long whole = Conv(32768).WorkingSetBytes(inputs, output);
        long previous = long.MaxValue;
        foreach (int n in new[] { 2, 4, 8, 16 })
        {
            long perSlice = Conv(32768).WithSlices(ConvSliceType.Width, n).WorkingSetBytes(inputs, output);
            Assert.True(perSlice < whole && perSlice <= previous, $"{n} slices: {perSlice} B (whole {whole} B, previous {previous} B)");
            previous = perSlice;
        }
    }
}
