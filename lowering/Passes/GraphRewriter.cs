using VoxTile.IR;
using VoxTile.IR.Ops.Graph;

namespace VoxTile.Lowering.Passes;

/// <summary>
/// Applies rewrite rules over a graph in the Roslyn manner: visit the operands (rewrite them first), update the node
/// with its new operands, then let the first rule that applies replace it; a replacement is visited in turn, so rules
/// compose until none applies. Nodes produced by the walk are never rewritten twice. Names of replaced values carry
/// over to their replacements.
/// </summary>
public static class GraphRewriter
{
    /// <summary>Upper bound on rule applications to one node: a rule that keeps firing on its own output is a bug.</summary>
    private const int MaxRewritesPerNode = 64;

    public static Graph Apply(Graph graph, IReadOnlyList<IRewriteRule> rules, PassContext context) =>
        Apply(graph, node => FirstApplying(rules, node, context));

    /// <summary>
    /// The walk with any rewrite: <paramref name="rewrite"/> returns a node's replacement or null. Each node the walk
    /// makes for an input-graph node (its copy with rewritten operands, a replacement, the replacement's copy) is
    /// reported to <paramref name="derived"/> as (new node, input-graph node), for passes that carry facts of the
    /// input graph over (the fuse pass's use counts).
    /// </summary>
    public static Graph Apply(Graph graph, Func<Node, Node?> rewrite, Action<Node, Node>? derived = null)
    {
        Graph? result = null;
        Exception? error = null;
        // Deep graphs (unrolled recurrences, long decoders) recurse deeply: run on a thread with a large stack.
        var thread = new Thread(() =>
        {
            try { result = new Walker(rewrite, derived).Run(graph); }
            catch (Exception e) { error = e; }
        }, 512 * 1024 * 1024);
        thread.Start();
        thread.Join();
        if (error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
        return result!;
    }

    private static Node? FirstApplying(IReadOnlyList<IRewriteRule> rules, Node node, PassContext context)
    {
        foreach (var rule in rules)
            if (rule.Rewrite(node, context) is { } r && !ReferenceEquals(r, node)) return r;
        return null;
    }

    private sealed class Walker(Func<Node, Node?> rewrite, Action<Node, Node>? derived)
    {
        private readonly Dictionary<Node, Node> _memo = new(ReferenceEqualityComparer.Instance);
        private readonly HashSet<Node> _done = new(ReferenceEqualityComparer.Instance);

        public Graph Run(Graph g)
        {
            foreach (var i in g.Inputs) { _memo[i] = i; _done.Add(i); }
            var outputs = g.Outputs.Select(Visit).ToList();
            return Graph.Create(g.Name, g.Inputs, outputs);
        }

        private Node Visit(Node node)
        {
            if (_done.Contains(node)) return node;
            if (_memo.TryGetValue(node, out var m)) return m;
            var inputs = node.Inputs.Select(Visit).ToList();
            var current = node.Inputs.Length == 0 ? node : node.WithInputs(inputs);
            derived?.Invoke(current, node);
            for (int round = 0; ; round++)
            {
                var replacement = rewrite(current);
                if (replacement is null || ReferenceEquals(replacement, current)) break;
                if (round >= MaxRewritesPerNode) throw new InvalidOperationException($"rules keep rewriting {current.Op.Name}: a rule fires on its own output");
                if (current.Name is not null && replacement.Name is null) replacement = replacement.Named(current.Name);
                derived?.Invoke(replacement, node);
                // The replacement's own new nodes are visited (and may be rewritten) before it is tried again.
                var again = replacement.Inputs.Select(Visit).ToList();
                current = replacement.Inputs.Length == 0 ? replacement : replacement.WithInputs(again);
                derived?.Invoke(current, node);
            }
            _memo[node] = current;
            _done.Add(current);
            return current;
        }
    }

    /// <summary>Whether a node is a graph input or a weight (no computation).</summary>
    public static bool IsLeaf(Node n) => n.Op is Input or Weight;
}
