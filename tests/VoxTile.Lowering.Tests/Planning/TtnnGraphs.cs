using VoxTile.IR;
using VoxTile.IR.Ops.Graph;
using VoxTile.Lowering.Targets;
using Tt = VoxTile.IR.Ttnn;

namespace VoxTile.Lowering.Tests.Planning;

/// <summary>
/// Random ttnn graphs as legalization would hand them to the planner: chains and DAGs of eltwise ops, matmuls,
/// linears and conv1ds (ROW_MAJOR input after a <c>ttnn.to_layout</c>, weights on the host) over [1, 1, rows, C]
/// activations, with forks, joins, concats and several outputs. Some types leave the layout open. Each graph comes
/// with random input data so that it can be run before and after planning.
/// </summary>
internal static class TtnnGraphs
{
    public sealed record Case(Graph Graph, Tensor[] Inputs, TargetSpec Target, string Description);

    /// <summary>A target like n150 with <paramref name="budgetKib"/> of L1 per core to plan in (the rest counts as reserved).</summary>
    public static TargetSpec WithBudget(long budgetKib) => TargetSpec.WormholeN150 with
    {
        Name = "wormhole_n150",
        L1UsageCap = 1.0,
        L1ReservedPerCore = TargetSpec.WormholeN150.L1BytesPerCore - budgetKib * 1024,
    };

    public static Case Random(int seed, int maxRows = 768, int maxOps = 24)
    {
        var rng = new System.Random(seed);
        long[] budgets = [96, 192, 384, 1270];
        var target = WithBudget(budgets[rng.Next(budgets.Length)]);
        int[] widths = [32, 64, 96, 128];
        var inputs = new List<Node>();
        var data = new List<Tensor>();
        var values = new List<Node>();
        Tensor Rand(params int[] shape)
        {
            var t = new Tensor(shape);
            for (long i = 0; i < t.Length; i++) t.Data[i] = (float)(rng.NextDouble() * 2 - 1);
            return t;
        }
        Node Weight(string key, DType dtype, Layout? layout, params int[] shape)
        {
            var t = Rand(shape);
            for (long i = 0; i < t.Length; i++) t.Data[i] *= 0.2f;
            return IR.Ops.Graph.Weight.Create(key, new TensorType(dtype, new Shape(shape), layout), t, key);
        }
        Layout? MaybeTile() => rng.Next(3) == 0 ? null : Layout.Tile;

        int nIn = 1 + rng.Next(2);
        for (int i = 0; i < nIn; i++)
        {
            int rows = 1 + rng.Next(maxRows), c = widths[rng.Next(widths.Length)];
            var x = Input.Create($"x{i}", new TensorType(DType.BF16, new Shape(1, 1, rows, c), MaybeTile()));
            inputs.Add(x);
            data.Add(Rand(1, 1, rows, c));
            values.Add(x);
        }
        int ops = 3 + rng.Next(maxOps);
        for (int k = 0; k < ops; k++)
        {
            var a = values[values.Count - 1 - rng.Next(Math.Min(values.Count, 4))];
            int rows = a.Shape[2].Value, c = a.Shape[3].Value;
            Node y;
            switch (rng.Next(10))
            {
                case 0: y = Tt.Relu(a); break;
                case 1: y = rng.Next(2) == 0 ? Tt.Tanh(a) : Tt.Sigmoid(a); break;
                case 2:
                    {
                        var b = values.LastOrDefault(v => v != a && v.Shape.Equals(a.Shape));
                        y = b is null ? Tt.Multiply(a, a) : rng.Next(2) == 0 ? Tt.Add(a, b) : Tt.Multiply(b, a);
                        break;
                    }
                case 3: y = Tt.Add(a, Weight($"bias{k}", DType.BF16, MaybeTile(), 1, 1, 1, c)); break;
                case 4:
                    {
                        int n = widths[rng.Next(widths.Length)];
                        y = Tt.Matmul(a, Weight($"w{k}", rng.Next(2) == 0 ? DType.BF16 : DType.BFP8_B, Layout.Tile, c, n));
                        break;
                    }
                case 5:
                    {
                        int n = widths[rng.Next(widths.Length)];
                        y = Tt.Linear(a, Weight($"w{k}", DType.BF16, Layout.Tile, n, c), bias: Weight($"b{k}", DType.BF16, Layout.Tile, 1, n), transposeB: true);
                        break;
                    }
                case 6 or 7:
                    {
                        int[] kernels = [1, 3, 5, 7];
                        int kk = kernels[rng.Next(kernels.Length)], d = kk > 1 && rng.Next(3) == 0 ? 2 : 1, o = widths[rng.Next(widths.Length)];
                        int pad = d * (kk - 1) / 2;
                        if (rows + 2 * pad < d * (kk - 1) + 1) { y = Tt.Relu(a); break; }
                        var rm = Tt.ToLayout(a, Layout.RowMajor);
                        var w = Weight($"conv{k}.weight", DType.BF16, Layout.RowMajor, o, c, kk);
                        var bias = rng.Next(2) == 0 ? Weight($"conv{k}.bias", DType.BF16, Layout.RowMajor, 1, 1, 1, o) : null;
                        y = Tt.Conv1d(rm, w, batchSize: 1, inChannels: c, inputLength: rows, kernelSize: kk, outChannels: o, bias_tensor: bias, padding: [pad, pad], dilation: d);
                        break;
                    }
                case 8:
                    {
                        var b = values.LastOrDefault(v => v != a && v.Shape[2].Equals(a.Shape[2]) && v.Shape[3].Value + c <= 256);
                        y = b is null ? Tt.LeakyRelu(a, 0.1f) : Tt.Concat([a, b], 3);
                        break;
                    }
                default:
                    y = rows > 2 ? IR.Ops.Ttnn.Slice.Create(a, [0, 0, 0, 0], [1, 1, rows / 2 + 1, c], [1, 1, 1, 1]) : Tt.Exp(a);
                    break;
            }
            values.Add(y.Named($"v{k}"));
        }
        // The last value and a few others are outputs; everything else must be consumed to be in the graph.
        var outputs = new List<Node> { values[^1] };
        foreach (var v in values.Skip(nIn).Where(_ => rng.Next(6) == 0)) if (!outputs.Contains(v)) outputs.Add(v);
        var g = Graph.Create($"random{seed}", inputs, outputs);
        return new Case(g, [.. data], target, $"seed {seed}: {g.Nodes.Length} values, budget {target.L1BudgetPerCore / 1024} KiB");
    }
}
