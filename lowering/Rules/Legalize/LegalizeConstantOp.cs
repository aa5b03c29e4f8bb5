using System.Globalization;
using VoxTile.IR;
using VoxTile.IR.Ops.Constant;

namespace VoxTile.Lowering.Rules.Legalize;

/// <summary>
/// <c>nn.full</c> and <c>nn.arange</c> (static shapes) → compile-time constants, <c>const.full_&lt;shape&gt;_&lt;value&gt;</c>
/// and <c>const.arange_&lt;start&gt;_&lt;end&gt;</c>: materialised per use in the permutation, dtype and layout the
/// consumer reads (an arange is a frame index and stays f32, <see cref="ExactValues"/>).
/// </summary>
public sealed class LegalizeConstantOp : ILegalizeRule
{
    public string Name => "legalize-constant-op";

    public DeviceValue? Lower(Node node, Legalizer l)
    {
        string key;
        switch (node.Op)
        {
            case Full f:
                key = $"const.full_{string.Join("x", f.Shape)}_{f.Value.ToString("R", CultureInfo.InvariantCulture)}";
                break;
            case Arange a:
                key = $"const.arange_{a.Start}_{a.End}";
                break;
            default:
                return null;
        }
        return DeviceValue.Of(new Constant(key, node.Op.Evaluate([])), node.Shape.ToArray());
    }
}
