using VoxTile.IR;

namespace VoxTile.Lowering.Passes;

/// <summary>
/// A stateless rewrite: given a node whose operands are already rewritten, return the node(s) that compute the same
/// value in the new form, or null when the rule does not apply. A rule never changes anything before it succeeds;
/// context (target, options, diagnostics) comes in as an argument. One rule per file, named as a verb
/// (<c>DecomposeCumsum</c>, <c>LowerConvTransposeToPolyphase</c>).
/// </summary>
public interface IRewriteRule
{
    string Name { get; }

    Node? Rewrite(Node node, PassContext context);
}
