using System.Security.Cryptography;
using System.Text;
using VoxTile.IR;
using VoxTile.IR.Ops.Random;
using VoxTile.Lowering.Rules.Fold;

namespace VoxTile.Lowering.Rules.Legalize;

/// <summary>
/// An op whose operands are all compile-time constants (what fold-constants left, or everything when it did not
/// run) is evaluated now by the reference and becomes a constant, unless the result would outgrow its operands by
/// more than <see cref="FoldConstants.MaxGrowth"/> values (a broadcast is cheaper on the device than in the weights).
/// In a graph without weight data the constant keeps only its type.
/// </summary>
public sealed class FoldConstantOperands : ILegalizeRule
{
    public string Name => "fold-constant-operands";

    public DeviceValue? Lower(Node node, Legalizer l)
    {
        if (node.Inputs.Length == 0 || node.Op is RandnLike) return null;
        var operands = node.Inputs.Select(l.Value).ToArray();
        if (!operands.All(o => o.IsConstant)) return null;
        var shape = node.Shape.ToArray();
        if (Tensor.Count(shape) > operands.Max(o => o.Count) + FoldConstants.MaxGrowth) return null;
        if (operands.All(o => o.Constant!.Value is not null))
        {
            Tensor value;
            try { value = node.Op.Evaluate([.. operands.Select(o => o.Constant!.Value!)]); }
            catch (VoxTileException e)
            {
                l.Reject($"folding it failed: {e.Message}");
                return null;
            }
            return DeviceValue.Of(new Constant(FoldConstants.KeyFor(value), value), shape);
        }
        // Types only: a key derived from the op and its operands' keys.
        var text = node.Op.Name + string.Concat(node.Op.Attributes.Select(a => $"|{a.Key}={AttributeMap.Format(a.Value)}")) + string.Concat(operands.Select(o => "|" + o.Constant!.Key));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 8));
        return DeviceValue.Of(new Constant("const.fold_" + hash, null), shape);
    }
}
