using FsCheck;
using FsCheck.Fluent;
using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Ops.Movement;
using VoxTile.IR.Text;

namespace VoxTile.IR.Tests.Support;

/// <summary>
/// A random graph with its runtime data: inputs whose dims are fixed or symbolic (<c>T</c>, <c>2T</c>, <c>8T</c>, bound
/// to one value of T at run time), a DAG of random ops with random valid attributes, named and unnamed values,
/// weights, layouts on some types; and the value of every output, computed op by op while the graph was grown.
/// </summary>
public sealed class GraphCase
{
    public required int Seed { get; init; }
    public required Graph Graph { get; init; }
    public required int T { get; init; }
    public required Tensor[] Inputs { get; init; }
    public required Dictionary<string, Tensor> Weights { get; init; }
    public required Tensor[] Expected { get; init; }

    public Tensor? Weight(string key) => Weights.GetValueOrDefault(key);

    public override string ToString() => $"graph seed {Seed}, T = {T}:\n{Printer.Print(Graph)}";
}

public static class RandomGraphs
{
    public static Gen<GraphCase> Cases =>
        from seed in Gen.Choose(0, int.MaxValue - 1)
        from steps in Gen.Choose(1, 12)
        select Build(seed, steps);

    private static readonly string[] InputNames = ["x", "spec", "se_src", "h.0", "_in", "y_lengths"];
    private static readonly string[] ValueNames = ["h", "x", "y", "out", "enc.pre", "_t", "h_1", "spec", "z_p"];
    private static readonly string[] GraphNames = ["g", "voice_conversion", "enc_q", "dec"];
    private static readonly float[] Floats = [0.1f, -1e4f, 1e-5f, 2.5f, -0.333333343f, 3f, 0f, -1f, 1e20f];

    /// <summary>The graph for <paramref name="seed"/>: the same seed always gives the same graph and data.</summary>
    public static GraphCase Build(int seed, int steps)
    {
        var g = new Grower(new Rng(seed));
        for (int i = 0; i < steps; i++) g.Step();
        return g.Finish(seed);
    }

    private sealed class Grower
    {
        private readonly Rng _r;
        private readonly int _t;
        private readonly int _batch;
        private readonly List<Node> _inputs = [];
        private readonly List<Node> _pool = [];
        private readonly Dictionary<Node, Tensor> _values = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<string, Tensor> _weights = [];
        private Node? _last;

        public Grower(Rng r)
        {
            _r = r;
            _t = r.Int(2, 5);
            _batch = r.Int(1, 2);
            int count = r.Int(1, 3);
            var names = InputNames.OrderBy(_ => r.Int(0, 1000)).Take(count).ToArray();
            foreach (var name in names)
            {
                Dim len = r.Int(0, 3) switch { 0 => Dim.Of(r.Int(2, 6)), 1 => Dim.Sym("T"), 2 => Dim.Sym("T", 2), _ => Dim.Sym("T", 8) };
                var shape = new Shape([_batch, r.Int(2, 4), len]);
                var type = r.Int(0, 4) == 0
                    ? new TensorType(DType.BF16, shape, r.Bool() ? Layout.Tile : Layout.RowMajor,
                        r.Pick(new MemoryConfig?[] { null, MemoryConfig.DramInterleaved, MemoryConfig.L1Interleaved, new(BufferType.L1, TensorMemoryLayout.HeightSharded, new ShardSpec(8, 32, 64)) }))
                    : TensorType.F32(shape);
                // Now and then a noise input, whose seed is an attribute of the input that the text form must keep.
                var x = Input.Create(name, type, r.Int(0, 3) == 0 ? r.Pick(new long?[] { 0, 77, -3, long.MaxValue }) : null);
                _inputs.Add(x);
                _pool.Add(x);
                _values[x] = r.Normal([.. shape.Select(Runtime)]);
            }
        }

        private int Runtime(Dim d) => d.IsFixed ? d.Value : d.IsSymbolic ? d.Scale * _t : throw new InvalidOperationException("unknown input dim");

        // Half the time the newest value, so that chains grow deep as well as wide.
        private Node Any() => _last is not null && _r.Bool() ? _last : _r.Pick(_pool);
        // Helper operands built inside a step (a transpose for a matmul, a full for a mask) are evaluated on first use.
        private Tensor Value(Node n) => _values.TryGetValue(n, out var v) ? v : _values[n] = n.Op.Evaluate([.. n.Inputs.Select(Value)]);
        private string? Name() => _r.Int(0, 2) == 0 ? _r.Pick(ValueNames) : null;
        private float Float() => _r.Bool() ? _r.Pick(Floats) : (float)Math.Round(_r.Uniform(-4, 4), _r.Int(0, 3));

        private Node NewWeight(Tensor t)
        {
            var key = _r.Bool() ? $"w{_weights.Count}" : $"enc.layers.{_weights.Count}.weight";
            _weights[key] = t;
            var w = Weight.Create(key, t, _r.Int(0, 3) == 0 ? _r.Pick(ValueNames) : null, exact: _r.Int(0, 4) == 0);
            _values[w] = t;
            return w;
        }

        public void Step()
        {
            for (int attempt = 0; attempt < 20; attempt++)
            {
                Node? n;
                try { n = TryOne(); }
                catch (VoxTileException) { continue; } // operands the op does not accept: try another
                if (n is null) continue;
                Tensor y;
                try { y = n.Op.Evaluate([.. n.Inputs.Select(Value)]); }
                catch (VoxTileException) { continue; } // valid types, but not for these runtime sizes (a reflect pad of an unknown length)
                if (!n.Shape.Matches(y.Shape))
                    throw new InvalidOperationException($"{n.Op.Name} inferred {n.Type} but computed {y.ShapeString} (T = {_t})");
                if (y.Length == 0) continue;
                if (_r.Int(0, 9) == 0)
                    n = n.WithType(n.Type with { Layout = _r.Bool() ? Layout.Tile : Layout.RowMajor, Memory = _r.Bool() ? MemoryConfig.L1Interleaved : null });
                _values[n] = y;
                _pool.Add(n);
                _last = n;
                return;
            }
        }

        private Node? TryOne()
        {
            var a = Any();
            int rank = a.Shape.Rank;
            Dim Last() => a.Shape[-1];
            if (rank == 0) return _r.Bool() ? Nn.Scale(a, factor: Float(), name: Name()) : Nn.Mul(a, a, name: Name()); // a full reduction
            switch (_r.Int(0, 26))
            {
                case 0: return Nn.Relu(a, name: Name());
                case 1: return _r.Pick<Func<Node>>([() => Nn.Tanh(a, name: Name()), () => Nn.Sigmoid(a, name: Name()), () => Nn.Exp(a, name: Name()),
                    () => Nn.Sqrt(a, name: Name()), () => Nn.Square(a, name: Name()), () => Nn.Neg(a, name: Name()), () => Nn.Log(a, name: Name()),
                    () => Nn.Ceil(a, name: Name()), () => Nn.Gelu(a, name: Name()), () => Nn.Softplus(a, name: Name())])();
                case 2: return Nn.LeakyRelu(a, negativeSlope: _r.Pick([0.1f, 0.01f, 0.2f]), name: Name());
                case 3: return Nn.Scale(a, factor: Float(), offset: _r.Bool() ? Float() : null, name: Name());
                case 4:
                {
                    var same = _pool.Where(p => p.Type.DType == a.Type.DType && p.Shape.Equals(a.Shape)).ToList();
                    Node b = _r.Int(0, 3) switch
                    {
                        0 when rank >= 2 && a.Shape[-2].IsFixed && a.Type.DType == DType.F32 => NewWeight(_r.Normal(a.Shape[-2].Value, 1)),
                        1 when a.Type.DType == DType.F32 => Nn.Full(value: Float(), shape: [1]),
                        _ => _r.Pick(same),
                    };
                    bool swap = _r.Bool();
                    var (l, rr) = swap ? (b, a) : (a, b);
                    return _r.Int(0, 6) switch
                    {
                        0 => Nn.Add(l, rr, name: Name()),
                        1 => Nn.Sub(l, rr, name: Name()),
                        2 => Nn.Mul(l, rr, name: Name()),
                        3 => Nn.Div(l, rr, name: Name()),
                        4 => Nn.Less(l, rr, name: Name()),
                        5 => Nn.GreaterEqual(l, rr, name: Name()),
                        _ => Nn.Maximum(l, rr, name: Name()),
                    };
                }
                case 5:
                {
                    if (rank != 3 || !a.Shape[1].IsFixed) return null;
                    int cin = a.Shape[1].Value, groups = _r.Pick(Enumerable.Range(1, cin).Where(g => cin % g == 0).ToArray());
                    int k = _r.Int(1, 5), d = _r.Int(1, 2), cout = groups * _r.Int(1, 3);
                    int total = d * (k - 1), left = _r.Int(0, total);
                    bool same = !Last().IsFixed || _r.Bool();
                    int stride = same ? 1 : _r.Int(1, 3);
                    var w = NewWeight(_r.Normal(cout, cin / groups, k));
                    var bias = _r.Bool() ? NewWeight(_r.Normal(cout)) : null;
                    return same
                        ? Nn.Conv1d(a, w, bias: bias, padding: left, paddingRight: left == total - left && _r.Bool() ? null : total - left, dilation: d, groups: groups, name: Name())
                        : Nn.Conv1d(a, w, bias: bias, stride: stride, padding: _r.Int(0, 2), dilation: d, groups: groups, name: Name());
                }
                case 6:
                {
                    if (rank != 3 || !a.Shape[1].IsFixed) return null;
                    int cin = a.Shape[1].Value, s = _r.Int(1, 4);
                    var w = NewWeight(_r.Normal(cin, _r.Int(1, 3), s % 2 == 0 ? 2 * s : s));
                    return Nn.ConvTranspose1d(a, w, bias: _r.Bool() ? NewWeight(_r.Normal(w.Shape[1].Value)) : null, stride: s, padding: s % 2 == 0 ? s / 2 : 0, name: Name());
                }
                case 7:
                {
                    if (!Last().IsFixed) return null;
                    int o = _r.Int(1, 5);
                    return Nn.Linear(a, NewWeight(_r.Normal(o, Last().Value)), bias: _r.Bool() ? NewWeight(_r.Normal(o)) : null, name: Name());
                }
                case 8:
                {
                    int axis = _r.Pick([1, -1]);
                    if (rank < 2) return null;
                    var size = a.Shape[axis];
                    var eps = _r.Pick([1e-5f, 1e-4f]);
                    if (!size.IsFixed || _r.Bool()) return Nn.LayerNorm(a, axis: axis, eps: eps, name: Name());
                    return Nn.LayerNorm(a, gamma: NewWeight(_r.Normal(size.Value)), beta: _r.Bool() ? NewWeight(_r.Normal(size.Value)) : null, axis: axis, eps: eps, name: Name());
                }
                case 9:
                {
                    var fixedAxes = Enumerable.Range(0, rank).Where(i => a.Shape[i].IsFixed && a.Shape[i].Value > 1).ToArray();
                    if (fixedAxes.Length == 0) return Nn.Slice(a, axis: 0, start: 0, name: Name());
                    int axis = _r.Pick(fixedAxes), n = a.Shape[axis].Value;
                    int start = _r.Int(-n, n - 1), end = _r.Pick([int.MaxValue, _r.Int(-n + 1, n)]), step = _r.Int(1, 2);
                    return Nn.Slice(a, axis: _r.Bool() ? axis : axis - rank, start: start, end: end, step: step, name: Name());
                }
                case 10:
                {
                    int axis = _r.Int(0, rank - 1);
                    var fits = _pool.Where(p => p.Shape.Rank == rank && p.Type.DType == a.Type.DType
                        && Enumerable.Range(0, rank).All(i => i == axis || p.Shape[i] == a.Shape[i])).ToList();
                    var parts = Enumerable.Range(0, _r.Int(1, 3)).Select(_ => _r.Pick(fits)).ToList();
                    return Nn.Concat(parts, axis: _r.Bool() ? axis : axis - rank, name: Name());
                }
                case 11: return Nn.Flip(a, axis: _r.Int(-rank, rank - 1), name: Name());
                case 12:
                {
                    if (rank < 2 || Enumerable.Range(0, rank - 1).Any(i => !a.Shape[i].IsFixed)) return null;
                    var lead = a.Shape.Take(rank - 1).Select(d => d.Value).ToArray();
                    int[] shape = _r.Int(0, 2) switch
                    {
                        0 => [lead[0], 1, .. lead[1..], -1],
                        1 => [lead[0] * (rank > 2 ? lead[1] : 1), .. (rank > 2 ? lead[2..] : []), -1],
                        _ => [.. lead, -1],
                    };
                    return Nn.Reshape(a, shape: shape, name: Name());
                }
                case 13: return Nn.Transpose(a, perm: [.. Enumerable.Range(0, rank).OrderBy(_ => _r.Int(0, 100))], name: Name());
                case 14:
                {
                    var len = Last();
                    bool reflect = _r.Bool() && (len.IsSymbolic || (len.IsFixed && len.Value >= 2));
                    return reflect
                        ? Nn.Pad(a, left: _r.Int(0, 1), right: _r.Int(0, 1), mode: PadMode.Reflect, name: Name())
                        : Nn.Pad(a, left: _r.Int(0, 3), right: _r.Int(0, 3), value: _r.Pick([0f, -1e4f, 0.5f, float.NegativeInfinity]), name: Name());
                }
                case 15: return Nn.Cumsum(a, axis: _r.Int(-rank, rank - 1), name: Name());
                case 16:
                {
                    if (rank < 2 || !a.Shape[0].IsFixed) return null;
                    var lengths = Nn.Full(value: _r.Int(0, 9), shape: [a.Shape[0].Value]);
                    return Nn.SequenceMask(lengths, a, name: Name());
                }
                case 17: return Nn.RandnLike(a, seed: _r.Pick([0L, 42L, -7L, long.MaxValue, _r.Int(0, int.MaxValue)]), name: Name());
                case 18:
                {
                    var full = Nn.Full(value: Float(), shape: [.. Enumerable.Range(0, _r.Int(1, 3)).Select(_ => _r.Int(1, 3))], name: Name());
                    return full;
                }
                case 19:
                {
                    if (rank == 3 && a.Shape[0].IsFixed && a.Shape[1].IsFixed) a = Nn.Reshape(a, shape: [a.Shape[0].Value, -1]);
                    else if (rank != 2) return null;
                    int nfft = _r.Pick([8, 16]), hop = nfft / 4;
                    return Nn.Spectrogram(a, nFft: nfft, hop: hop, winLength: _r.Pick([nfft, nfft - 2]), name: Name());
                }
                case 20:
                {
                    if (rank == 3 && !Last().IsFixed && a.Shape[1].IsFixed) a = Nn.Transpose(a, perm: [0, 2, 1]);
                    if (rank != 3 || !Last().IsFixed) return null;
                    int h = _r.Int(1, 4), i = Last().Value;
                    Node? h0 = a.Shape[0].IsFixed && _r.Bool() ? Nn.Full(value: 0.5f, shape: [a.Shape[0].Value, h]) : null;
                    return Nn.Gru(a, NewWeight(_r.Uniform(-0.5, 0.5, 3 * h, i)), NewWeight(_r.Uniform(-0.5, 0.5, 3 * h, h)),
                        NewWeight(_r.Uniform(-0.5, 0.5, 3 * h)), NewWeight(_r.Uniform(-0.5, 0.5, 3 * h)), h0: h0, name: Name());
                }
                case 21: return Nn.Clamp(a, min: _r.Bool() ? Float() : null, max: _r.Bool() ? Float() : null, name: Name());
                case 22: return Nn.ReduceSum(a, axis: _r.Int(-rank, rank - 1), keepDims: _r.Bool() ? _r.Bool() : null, name: Name());
                case 23: return Nn.Softmax(a, axis: _r.Int(-rank, rank - 1), name: Name());
                case 24:
                {
                    var b = _r.Pick(_pool.Where(p => p.Type.DType == a.Type.DType && p.Shape.Equals(a.Shape)).ToList());
                    return Nn.Where(Nn.Less(a, b), _r.Bool() ? a : b, Nn.Neg(b), name: Name());
                }
                case 25:
                {
                    int start = _r.Int(-3, 3), rows = _r.Int(1, 6);
                    var ids = Nn.Arange(start: 0, end: rows, name: _r.Bool() ? Name() : null);
                    return _r.Bool()
                        ? Nn.Embedding(ids, NewWeight(_r.Normal(rows + _r.Int(0, 2), _r.Int(1, 4))), name: Name())
                        : Nn.Arange(start: start, end: start + rows, name: Name());
                }
                default:
                {
                    if (rank < 2) return null;
                    if (rank == 4 && a.Shape[1].IsFixed)
                    {
                        int c = a.Shape[1].Value, k = _r.Pick([1, 3]);
                        return Nn.Conv2d(a, NewWeight(_r.Normal(_r.Int(1, 3), c, k, k)), padding: [k / 2, k / 2], name: Name());
                    }
                    if (!Last().IsFixed) return Nn.MatMul(a, Nn.Transpose(a, perm: [.. Enumerable.Range(0, rank - 2), rank - 1, rank - 2]), name: Name());
                    return Nn.MatMul(a, NewWeight(_r.Normal(Last().Value, _r.Int(1, 4))), name: Name());
                }
            }
        }

        public GraphCase Finish(int seed)
        {
            var outputs = new List<Node> { _last ?? _pool[^1] };
            for (int i = _r.Int(0, 2); i > 0; i--) outputs.Add(_r.Pick(_pool));
            var graph = Graph.Create(_r.Pick(GraphNames), _inputs, outputs);
            return new GraphCase
            {
                Seed = seed,
                Graph = graph,
                T = _t,
                Inputs = [.. _inputs.Select(Value)],
                Weights = _weights,
                Expected = [.. outputs.Select(Value)],
            };
        }
    }
}
