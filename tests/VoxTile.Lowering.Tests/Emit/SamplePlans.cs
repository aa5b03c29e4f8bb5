using VoxTile.IR;
using VoxTile.IR.Numerics;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.Lowering.Plan;

namespace VoxTile.Lowering.Tests.Emit;

/// <summary>Hand-built device plans for the emitter's tests.</summary>
internal static class SamplePlans
{
    private static readonly MemoryConfig Dram = MemoryConfig.DramInterleaved;
    private static readonly MemoryConfig L1 = MemoryConfig.L1Interleaved;

    private static MemoryConfig Sharded(TensorMemoryLayout layout, int cores, int h, int w) => new(BufferType.L1, layout, new ShardSpec(cores, h, w));

    /// <summary>Values in ±0.5 that bf16 holds exactly, so a plan's packed weights unpack to the same numbers.</summary>
    public static Tensor Random(Random rng, params int[] shape)
    {
        var t = new Tensor(shape);
        for (long i = 0; i < t.Length; i++) t.Data[i] = BFloat16.ToFloat(BFloat16.FromFloat((float)(rng.NextDouble() - 0.5)));
        return t;
    }

    /// <summary>
    /// The golden test's graph: a conv1d (host weights, height-sharded output), leaky_relu, a move to L1, a reshape,
    /// a noise input cast and tilized, an add, a matmul into a block-sharded output, a layer norm back to DRAM, with
    /// deallocations after each value's last use.
    /// </summary>
    public static (DevicePlan Plan, Graph Graph) Small()
    {
        var rng = new Random(3);
        var p = new PlanSketch();
        var x = p.Input("x", new TensorType(DType.BF16, new Shape(1, 64, 16), Layout.RowMajor, Dram));
        var noise = p.Input("noise", new TensorType(DType.F32, new Shape(1, 64, 32), Layout.RowMajor, Dram), seed: 7);
        var w = p.Weight("enc.conv.weight", Random(rng, 32, 16, 3), DType.BF16, Layout.RowMajor, null);
        var b = p.Weight("enc.conv.bias", Random(rng, 1, 1, 1, 32), DType.BF16, Layout.RowMajor, null);
        var h = p.Op(new Conv1d { InChannels = 16, OutChannels = 32, BatchSize = 1, InputLength = 64, KernelSize = 3, Padding = [1, 1] }, [x, w, b],
            Layout.Tile, Sharded(TensorMemoryLayout.HeightSharded, 2, 32, 32), "enc.conv");
        var a = p.Op(new LeakyRelu { NegativeSlope = 0.1f }, [h], Layout.Tile, Sharded(TensorMemoryLayout.HeightSharded, 2, 32, 32));
        p.Free(h);
        var m = p.Op(new ToMemoryConfig { MemoryConfig = "l1" }, [a], Layout.Tile, L1);
        p.Free(a);
        var y = p.Op(new Reshape { Shape = [1, 64, 32] }, [m], Layout.Tile, L1, "h");
        p.Free(m);
        var nb = p.Op(new Typecast { Dtype = TtnnDataType.Bfloat16 }, [noise], Layout.RowMajor, Dram);
        var nt = p.Op(new ToLayout { Layout = Layout.Tile }, [nb], Layout.Tile, Dram);
        p.Free(nb);
        var z = p.Op(new Add(), [y, nt], Layout.Tile, L1, "z");
        p.Free(y, nt);
        var pw = p.Weight("proj.weight", Random(rng, 32, 32), DType.BF16, Layout.Tile, Dram);
        var q = p.Op(new Matmul { TransposeB = true }, [z, pw], Layout.Tile, Sharded(TensorMemoryLayout.BlockSharded, 2, 32, 32), "proj");
        p.Free(z);
        var g = p.Weight("norm.weight", Random(rng, 32), DType.BF16, Layout.Tile, Dram);
        var o = p.Op(new LayerNorm { Epsilon = 1e-5f }, [q, g], Layout.Tile, Dram, "out");
        p.Free(q);
        return (p.Build("encoder", o), p.Graph("encoder", o));
    }

    /// <summary>
    /// A batched plan for <paramref name="target"/> with <paramref name="batch"/> items per chip, every input and output
    /// with the batch as dim 0: x [B, 16, 64] channels first, permuted to the conv's channels-last input, a conv1d with
    /// bias (host weights) and a ReLU of its own, a matmul with a device weight, and back to [B, 32, 64].
    /// </summary>
    public static DevicePlan Batched(string target, int batch)
    {
        var rng = new Random(7);
        var p = new PlanSketch(target) { Batch = batch };
        var x = p.Input("x", new TensorType(DType.BF16, new Shape(batch, 16, 64), Layout.RowMajor, Dram));
        var nlc = p.Op(new Permute { Dims = [0, 2, 1] }, [x], Layout.RowMajor, Dram);
        var w = p.Weight("conv.weight", Random(rng, 32, 16, 3), DType.BF16, Layout.RowMajor, null);
        var b = p.Weight("conv.bias", Random(rng, 1, 1, 1, 32), DType.BF16, Layout.RowMajor, null);
        var h = p.Op(new Conv1d { InChannels = 16, OutChannels = 32, BatchSize = batch, InputLength = 64, KernelSize = 3, Padding = [1, 1] }, [nlc, w, b],
            Layout.Tile, L1, "conv");
        p.Free(nlc);
        var a = p.Op(new Relu(), [h], Layout.Tile, L1, "act");
        p.Free(h);
        var r = p.Op(new Reshape { Shape = [batch, 64, 32] }, [a], Layout.Tile, L1);
        p.Free(a);
        var pw = p.Weight("proj.weight", Random(rng, 32, 32), DType.BF16, Layout.Tile, Dram);
        var q = p.Op(new Matmul(), [r, pw], Layout.Tile, Dram, "proj");
        p.Free(r);
        var o = p.Op(new Permute { Dims = [0, 2, 1] }, [q], Layout.Tile, Dram, "out");
        p.Free(q);
        return p.Build("batched", o);
    }

    /// <summary>One of every ttnn op the emitter writes (attributes set away from their defaults where they have one).</summary>
    public static DevicePlan EveryOp()
    {
        var rng = new Random(5);
        var p = new PlanSketch();
        var x = p.Input("x", new TensorType(DType.BF16, new Shape(1, 1, 32, 32), Layout.Tile, Dram));
        var c = p.Input("c", new TensorType(DType.BF16, new Shape(1, 64, 1, 16), Layout.RowMajor, Dram));
        var ids = p.Input("ids", new TensorType(DType.U32, new Shape(1, 8), Layout.RowMajor, Dram));
        Node Tile(Op op, params Node[] ins) => p.Op(op, ins, Layout.Tile, L1);

        var unary = new List<Node>
        {
            Tile(new Abs(), x), Tile(new Ceil(), x), Tile(new Exp(), x), Tile(new Gelu(), x), Tile(new Log(), x), Tile(new Relu(), x),
            Tile(new Rsqrt(), x), Tile(new Sigmoid(), x), Tile(new Sqrt(), x), Tile(new Tanh(), x), Tile(new LeakyRelu { NegativeSlope = 0.2f }, x),
            Tile(new Softplus { Beta = 2f, Threshold = 10f }, x),
        };
        var binary = new List<Node>
        {
            Tile(new Add(), x, unary[0]), Tile(new Subtract(), x, unary[1]), Tile(new Multiply(), x, unary[2]), Tile(new Divide(), x, unary[3]),
            Tile(new Eq(), x, unary[4]), Tile(new Gt(), x, unary[5]), Tile(new Lt(), x, unary[6]), Tile(new Ge(), x, unary[7]),
        };
        var sel = Tile(new Where(), binary[4], binary[0], binary[1]);
        var mw = p.Weight("mm.weight", Random(rng, 32, 32), DType.BFP8_B, Layout.Tile, Dram);
        var mb = p.Weight("mm.bias", Random(rng, 32), DType.BF16, Layout.Tile, Dram);
        var mm = Tile(new Matmul { TransposeA = true }, sel, mw);
        var lin = Tile(new Linear { TransposeB = true }, mm, mw, mb);
        var ln = Tile(new LayerNorm { Epsilon = 1e-6f }, lin, mb, mb);
        var sm = Tile(new Softmax { Dim = -2 }, ln);
        var sum = Tile(new Sum { Dim = [-1], Keepdim = true }, sm);
        var mean = Tile(new Mean { Dim = [2, 3] }, sm);
        var cs = p.Op(new Cumsum { Dim = 2 }, [sm], Layout.Tile, Dram);

        var w1 = p.Weight("c1.weight", Random(rng, 8, 16, 5), DType.BF16, Layout.RowMajor, null);
        var c1 = p.Op(new Conv1d { InChannels = 16, OutChannels = 8, BatchSize = 1, InputLength = 64, KernelSize = 5, Stride = 2, Padding = [1, 3], Dilation = 1, Groups = 1 },
            [c, w1], Layout.RowMajor, Dram);
        var w2 = p.Weight("c2.weight", Random(rng, 8, 4, 3, 1), DType.F32, Layout.RowMajor, null);
        var b2 = p.Weight("c2.bias", Random(rng, 1, 1, 1, 8), DType.F32, Layout.RowMajor, null);
        var c2 = p.Op(new Conv2d { InChannels = 8, OutChannels = 8, BatchSize = 1, InputHeight = 32, InputWidth = 1, KernelSize = [3, 1], Padding = [1, 1, 0, 0], Dilation = [2, 1], Groups = 2 },
            [c1, w2, b2], Layout.Tile, Sharded(TensorMemoryLayout.HeightSharded, 1, 32, 32));
        var w3 = p.Weight("c3.weight", Random(rng, 8, 4, 4, 1), DType.BF16, Layout.RowMajor, null);
        var c3 = p.Op(new ConvTranspose2d { InChannels = 8, OutChannels = 4, BatchSize = 1, InputHeight = 30, InputWidth = 1, KernelSize = [4, 1], Stride = [2, 1], Padding = [1, 0], MirrorKernel = false },
            [c2, w3], Layout.RowMajor, Dram);

        var rs = p.Op(new Reshape { Shape = [1, 60, 4] }, [c3], Layout.RowMajor, Dram);
        var pm = p.Op(new Permute { Dims = [0, 2, 1] }, [rs], Layout.RowMajor, Dram);
        var tr = p.Op(new Transpose { Dim1 = 1, Dim2 = 2 }, [pm], Layout.RowMajor, Dram);
        var cat = p.Op(new Concat { Dim = 1 }, [tr, tr], Layout.RowMajor, Dram);
        var sl = p.Op(new Slice { SliceStart = [0, 2, 0], SliceEnd = [1, 100, 4], SliceStep = [1, 2, 1] }, [cat], Layout.RowMajor, Dram);
        var pd = p.Op(new Pad { Padding = [[0, 0], [1, 0], [0, 28]], Value = -1f }, [sl], Layout.RowMajor, Dram);
        var table = p.Weight("emb.weight", Random(rng, 16, 32), DType.BF16, Layout.RowMajor, Dram);
        var emb = p.Op(new Embedding(), [ids, table], Layout.Tile, Dram);
        var tl = p.Op(new ToLayout { Layout = Layout.Tile }, [pd], Layout.Tile, Dram);
        var wide = p.Op(new ToMemoryConfig { MemoryConfig = "l1_width_sharded<1x64x32>" }, [tl], Layout.Tile, Sharded(TensorMemoryLayout.WidthSharded, 1, 64, 32));
        var f = p.Op(new Typecast { Dtype = TtnnDataType.Float32 }, [wide], Layout.Tile, Dram);
        p.Free(wide);
        return p.Build("every_op", [sum, mean, cs, f, emb]);
    }
}
