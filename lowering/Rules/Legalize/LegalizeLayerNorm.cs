using VoxTile.IR;
using VoxTile.IR.Ops.Norm;
using Tt = VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Lowering.Rules.Legalize;

/// <summary>
/// <c>nn.layer_norm</c> → <c>ttnn.layer_norm</c> over the device's last axis, epsilon explicit (TTNN's default is
/// 1e-12, PyTorch's 1e-5). Decompose leaves only last-axis norms; a channel norm of a channels-last value is already
/// last on the device, and any other axis is permuted last. Weight and bias are [1, W] (bf16 unless activations are f32).
/// </summary>
public sealed class LegalizeLayerNorm : ILegalizeRule
{
    public string Name => "legalize-layer-norm";

    public DeviceValue? Lower(Node node, Legalizer l)
    {
        if (node.Op is not LayerNorm op) return null;
        var x = l.Value(node.Inputs[0]);
        int rank = x.Rank, axis = op.Axis < 0 ? op.Axis + rank : op.Axis, width = x.Shape[axis];
        var perm = l.PermWithLast(node, x, axis);
        var dtype = l.ComputeDType(node);
        var operands = new List<Node> { l.Read(x, perm, Form.Congruent, dtype) };
        var paramDType = dtype == DType.F32 ? DType.F32 : DType.BF16;
        for (int i = 1; i < node.Inputs.Length; i++)
        {
            var p = l.Value(node.Inputs[i]);
            operands.Add(p.Constant is { } c
                ? l.Materialize(c, p.Shape, [0], paramDType, Layout.Tile, [1, width])
                : l.Reshape(l.Read(p, [0], Form.Exact, paramDType), [1, width]));
        }
        return DeviceValue.Of(l.Emit(new Tt.LayerNorm { Epsilon = op.Eps }, [.. operands]), perm, node.Shape.ToArray());
    }
}
