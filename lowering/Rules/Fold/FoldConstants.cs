using System.Runtime.InteropServices;
using System.Security.Cryptography;
using VoxTile.IR;
using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Ops.Random;
using VoxTile.Lowering.Passes;

namespace VoxTile.Lowering.Rules.Fold;

/// <summary>
/// Replaces a value whose operands are all constants (weights with data, fills) by a <c>const.</c> weight holding
/// its reference value: OpenVoice's conditioning layers applied to the zero speaker vector become bias constants,
/// reshapes and slices of weights become weights. The operands are folded first (the rewriter visits them before
/// the node), so whole constant subgraphs collapse. Values that depend on an input are untouched, and so is
/// <c>nn.randn_like</c> (the noise stays a runtime draw; see Rules/Decompose/README.md).
/// </summary>
public sealed class FoldConstants : IRewriteRule
{
    /// <summary>
    /// A fold may not make the weights much larger than what it reads (a broadcast of a bias over a long time axis
    /// is cheaper computed on the device than stored): the result may hold at most this many values more than its
    /// largest weight operand.
    /// </summary>
    public const long MaxGrowth = 1 << 16;

    public string Name => "fold-constants";

    public Node? Rewrite(Node node, PassContext context)
    {
        if (node.Inputs.Length == 0 || node.Op is RandnLike || !node.Shape.IsFixed) return null;
        if (!node.Inputs.All(ConstantEvaluator.IsConstantLeaf)) return null;
        long count = Tensor.Count(node.Shape.ToArray());
        // What the constant replaces in storage: its weight operands (fills cost nothing to store).
        long largest = node.Inputs.Max(x => x.Op is Weight ? Tensor.Count(x.Shape.ToArray()) : 0);
        if (count > largest + MaxGrowth)
        {
            context.Note($"fold-constants: {Describe(node)} left to the device: its {count} values would outgrow its operands ({largest})");
            return null;
        }
        var args = node.Inputs.Select(x => x.Op is Weight { Value: { } v } ? v : x.Op.Evaluate([])).ToArray();
        Tensor value;
        try { value = node.Op.Evaluate(args); }
        catch (VoxTileException e)
        {
            context.Note($"fold-constants: {Describe(node)} not folded: {e.Message}");
            return null;
        }
        return Weight.Create(KeyFor(value), node.Type, value, null);
    }

    /// <summary>
    /// <c>const.fold_</c> and a hash of shape and data: the same content always gets the same key, so a key names
    /// one content and equal constants can share storage.
    /// </summary>
    public static string KeyFor(Tensor value)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        h.AppendData(MemoryMarshal.AsBytes(value.Shape.AsSpan()));
        h.AppendData(MemoryMarshal.AsBytes(value.Data.AsSpan()));
        return "const.fold_" + Convert.ToHexStringLower(h.GetHashAndReset().AsSpan(0, 8));
    }

    private static string Describe(Node n) => n.Name is null ? n.Op.Name : $"%{n.Name} ({n.Op.Name})";
}
