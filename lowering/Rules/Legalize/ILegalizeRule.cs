using VoxTile.IR;

namespace VoxTile.Lowering.Rules.Legalize;

/// <summary>
/// One nn op's conversion to ttnn ops, as MLIR's OpConversionPattern: the node's operands are already converted
/// (<see cref="Legalizer.Value"/>), and the rule returns the device value that stands for the node, or null when it
/// does not apply (it may say why with <see cref="Legalizer.Reject"/>). Rules are stateless; the layout choices,
/// dtype policy and device-op builders they share live in the <see cref="Legalizer"/>. One rule per file, named as
/// a verb.
/// </summary>
public interface ILegalizeRule
{
    string Name { get; }

    DeviceValue? Lower(Node node, Legalizer legalizer);
}
