using VoxTile.IR;
using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.Lowering.Passes;

namespace VoxTile.Lowering.Rules.Legalize;

/// <summary>
/// <c>legalize-ttnn</c>: every nn op becomes ttnn ops (README.md beside this file). Before the walk, the layout
/// demands (<see cref="LayoutDemands"/>) and the values that must stay f32 (<see cref="ExactValues"/>) are computed;
/// then each node, in order, is converted by the first rule that applies, over operands already converted. Graph
/// inputs arrive f32 in the nn shape (<see cref="HostLayout"/>), and outputs leave that way; <c>nn.randn_like</c> becomes an added
/// input (<see cref="RandnInputs"/>). Afterwards <see cref="AssertLegal"/> holds: only ttnn ops, graph inputs and
/// weights, each operand as its op requires. An nn op that no rule converts fails with its name and origin.
/// </summary>
public sealed class LegalizeTtnnPass : Pass
{
    public const string PassName = "legalize-ttnn";

    public override string Name => PassName;

    /// <summary>The rules in the order they are tried.</summary>
    public static IReadOnlyList<ILegalizeRule> Rules { get; } =
    [
        new FoldConstantOperands(),
        new LegalizeConstantOp(),
        new LegalizeRandnLike(),
        new LegalizeFramingConv1d(),
        new LegalizeConv1d(),
        new LegalizeConvTranspose1d(),
        new LegalizeConv2d(),
        new LegalizeLinear(),
        new LegalizeMatMul(),
        new LegalizeUnaryEltwise(),
        new LegalizeBinaryEltwise(),
        new LegalizeScale(),
        new LegalizeSquare(),
        new LegalizeNeg(),
        new LegalizeCompare(),
        new LegalizeMaximum(),
        new LegalizeClamp(),
        new LegalizeWhere(),
        new LegalizeLayerNorm(),
        new LegalizeSoftmax(),
        new LegalizeReduceSum(),
        new LegalizeCumsum(),
        new LegalizeEmbedding(),
        new LegalizeReshape(),
        new LegalizeTranspose(),
        new LegalizeSlice(),
        new LegalizeConcat(),
        new LegalizePad(),
        new LegalizeFlip(),
    ];

    public override Graph Run(Graph graph, PassContext context)
    {
        foreach (var n in graph.Inputs.Concat(graph.Nodes))
            if (!n.Shape.IsFixed)
                throw new VoxTileException($"{PassName} needs static shapes: {Origins.Describe(graph, n)} is {n.Type} (build the graph for one length)");

        var l = new Legalizer(context, ExactValues.Analyze(graph), LayoutDemands.Compute(graph));
        var inputs = new List<Node>();
        foreach (var i in graph.Inputs)
        {
            var input = Input.Create(i.Name!, i.Type with { Layout = HostLayout, Memory = null }, RandnInputs.SeedOf(i));
            l.ReserveInputName(i.Name!);
            inputs.Add(input);
            l.Bind(i, DeviceValue.Of(input, Perms.Identity(i.Shape.Rank), i.Shape.ToArray()));
        }
        foreach (var n in graph.Nodes)
        {
            if (n.Op is Weight w)
            {
                l.Bind(n, DeviceValue.Of(new Constant(w.Key, w.Value), n.Shape.ToArray()));
                continue;
            }
            l.Bind(n, Lower(graph, n, l));
        }
        var outputs = graph.Outputs.Select(o => Output(l, o)).ToList();
        var lowered = Graph.Create(graph.Name, [.. inputs, .. l.NewInputs], outputs);
        lowered = Finish(lowered, graph, l);
        AssertLegal(lowered);
        foreach (var r in l.NewInputs) context.Note($"{PassName}: %{r.Name} is a noise input the runtime fills (RandnInputs.Fill, seed {RandnInputs.SeedOf(r)})");
        return lowered;
    }

    private static DeviceValue Lower(Graph graph, Node n, Legalizer l)
    {
        foreach (var rule in Rules)
        {
            var v = rule.Lower(n, l);
            if (v is null) continue;
            if (!v.Shape.AsSpan().SequenceEqual(n.Shape.ToArray()))
                throw new InvalidOperationException($"{rule.Name} gave {Origins.Describe(graph, n)} of {n.Type} a device value of shape [{string.Join(",", v.Shape)}]");
            l.TakeRejections();
            return v;
        }
        var why = l.TakeRejections();
        throw new VoxTileException(Origins.NoLowering(graph, n) + (why.Count > 0 ? ": " + string.Join("; ", why.Distinct()) : ""));
    }

    /// <summary>
    /// The layout of graph inputs and outputs: TILE (ttnn.from_torch tilizes on upload, to_torch untilizes on
    /// download). A ROW_MAJOR page is a whole row, and a clip of audio is one row: 0.9 MB per page at 10 s, more
    /// than an op can stream through L1; tiles keep every page at 4 KB (the clip's one row pads to 32 in DRAM).
    /// </summary>
    public const Layout HostLayout = Layout.Tile;

    /// <summary>A graph output as the host reads it: f32, the nn shape.</summary>
    private static Node Output(Legalizer l, Node o)
    {
        var v = l.Value(o);
        var shape = o.Shape.ToArray();
        if (v.Constant is { } c) return l.Materialize(c, shape, Perms.Identity(shape.Length), DType.F32, HostLayout);
        var n = l.Cast(l.Read(v, Perms.Identity(shape.Length), Form.Raw), DType.F32);
        return l.Reshape(l.ToLayout(n, HostLayout), shape);
    }

    /// <summary>
    /// The nn values' names on the device nodes that hold them (the first name wins where nn values share bytes), and
    /// one type per weight key: a key names one content, and its second form (another dtype, layout or shape) gets
    /// the form in its key, so that the plan can pack each key once.
    /// </summary>
    private static Graph Finish(Graph g, Graph nn, Legalizer l)
    {
        var names = new Dictionary<Node, string>(ReferenceEqualityComparer.Instance);
        foreach (var n in nn.Nodes)
            if (n.Name is { } name && n.Op is not Weight && l.TryValue(n, out var v) && v.Node is { Op: not Input and not Weight, Name: null } d)
                names.TryAdd(d, name);
        var keyTypes = new Dictionary<string, TensorType>(StringComparer.Ordinal);
        var usedKeys = new HashSet<string>(g.Weights.Select(w => w.Key), StringComparer.Ordinal);
        var map = new Dictionary<Node, Node>(ReferenceEqualityComparer.Instance);
        foreach (var i in g.Inputs) map[i] = i;
        bool changed = false;
        foreach (var n in g.Nodes)
        {
            var op = n.Op;
            if (op is Weight w && !keyTypes.TryAdd(w.Key, n.Type) && keyTypes[w.Key] != n.Type)
            {
                var form = $"{w.Key}.{n.Type.DType.Name()}_{(n.Type.Layout == Layout.RowMajor ? "rm" : "tile")}_{string.Join("x", n.Shape.ToArray())}";
                string key = form;
                for (int k = 2; !usedKeys.Add(key) && !(keyTypes.TryGetValue(key, out var t) && t == n.Type); k++) key = $"{form}_{k}";
                keyTypes.TryAdd(key, n.Type);
                op = new Weight(key, n.Type, w.Value, w.Exact);
            }
            var inputs = n.Inputs.Select(x => map[x]).ToArray();
            var name = n.Name ?? names.GetValueOrDefault(n);
            bool same = ReferenceEquals(op, n.Op) && name == n.Name && inputs.Select((x, i) => ReferenceEquals(x, n.Inputs[i])).All(b => b);
            map[n] = same ? n : Node.CreateTyped(op, inputs, n.Type, name);
            changed |= !same;
        }
        return changed ? Graph.Create(g.Name, g.Inputs, g.Outputs.Select(o => map[o])) : g;
    }

    /// <summary>
    /// Throws unless only ttnn ops (besides graph inputs and weights) remain, each operand as its op requires
    /// (<see cref="ITtnnOp.OperandRequirements"/>) and every value with a layout. The message names the op and where
    /// it came from: <c>nn.foo (value %x, from %y) has no TTNN lowering</c>.
    /// </summary>
    public static void AssertLegal(Graph g)
    {
        foreach (var n in g.Nodes)
        {
            if (n.Op is Weight) continue;
            if (n.Op is not ITtnnOp t) throw new VoxTileException(Origins.NoLowering(g, n));
            if (n.Type.Layout is null) throw new VoxTileException($"{Origins.Describe(g, n)}: no layout was assigned");
            for (int i = 0; i < n.Inputs.Length; i++)
                if (t.RequirementOf(i).Violation(n.Inputs[i].Type) is { } v)
                    throw new VoxTileException($"{Origins.Describe(g, n)}: {v}");
        }
    }
}
