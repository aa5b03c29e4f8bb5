using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.IR.Tests.Support;
using Tt = VoxTile.IR.Ttnn;

namespace VoxTile.IR.Tests.Ops.Ttnn;

/// <summary>One valid node of every ttnn op over a few device-typed inputs, with data to run them.</summary>
public sealed class TtnnCatalog
{
    public required Node[] Inputs { get; init; }
    public required Tensor[] Values { get; init; }
    public required Node[] Samples { get; init; }

    public IR.Graph Graph => IR.Graph.Create("catalog", Inputs, Samples);

    public static TtnnCatalog Build(int seed = 1)
    {
        var rng = new Rng(seed);
        var inputs = new List<Node>();
        var values = new List<Tensor>();
        Node In(string name, DType t, Func<int[], Tensor> data, params int[] shape)
        {
            var n = Input.Create(name, new TensorType(t, new Shape(shape)));
            inputs.Add(n);
            values.Add(data(shape));
            return n;
        }
        Tensor Normal(int[] s) => rng.Normal(s);
        Tensor Positive(int[] s) => rng.Uniform(0.1, 4, s);

        var a = In("a", DType.BF16, Normal, 1, 2, 32, 64);
        var pos = In("pos", DType.BF16, Positive, 1, 2, 32, 64);
        var b = In("b", DType.BFP8_B, Normal, 1, 1, 64, 32);
        var bias32 = In("bias32", DType.BF16, Normal, 1, 1, 1, 32);
        var pred = In("pred", DType.BF16, s => rng.Integers(0, 1, s), 1, 1, 32, 64);
        var gamma = In("gamma", DType.BF16, Normal, 64);
        var x1 = In("x1", DType.BF16, Normal, 2, 20, 1, 8);
        var w1 = In("w1", DType.F32, Normal, 16, 4, 3);
        var c1b = In("c1b", DType.F32, Normal, 1, 1, 1, 16);
        var x2 = In("x2", DType.BF16, Normal, 1, 6, 5, 4);
        var w2 = In("w2", DType.F32, Normal, 8, 4, 3, 3);
        var xt = In("xt", DType.BF16, Normal, 1, 4, 3, 4);
        var wt = In("wt", DType.F32, Normal, 4, 3, 3, 3);
        var ids = In("ids", DType.U32, s => rng.Integers(0, 9, s), 2, 5);
        var table = In("table", DType.BF16, Normal, 10, 16);

        Node[] samples =
        [
            Tt.Conv1d(x1, w1, batchSize: 2, inChannels: 8, inputLength: 20, kernelSize: 3, outChannels: 16, bias_tensor: c1b, groups: 2, padding: [1, 2], stride: 2),
            Tt.Conv2d(x2, w2, batchSize: 1, inChannels: 4, inputHeight: 6, inputWidth: 5, kernelSize: [3, 3], outChannels: 8, padding: [1, 0, 1, 1]),
            Tt.ConvTranspose2d(xt, wt, batchSize: 1, inChannels: 4, inputHeight: 4, inputWidth: 3, kernelSize: [3, 3], outChannels: 6, groups: 2, stride: [2, 2], padding: [1, 1], outputPadding: [1, 0]),
            Tt.Matmul(a, b),
            Tt.Linear(a, b, bias: bias32),
            Tt.Relu(a), Tt.LeakyRelu(a, 0.1f), Tt.Tanh(a), Tt.Sigmoid(a), Tt.Exp(a), Tt.Sqrt(pos), Tt.Rsqrt(pos), Tt.Gelu(a), Tt.Log(pos),
            Tt.Ceil(a), Tt.Abs(a), Tt.Softplus(a, beta: 2f, threshold: 10f),
            Tt.Add(a, gamma), Tt.Subtract(a, pos), Tt.Multiply(a, pred), Tt.Divide(a, pos), Tt.Eq(a, a), Tt.Gt(a, pos), Tt.Lt(a, gamma), Tt.Ge(pos, a),
            Tt.Where(pred, a, pos),
            Tt.Cumsum(a, 2),
            Tt.Embedding(ids, table),
            Tt.Softmax(a, dim: 3),
            Tt.LayerNorm(a, 1e-5f, weight: gamma, bias: gamma),
            Tt.Sum(a, [2, 3], keepdim: true),
            Tt.Mean(a, [-1]),
            Tt.Pad(a, [[0, 0], [0, 0], [0, 0], [0, 32]], 0f),
            Tt.Concat([a, pos], 1),
            Slice.Create(a, [0, 1, 0, 0], [1, 2, 32, 64], [1, 1, 2, 3]),
            Tt.Reshape(a, [2, 32, 64]),
            Tt.Permute(a, [0, 2, 1, 3]),
            Tt.Transpose(a, -2, -1),
            Tt.Typecast(a, TtnnDataType.Bfloat8B),
            Tt.ToLayout(a, Layout.Tile),
            ToMemoryConfig.Create(a, new MemoryConfig(BufferType.L1, TensorMemoryLayout.HeightSharded, new ShardSpec(2, 32, 64))),
        ];
        return new TtnnCatalog { Inputs = [.. inputs], Values = [.. values], Samples = samples };
    }
}
