using VoxTile.IR;
using VoxTile.IR.Ops.Graph;
using VoxTile.Lowering.Passes;

namespace VoxTile.Lowering.Rules.Fuse;

/// <summary>
/// <c>fuse</c>: after legalization, folds ops into the convolution that produces or reads them, so the plan holds
/// the fused op and <c>voxtile dump</c> shows it (tt-mlir's TTNN fusing pass does the same for conv + relu). For every
/// target: the phases of a polyphase ConvTranspose1d become one conv with stacked weights, and a constant per-channel
/// add joins the conv's bias. For Tenstorrent targets: an activation that TTNN's conv config runs rides in
/// <c>ttnn.conv1d</c>. For the <c>cpu</c> target: <c>cpu.conv1d</c> takes the input's activation and frame mask, a
/// run-time bias vector, the activation or WaveNet's gate, the residual add and the output's frame mask.
/// <para>
/// The walk is the rewriter's (operands first, the first rule that applies, its result tried again), with use
/// counts from the input graph: a producer is absorbed only when the fused node was its one reader.
/// </para>
/// </summary>
public sealed class FusePass : Pass
{
    public const string PassName = "fuse";

    public override string Name => PassName;

    /// <summary>
    /// Every fusion, in rounds: each round is one walk with use counts taken afresh (merging the phases leaves their
    /// shared input with one reader, which the second round's input fusion needs to see); within a round, the order
    /// they are tried at a node.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<IFuseRule>> Rounds { get; } =
    [
        [new MergePolyphaseConvs()],
        [
        new FoldConstantChannelAdd(),
        new FuseConvInput(),
        new FuseConvBiasAdd(),
        new FuseConvGate(),
        new FuseConvActivation(),
        new FuseConvResidual(),
        new FuseConvOutputMask(),
        ],
    ];

    /// <summary>Every fusion rule.</summary>
    public static IEnumerable<IFuseRule> Rules => Rounds.SelectMany(r => r);

    public override Graph Run(Graph graph, PassContext context)
    {
        foreach (var round in Rounds)
        {
            var rules = round.Where(r => r.AppliesTo(context.Target)).ToList();
            if (rules.Count > 0) graph = Walk(graph, rules, context);
        }
        return graph;
    }

    private static Graph Walk(Graph graph, List<IFuseRule> rules, PassContext context)
    {
        Graph? result = null;
        Exception? error = null;
        // Deep graphs recurse deeply: as in GraphRewriter, walk on a thread with a large stack.
        var thread = new Thread(() =>
        {
            try { result = new Walker(rules, graph, context).Run(); }
            catch (Exception e) { error = e; }
        }, 512 * 1024 * 1024);
        thread.Start();
        thread.Join();
        if (error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
        return result!;
    }

    private sealed class Walker
    {
        private const int MaxFusionsPerNode = 16;
        private readonly IReadOnlyList<IFuseRule> _rules;
        private readonly Graph _graph;
        private readonly Dictionary<Node, Node> _memo = new(ReferenceEqualityComparer.Instance);
        private readonly HashSet<Node> _done = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<Node, Node> _origin = new(ReferenceEqualityComparer.Instance);
        private readonly FuseContext _context;

        public Walker(IReadOnlyList<IFuseRule> rules, Graph graph, PassContext pass)
        {
            _rules = rules;
            _graph = graph;
            var uses = new Dictionary<Node, int>(ReferenceEqualityComparer.Instance);
            foreach (var n in graph.Nodes)
                foreach (var i in n.Inputs) uses[i] = uses.GetValueOrDefault(i) + 1;
            foreach (var o in graph.Outputs) uses[o] = uses.GetValueOrDefault(o) + 1;
            _context = new FuseContext(pass, uses, _origin);
        }

        public Graph Run()
        {
            foreach (var i in _graph.Inputs) { _memo[i] = i; _done.Add(i); }
            var outputs = _graph.Outputs.Select(Visit).ToList();
            return Graph.Create(_graph.Name, _graph.Inputs, outputs);
        }

        private Node Visit(Node node)
        {
            if (_done.Contains(node)) return node;
            if (_memo.TryGetValue(node, out var m)) return m;
            var inputs = node.Inputs.Select(Visit).ToList();
            var current = node.Inputs.Length == 0 ? node : node.WithInputs(inputs);
            var origin = _origin.TryGetValue(node, out var o) ? o : node;
            _origin[current] = origin;
            for (int round = 0; node.Op is not (Weight or Input); round++)
            {
                Node? replacement = null;
                foreach (var rule in _rules)
                {
                    replacement = rule.Rewrite(current, _context);
                    if (replacement is not null && !ReferenceEquals(replacement, current)) break;
                    replacement = null;
                }
                if (replacement is null) break;
                if (round >= MaxFusionsPerNode) throw new InvalidOperationException($"fusions keep rewriting {current.Op.Name}: a rule fires on its own output");
                if (current.Name is not null && replacement.Name is null) replacement = replacement.Named(current.Name);
                _origin[replacement] = origin;
                var again = replacement.Inputs.Select(Visit).ToList();
                current = replacement.Inputs.Length == 0 ? replacement : replacement.WithInputs(again);
                _origin[current] = origin;
            }
            _memo[node] = current;
            _done.Add(current);
            return current;
        }
    }
}
