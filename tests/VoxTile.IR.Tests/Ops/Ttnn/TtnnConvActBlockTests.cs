using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.IR.Text;
using VoxTile.IR.Verify;

namespace VoxTile.IR.Tests.Ops.Ttnn;

/// <summary>
/// <c>act_block_h</c> on ttnn.conv1d (TTNN's <c>Conv2dConfig.act_block_h_override</c>): an attribute that prints, parses
/// back and verifies, is whole tile rows, changes no value, and shrinks the conv's CBs to the shorter block's.
/// </summary>
public sealed class TtnnConvActBlockTests
{
    private static Conv1d Conv(int length = 32768, int channels = 128, int kernel = 11) =>
        new() { BatchSize = 1, InChannels = channels, OutChannels = channels, InputLength = length, KernelSize = kernel, Padding = [kernel / 2, kernel / 2] };

    private static Node Conv1dNode(Conv1d op, int length, int channels, int kernel)
    {
        var x = Input.Create("x", new TensorType(DType.BF16, new Shape(1, 1, length, channels), Layout.Tile));
        var w = Weight.Create("w", new TensorType(DType.BF16, new Shape(channels, channels, kernel), Layout.RowMajor), null, "w");
        return Node.Create(op, [x, w], "y");
    }

    [Fact]
    public void ActBlockPrintsParsesAndVerifies()
    {
        var y = Conv1dNode(Conv(4000, 64, 7).WithActBlockH(64), 4000, 64, 7);
        var text = Printer.Print(IR.Graph.Create("blocked", [y.Inputs[0]], [y]));
        Assert.Contains("act_block_h = 64", text);
        var parsed = Parser.Parse(text);
        Assert.Equal(text, Printer.Print(parsed));
        Assert.Empty(Verifier.Check(parsed, op => op is ITtnnOp or Weight, "in the ttnn dialect"));
        Assert.Equal(64, ((Conv1d)parsed.Outputs[0].Op).ActBlockH);
        // The default block prints as before.
        var plain = Conv1dNode(Conv(4000, 64, 7), 4000, 64, 7);
        Assert.DoesNotContain("act_block_h", Printer.Print(IR.Graph.Create("plain", [plain.Inputs[0]], [plain])));
    }

    [Theory]
    [InlineData(48)]
    [InlineData(-32)]
    public void AnActBlockOfNoWholeTileRowsIsRejected(int rows)
    {
        var r = Conv(4000, 64, 7).WithActBlockH(rows).InferType([new TensorType(DType.BF16, new Shape(1, 1, 4000, 64)), new TensorType(DType.BF16, new Shape(64, 64, 7))]);
        Assert.False(r.Ok);
        Assert.Contains("act_block_h must be a non-negative multiple of 32", r.Error);
    }

    /// <summary>WithActBlockH keeps every other attribute, and WithSlices keeps the act block.</summary>
    [Fact]
    public void WithActBlockHKeepsTheOtherAttributes()
    {
        var c = new Conv1d
        {
            BatchSize = 1, InChannels = 64, OutChannels = 32, InputLength = 900, KernelSize = 3, Padding = [2, 1], Dilation = 2, Groups = 2,
            Activation = ConvActivation.LeakyRelu, ActivationParam = 0.1f,
        };
        static string Others(Op op) => string.Join(";", op.Attributes.Where(a => a.Key != "act_block_h").Select(a => $"{a.Key}={AttributeMap.Format(a.Value)}"));
        Assert.Equal(Others(c), Others(c.WithActBlockH(96)));
        Assert.Equal(96, c.WithActBlockH(96).WithSlices(ConvSliceType.Width, 3).ActBlockH);
    }

    [Fact]
    public void TheValuesDoNotChange()
    {
        var rng = new System.Random(5);
        Tensor Rand(params int[] shape)
        {
            var t = new Tensor(shape);
            for (int i = 0; i < t.Length; i++) t.Data[i] = (float)(rng.NextDouble() - 0.5);
            return t;
        }
        var x = Rand(1, 1, 700, 32);
        var w = Rand(32, 32, 5);
        var plain = Conv(700, 32, 5);
        Assert.Equal(plain.Evaluate([x, w]).Data, plain.WithActBlockH(32).Evaluate([x, w]).Data);
    }

    /// <summary>
    /// The HiFi-GAN's 128-channel, kernel-11 resblock conv at 5 s (32768 positions, height-sharded over 64 cores): the default
    /// act block, one core's 512 rows × C·K, is more than a core's L1; one tile row leaves the weights, the halo'd input and
    /// the partials. A shorter block never needs more, and a block as tall as the core's rows is the default.
    /// </summary>
    [Fact]
    public void AShorterActBlockNeedsLessL1()
    {
        var output = new TensorType(DType.BF16, new Shape(1, 1, 32768, 128), Layout.Tile,
            new MemoryConfig(BufferType.L1, TensorMemoryLayout.HeightSharded, new ShardSpec(64, 512, 128)));
        var input = output with { Memory = MemoryConfig.DramInterleaved };
        var weight = new TensorType(DType.BF16, new Shape(128, 128, 11), Layout.RowMajor);
        long whole = Conv().WorkingSetBytes([input, weight], output);
        Assert.True(whole > 1_499_136, $"the default act block needs {whole} B, which should exceed a Wormhole core's L1");
        Assert.Equal(whole, Conv().WithActBlockH(512).WorkingSetBytes([input, weight], output));
        long previous = whole;
        foreach (int rows in new[] { 256, 128, 64, 32 })
        {
            long blocked = Conv().WithActBlockH(rows).WorkingSetBytes([input, weight], output);
            Assert.True(blocked < previous, $"{rows} rows: {blocked} B, taller block {previous} B");
            previous = blocked;
        }
        // One tile row: the act block (44 tiles), the weights (44 × 4 tiles), the partials (4 tiles), the halo'd input.
        long tile = 2048, halo = (512 + 10) * 128 * 2;
        Assert.Equal(44 * tile + 176 * tile + 4 * tile + halo, previous);
    }
}
