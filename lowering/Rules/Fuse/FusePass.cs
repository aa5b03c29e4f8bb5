using VoxTile.IR;
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
/// The walk is <see cref="GraphRewriter"/>'s (operands first, the first rule that applies, its result tried again),
/// with use counts from the walk's input graph: a producer is absorbed only when the fused node was its one reader.
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

    /// <summary>One walk of the rewriter with <paramref name="rules"/>, use counts taken from <paramref name="graph"/>.</summary>
    private static Graph Walk(Graph graph, List<IFuseRule> rules, PassContext pass)
    {
        var uses = new Dictionary<Node, int>(ReferenceEqualityComparer.Instance);
        foreach (var n in graph.Nodes)
            foreach (var i in n.Inputs) uses[i] = uses.GetValueOrDefault(i) + 1;
        foreach (var o in graph.Outputs) uses[o] = uses.GetValueOrDefault(o) + 1;
        // Every node the walk makes stands for an input-graph node, whose readers it inherits.
        var origin = new Dictionary<Node, Node>(ReferenceEqualityComparer.Instance);
        var context = new FuseContext(pass, uses, origin);
        return GraphRewriter.Apply(graph, node =>
        {
            foreach (var rule in rules)
                if (rule.Rewrite(node, context) is { } r && !ReferenceEquals(r, node)) return r;
            return null;
        }, (made, from) => origin[made] = origin.TryGetValue(from, out var o) ? o : from);
    }
}
