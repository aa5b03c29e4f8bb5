using VoxTile.IR.Ops.Ttnn;

namespace VoxTile.IR.Tests.Ops.Ttnn;

/// <summary>Operand requirements: what the legalizer reads to insert to_layout, typecast and to_memory_config.</summary>
public sealed class TtnnRequirementTests
{
    private static readonly MemoryConfig HeightSharded = new(BufferType.L1, TensorMemoryLayout.HeightSharded, new ShardSpec(8, 32, 64));

    [Fact]
    public void ViolationsNameTheOperandAndTheProblem()
    {
        var conv = new Conv1d { BatchSize = 1, InChannels = 4, OutChannels = 8, InputLength = 10, KernelSize = 3 };
        var input = ((ITtnnOp)conv).OperandRequirements[0];
        var weight = ((ITtnnOp)conv).OperandRequirements[1];
        Assert.Null(input.Violation(TtnnCheck.Of(DType.BF16, 1, 10, 1, 4)));
        Assert.Null(input.Violation(new TensorType(DType.BF16, new Shape(1, 10, 1, 4), Layout.RowMajor, HeightSharded)));
        // TILE input is taken in bf16 (TTNN's halo step untilizes it), not in f32, and not by a strided conv.
        Assert.Null(input.Violation(new TensorType(DType.BF16, new Shape(1, 10, 1, 4), Layout.Tile)));
        Assert.Contains("ROW_MAJOR in f32", input.Violation(new TensorType(DType.F32, new Shape(1, 10, 1, 4), Layout.Tile))!);
        var strided = ((ITtnnOp)new Conv1d { BatchSize = 1, InChannels = 4, OutChannels = 8, InputLength = 10, KernelSize = 3, Stride = 2 }).OperandRequirements[0];
        Assert.Contains("ROW_MAJOR", strided.Violation(new TensorType(DType.BF16, new Shape(1, 10, 1, 4), Layout.Tile))!);
        Assert.Contains("input_tensor must be bf16 or f32", input.Violation(TtnnCheck.Of(DType.BFP8_B, 1, 10, 1, 4))!);
        Assert.True(weight.OnHost);
        Assert.Null(weight.Violation(TtnnCheck.F32(8, 4, 3)));
        Assert.Contains("host", weight.Violation(new TensorType(DType.F32, new Shape(8, 4, 3), Layout.RowMajor, MemoryConfig.DramInterleaved))!);

        var cumsum = new Cumsum { Dim = 0 }.OperandRequirements[0];
        Assert.Contains("interleaved", cumsum.Violation(new TensorType(DType.BF16, new Shape(64, 64), Layout.Tile, HeightSharded))!);
        Assert.Contains("TILE", cumsum.Violation(new TensorType(DType.BF16, new Shape(64, 64), Layout.RowMajor))!);

        var ids = new Embedding().OperandRequirements[0];
        Assert.Contains("u32", ids.Violation(TtnnCheck.Of(DType.I32, 2, 5))!);
    }

    [Fact]
    public void AVariadicOperandsRequirementRepeats()
    {
        ITtnnOp concat = new Concat { Dim = 0 };
        Assert.Single(concat.OperandRequirements);
        Assert.Equal("tensors", concat.RequirementOf(3).Operand);
        ITtnnOp linear = new VoxTile.IR.Ops.Ttnn.Linear();
        Assert.Equal("bias", linear.RequirementOf(2).Operand);
    }
}
