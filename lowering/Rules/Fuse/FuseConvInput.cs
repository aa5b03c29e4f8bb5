using VoxTile.IR;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.Lowering.Targets;

namespace VoxTile.Lowering.Rules.Fuse;

/// <summary>
/// What a conv's input goes through just before the conv, each step read by nothing else:
/// <c>x → [activation] → [to_layout] → [multiply by a row mask] → [to_layout] → conv</c> (a ResBlock's leaky_relu
/// before its conv, the masked decoder's <c>leaky_relu(x) * mask</c>) → <c>cpu.conv1d</c> reading x itself with
/// <c>input_activation</c> and <c>input_mask</c>: vt_conv1d applies them as it stages the input rows, so the activated
/// and masked copies are never written. The layout moves go too: the CPU kernel reads either layout; so do reshapes
/// between the conv input forms (a batch's conv output [1, 1, N·L, C] is reshaped to [N, L, C] before its mask
/// product). Only the <c>cpu</c> target (a TTNN conv fuses nothing on its input).
/// </summary>
public sealed class FuseConvInput : IFuseRule
{
    public string Name => "fuse-conv-input";

    public bool AppliesTo(TargetSpec target) => !target.IsTenstorrent;

    public Node? Rewrite(Node node, FuseContext cx)
    {
        if (FusedConv.Of(node) is not { } f || f.InputActivation != ConvActivation.None || f.InputMask is not null) return null;
        var g = f.Geometry;
        long rows = (long)g.BatchSize * g.InputLength;
        Node t = f.Input, reader = node;
        bool moved = Moves(ref t, ref reader, cx);
        Node? mask = null, data = null;
        if (t.Op is Multiply && cx.OnlyReadBy(t, reader) && ConvPatterns.HoldsRows(t.Type, rows, g.InChannels))
        {
            foreach (var (d, m) in Operands(t))
                if (ConvPatterns.IsRowMask(m.Type, t.Type, rows) && d.Type.DType == f.DType && ConvPatterns.HoldsRows(d.Type, rows, g.InChannels)
                    && !FuseContext.DependsOn(m, node))
                {
                    (mask, data) = (m, d);
                    break;
                }
            if (data is not null)
            {
                reader = t;
                t = data;
                moved |= Moves(ref t, ref reader, cx);
            }
        }
        var (activation, param) = t.Op switch
        {
            Relu => (ConvActivation.Relu, 0f),
            LeakyRelu l => (ConvActivation.LeakyRelu, l.NegativeSlope),
            Tanh => (ConvActivation.Tanh, 0f),
            Sigmoid => (ConvActivation.Sigmoid, 0f),
            _ => (ConvActivation.None, 0f),
        };
        if (activation != ConvActivation.None && cx.OnlyReadBy(t, reader) && t.Inputs[0].Type.DType == f.DType
            && ConvPatterns.IsRowFloat(t.Inputs[0].Type) && ConvPatterns.HoldsRows(t.Inputs[0].Type, rows, g.InChannels)
            && IsInputForm(t.Inputs[0].Type, g))
            return (f with { Input = t.Inputs[0], InputActivation = activation, InputActivationParam = param, InputMask = mask }).Build(node.Type.Layout);
        if (mask is not null && ConvPatterns.IsRowFloat(data!.Type))
            return (f with { Input = data, InputMask = mask }).Build(node.Type.Layout);
        return null;
    }

    /// <summary>A shape <c>ttnn.conv1d</c> takes as its input: [N, L, C], [N, L, 1, C] or [1, 1, N·L, C].</summary>
    private static bool IsInputForm(TensorType t, Conv1d g)
    {
        if (!t.Shape.IsFixed) return false;
        int[] s = t.Shape.ToArray(), n = [g.BatchSize, g.InputLength, g.InChannels];
        return s.SequenceEqual(n) || s.SequenceEqual([g.BatchSize, g.InputLength, 1, g.InChannels])
            || s.SequenceEqual([1, 1, g.BatchSize * g.InputLength, g.InChannels]);
    }

    /// <summary>Steps back over layout moves and reshapes read only by the step after them (the values are the same, in the same order).</summary>
    private static bool Moves(ref Node t, ref Node reader, FuseContext cx)
    {
        bool any = false;
        while (t.Op is ToLayout or Reshape && cx.OnlyReadBy(t, reader) && ConvPatterns.IsRowFloat(t.Inputs[0].Type) && t.Inputs[0].Type.DType == t.Type.DType)
        {
            (reader, t) = (t, t.Inputs[0]);
            any = true;
        }
        return any;
    }

    /// <summary>(data, mask) candidates of a product: the operand an activation made is taken for the data first.</summary>
    private static IEnumerable<(Node Data, Node Mask)> Operands(Node product)
    {
        Node x = product.Inputs[0], y = product.Inputs[1];
        if (ReferenceEquals(x, y)) yield break;
        bool activated = y.Op is Relu or LeakyRelu or Tanh or Sigmoid;
        if (activated) { yield return (y, x); yield return (x, y); }
        else { yield return (x, y); yield return (y, x); }
    }
}
