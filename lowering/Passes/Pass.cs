using VoxTile.IR;

namespace VoxTile.Lowering.Passes;

/// <summary>A graph-to-graph transformation, named in kebab-case for text pipelines (<c>decompose,legalize-ttnn,plan-memory</c>).</summary>
public abstract class Pass
{
    public abstract string Name { get; }

    public abstract Graph Run(Graph graph, PassContext context);

    public override string ToString() => Name;
}

/// <summary>A pass that applies a set of rewrite rules to every node (see <see cref="GraphRewriter"/>).</summary>
public class RulePass(string name, params IRewriteRule[] rules) : Pass
{
    public override string Name { get; } = name;

    public IReadOnlyList<IRewriteRule> Rules { get; } = rules;

    public override Graph Run(Graph graph, PassContext context) => GraphRewriter.Apply(graph, Rules, context);
}
