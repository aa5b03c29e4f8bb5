using VoxTile.IR;
using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.Lowering.Passes;
using Tt = VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Lowering.Rules.Legalize;

/// <summary>How much of its canonical device shape a read must honour.</summary>
public enum Form
{
    /// <summary>Any shape with the bytes (a conv output may stay [1, 1, N·L, C]).</summary>
    Raw,

    /// <summary>The canonical shape up to leading size-1 axes: enough for broadcasting and for the last two dims.</summary>
    Congruent,

    /// <summary>Exactly the nn shape permuted.</summary>
    Exact,
}

/// <summary>
/// The state of one <c>legalize-ttnn</c> run that the rules share (rules themselves are stateless): which device
/// value stands for each nn value, the layout demands and exact values computed before the walk, and the device
/// ops every rule builds with. Moves between forms are memoised per device node, so a value read in the same
/// permutation, dtype or layout by many consumers is moved once; a permute of a permute composes, and cancels
/// when the two are inverse.
/// </summary>
public sealed class Legalizer
{
    private readonly Dictionary<Node, DeviceValue> _values = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<(Node, string), Node> _moves = new();
    private readonly Dictionary<string, Node> _constants = new(StringComparer.Ordinal);
    private readonly ExactValues _exact;
    private readonly LayoutDemands _demands;
    private readonly List<string> _rejections = [];

    internal Legalizer(PassContext context, ExactValues exact, LayoutDemands demands)
    {
        Context = context;
        _exact = exact;
        _demands = demands;
    }

    public PassContext Context { get; }
    public LoweringOptions Options => Context.Options;

    /// <summary>The dtype of activations on the device (bf16 unless the options say otherwise).</summary>
    public DType Activation => Options.ActivationDType;

    /// <summary>The inputs the pass adds to the graph (the runtime's noise draws), in order.</summary>
    internal List<Node> NewInputs { get; } = [];

    public DeviceValue Value(Node nn) =>
        _values.TryGetValue(nn, out var v) ? v : throw new InvalidOperationException($"{nn} has not been legalized before its use");

    internal void Bind(Node nn, DeviceValue v) => _values[nn] = v;

    internal bool TryValue(Node nn, out DeviceValue v) => _values.TryGetValue(nn, out v!);

    /// <summary>Whether the value must be held in f32 (<see cref="ExactValues"/>).</summary>
    public bool IsExact(Node nn) => _exact.IsExact(nn);

    /// <summary>The dtype the op of <paramref name="nn"/> reads its operands and computes in.</summary>
    public DType ComputeDType(Node nn) => _exact.ComputesExact(nn) ? DType.F32 : Activation;

    /// <summary>The permutation the consumers of <paramref name="nn"/> would like to read it in, if any.</summary>
    public int[]? Demand(Node nn) => _demands.Of(nn);

    /// <summary>Records why a rule passed on a node; the no-lowering error quotes it.</summary>
    public void Reject(string why) => _rejections.Add(why);

    internal IReadOnlyList<string> TakeRejections()
    {
        var r = _rejections.ToList();
        _rejections.Clear();
        return r;
    }

    // ---------------------------------------------------------------- layout assignment, forward half

    /// <summary>
    /// The permutation an agnostic op produces its result in, given its operands (expanded to its rank): the first of
    /// its demand and its operands' permutations (largest operand first) that moves no operand; when none does, the
    /// demand (the consumers' choice), else the largest operand's. Constants and operands with at most one axis
    /// larger than 1 cost nothing to read in any order and do not vote.
    /// </summary>
    public int[] ChoosePerm(Node nn, IReadOnlyList<DeviceValue> operands)
    {
        int rank = nn.Shape.Rank;
        var demand = Demand(nn);
        var voting = operands.Where(o => !o.IsConstant && o.Shape.Count(d => d != 1) >= 2).OrderByDescending(o => o.Count).ToList();
        var candidates = new List<int[]>();
        if (demand is not null) candidates.Add(demand);
        candidates.AddRange(voting.Select(o => o.Perm));
        foreach (var c in candidates)
            if (voting.All(o => Perms.SameData(o.Shape, o.Perm, c))) return c;
        return demand ?? voting.FirstOrDefault()?.Perm ?? operands.FirstOrDefault(o => !o.IsConstant)?.Perm ?? Perms.Identity(rank);
    }

    /// <summary>
    /// A permutation with <paramref name="axis"/> last on the device, for ops that work along the tile width (norms,
    /// softmax, linear): the agnostic choice, the operand's own order or the nn order, whichever has it last and
    /// moves no data; else the operand's order with the axis moved last (one permute).
    /// </summary>
    public int[] PermWithLast(Node nn, DeviceValue x, int axis)
    {
        foreach (var c in new[] { ChoosePerm(nn, [x]), x.Perm, Perms.Identity(x.Rank) })
            if (c[^1] == axis && x.HasDataIn(c)) return c;
        return Perms.MoveLast(x.Perm, axis);
    }

    // ---------------------------------------------------------------- reading values

    /// <summary>
    /// The device node holding <paramref name="v"/> transposed by <paramref name="perm"/>, in <paramref name="form"/>
    /// and, when given, <paramref name="dtype"/>: a permute only when the bytes differ, a reshape only when the form
    /// asks for it. A constant is materialised (TILE) in exactly that form, at no device cost.
    /// </summary>
    public Node Read(DeviceValue v, int[] perm, Form form = Form.Congruent, DType? dtype = null)
    {
        if (v.Constant is { } c) return Materialize(c, v.Shape, perm, dtype ?? Activation, Layout.Tile);
        var n = v.Node!;
        var target = Perms.Apply(v.Shape, perm);
        if (!Perms.SameData(v.Shape, v.Perm, perm))
        {
            var src = Reshape(n, v.DeviceShape);
            var inv = Perms.Inverse(v.Perm);
            n = Permute(src, [.. perm.Select(a => inv[a])]);
        }
        n = form switch
        {
            Form.Raw => n,
            Form.Congruent when Perms.Congruent(Sizes(n), target) => n,
            _ => Reshape(n, target),
        };
        return dtype is { } t ? Cast(n, t) : n;
    }

    /// <summary>
    /// <paramref name="v"/> read in <paramref name="perm"/> (congruent), and the axis of the node that holds nn axis
    /// <paramref name="axis"/>: the node may lack leading size-1 axes, or carry more.
    /// </summary>
    public Node ReadAxis(DeviceValue v, int[] perm, int axis, out int nodeAxis, DType? dtype = null)
    {
        var n = Read(v, perm, Form.Congruent, dtype);
        nodeAxis = Array.IndexOf(perm, axis) + Sizes(n).Length - perm.Length;
        if (nodeAxis < 0)
        {
            n = Read(v, perm, Form.Exact, dtype);
            nodeAxis = Array.IndexOf(perm, axis);
        }
        return n;
    }

    /// <summary>A constant in device form: transposed, shaped (canonical unless <paramref name="shape"/> is given), in a dtype and layout.</summary>
    public Node Materialize(Constant c, int[] nnShape, int[] perm, DType dtype, Layout layout, int[]? shape = null)
    {
        bool moved = !Perms.SameData(nnShape, Perms.Identity(nnShape.Length), perm);
        var canonical = Perms.Apply(nnShape, perm);
        shape ??= canonical;
        string key = moved ? DerivedKey(c.Key, "p" + string.Concat(perm)) : c.Key;
        return ConstantNode(key, shape, dtype, layout, () =>
        {
            if (c.Value is not { } value) return null;
            var t = moved ? new IR.Ops.Movement.Transpose { Perm = perm }.Evaluate([value.Reshape(nnShape)]) : value;
            return t.Reshape(shape);
        });
    }

    /// <summary>A weight node of a compile-time value (<paramref name="value"/> is called once per distinct form; it may return null in a graph without weight data).</summary>
    public Node ConstantNode(string key, int[] shape, DType dtype, Layout layout, Func<Tensor?> value)
    {
        string memo = $"{key}|{string.Join("x", shape)}|{dtype}|{layout}";
        if (_constants.TryGetValue(memo, out var n)) return n;
        var type = new TensorType(dtype, new Shape(shape), layout);
        n = Weight.Create(key, type, value(), null);
        _constants[memo] = n;
        return n;
    }

    /// <summary><c>const.&lt;key&gt;.&lt;what&gt;</c>: the key of a value computed at compile time from another (Rules/Decompose/README.md).</summary>
    public static string DerivedKey(string key, string what) =>
        (key.StartsWith("const.", StringComparison.Ordinal) ? key : "const." + key) + "." + what;

    /// <summary>The nn-order value of a constant operand, or null when the graph has no weight data.</summary>
    public static Tensor? ValueOf(DeviceValue v) => v.Constant?.Value;

    // ---------------------------------------------------------------- device ops

    /// <summary>
    /// A ttnn op over <paramref name="operands"/>, each first brought to what the op's <see cref="ITtnnOp.OperandRequirements"/>
    /// demand (dtype, layout; a constant is re-materialised instead of converted on the device). The result is TILE
    /// unless the op moves data, which keeps its input's layout.
    /// </summary>
    public Node Emit(Op op, params Node[] operands)
    {
        if (op is ITtnnOp t)
            for (int i = 0; i < operands.Length; i++) operands[i] = Conform(operands[i], t.RequirementOf(i), op.Name);
        var n = Node.Create(op, operands);
        var layout = op switch
        {
            Tt.ToLayout => n.Type.Layout,
            Typecast or Tt.Slice or Tt.Reshape or Tt.Permute or Tt.Transpose or Tt.Pad or Tt.Concat => operands[0].Type.Layout ?? Layout.Tile,
            _ => Layout.Tile,
        };
        return n.Type.Layout == layout ? n : n.WithType(n.Type with { Layout = layout });
    }

    private Node Conform(Node x, OperandRequirement req, string op)
    {
        var dtype = x.Type.DType;
        var layout = x.Type.Layout ?? Layout.Tile;
        var wantType = req.DTypes.Contains(dtype) ? dtype : PreferredDType(req, dtype);
        var wantLayout = req.Layout switch { LayoutRequirement.Tile => Layout.Tile, LayoutRequirement.RowMajor => Layout.RowMajor, _ => layout };
        // A ROW_MAJOR page (one row) must be a multiple of 4 bytes on the device: an odd width in bf16 goes f32.
        if (!req.OnHost && req.Layout == LayoutRequirement.RowMajor && wantType == DType.BF16 && req.DTypes.Contains(DType.F32) && Sizes(x)[^1] % 2 == 1) wantType = DType.F32;
        if (wantType == dtype && wantLayout == layout) return x;
        if (x.Op is Weight w)
            return ConstantNode(w.Key, Sizes(x), wantType, wantLayout, () => w.Value);
        if (req.OnHost) throw new VoxTileException($"{op}: {req.Operand} must be a compile-time constant (TTNN prepares it on the host), got a computed {x.Type}");
        // Block floats exist only in TILE: tilize before casting to one, cast away from one before untilizing.
        if (wantType.IsBlockFloat()) return Cast(ToLayout(x, wantLayout), wantType);
        return ToLayout(Cast(x, wantType), wantLayout);
    }

    private static DType PreferredDType(OperandRequirement req, DType have)
    {
        if (have == DType.F32 && req.DTypes.Contains(DType.F32)) return DType.F32;
        if (have.IsFloat() && req.DTypes.Contains(DType.BF16)) return DType.BF16;
        return req.DTypes[0];
    }

    public Node Reshape(Node x, int[] shape)
    {
        if (Sizes(x).AsSpan().SequenceEqual(shape)) return x;
        if (x.Op is Weight w) return ConstantNode(w.Key, shape, x.Type.DType, x.Type.Layout ?? Layout.Tile, () => w.Value?.Reshape(shape));
        // A reshape of a reshape reads the first one's input.
        if (x.Op is Tt.Reshape) x = x.Inputs[0];
        if (Sizes(x).AsSpan().SequenceEqual(shape)) return x;
        return Memo(x, "reshape " + string.Join("x", shape), () => Emit(new Tt.Reshape { Shape = shape }, x));
    }

    /// <summary>ttnn.permute; one of a permute composes with it, and an inverse pair cancels.</summary>
    public Node Permute(Node x, int[] dims)
    {
        if (Perms.IsIdentity(dims)) return x;
        if (x.Op is Tt.Permute inner && inner.Dims.Length == dims.Length && inner.Dims.All(d => d >= 0))
            return Permute(x.Inputs[0], [.. dims.Select(d => inner.Dims[d])]);
        return Memo(x, "permute " + Perms.Key(dims), () => Emit(new Tt.Permute { Dims = dims }, x));
    }

    public Node Cast(Node x, DType dtype)
    {
        if (x.Type.DType == dtype) return x;
        if (x.Op is Weight w) return ConstantNode(w.Key, Sizes(x), dtype, x.Type.Layout ?? Layout.Tile, () => w.Value);
        // Back across a widening cast (bf16 → f32 → bf16): the narrow value itself.
        if (x.Op is Typecast && x.Inputs[0].Type.DType == dtype && x.Type.DType == DType.F32) return x.Inputs[0];
        return Memo(x, "cast " + dtype.Name(), () =>
            dtype.IsBlockFloat() && x.Type.Layout == Layout.RowMajor
                ? Cast(ToLayout(x, Layout.Tile), dtype)
                : Emit(new Typecast { Dtype = dtype.ToTtnn() }, x));
    }

    public Node ToLayout(Node x, Layout layout)
    {
        if ((x.Type.Layout ?? Layout.Tile) == layout) return x;
        if (x.Op is Weight w) return ConstantNode(w.Key, Sizes(x), x.Type.DType, layout, () => w.Value);
        return Memo(x, "layout " + layout, () =>
            layout == Layout.RowMajor && x.Type.DType.IsBlockFloat()
                ? ToLayout(Cast(x, DType.BF16), layout)
                : Emit(new Tt.ToLayout { Layout = layout }, x));
    }

    /// <summary>ttnn.slice of one axis of the node's own shape.</summary>
    public Node Slice(Node x, int axis, int start, int end, int step = 1)
    {
        var s = Sizes(x);
        if (start == 0 && end == s[axis] && step == 1) return x;
        var begin = new int[s.Length];
        var stop = (int[])s.Clone();
        var steps = Enumerable.Repeat(1, s.Length).ToArray();
        begin[axis] = start;
        stop[axis] = end;
        steps[axis] = step;
        return Memo(x, $"slice {axis} {start} {end} {step}", () => Emit(new Tt.Slice { SliceStart = begin, SliceEnd = stop, SliceStep = steps }, x));
    }

    /// <summary>A graph input the pass adds, a noise draw of <paramref name="noiseSeed"/> (the runtime fills it before each run).</summary>
    internal Node NewInput(string name, TensorType type, long noiseSeed)
    {
        var n = Input.Create(name, type, noiseSeed);
        NewInputs.Add(n);
        _inputNames.Add(name);
        return n;
    }

    /// <summary>Whether no graph input (the graph's own, bound with <see cref="ReserveInputName"/>, or an added one) has this name.</summary>
    internal bool IsFreeInputName(string name) => !_inputNames.Contains(name);

    /// <summary>Marks a graph input's name as taken, so that an added input never shadows it.</summary>
    internal void ReserveInputName(string name) => _inputNames.Add(name);

    private readonly HashSet<string> _inputNames = new(StringComparer.Ordinal);

    private Node Memo(Node x, string what, Func<Node> make)
    {
        if (_moves.TryGetValue((x, what), out var n)) return n;
        n = make();
        _moves[(x, what)] = n;
        return n;
    }

    /// <summary>The fixed sizes of a device node.</summary>
    public static int[] Sizes(Node n) => n.Shape.ToArray();
}
