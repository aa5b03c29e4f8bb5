using VoxTile.IR;
using VoxTile.IR.Ops.Movement;
using Tt = VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Lowering.Rules.Legalize;

/// <summary>
/// <c>nn.concat</c> → <c>ttnn.concat</c> in one permutation of all operands, in one dtype and layout (the majority's).
/// A channel concat of channels-last values joins the tile width. A stack (every operand 1 wide on the axis, as the
/// polyphase interleave stacks phases) puts the new axis right after its nn predecessor, and when rows lie before
/// it, concatenates along the width instead: [.., Q, 1, C] operands are [.., Q, C] bytes, joined along C into
/// [.., Q, s·C], which are the bytes of [.., Q, s, C], with no 32-row tile padding per row of Q.
/// </summary>
public sealed class LegalizeConcat : ILegalizeRule
{
    public string Name => "legalize-concat";

    public DeviceValue? Lower(Node node, Legalizer l)
    {
        if (node.Op is not Concat c) return null;
        var xs = node.Inputs.Select(l.Value).ToArray();
        if (xs.All(x => x.IsConstant)) return null;
        int rank = node.Shape.Rank, axis = c.Axis < 0 ? c.Axis + rank : c.Axis;
        if (xs.Length == 1) return xs[0];
        var perm = l.ChoosePerm(node, xs);
        bool stack = xs.All(x => x.Shape[axis] == 1);
        if (stack)
        {
            var rest = perm.Where(a => a != axis).ToList();
            rest.Insert(axis == 0 ? 0 : rest.IndexOf(axis - 1) + 1, axis);
            perm = [.. rest];
        }
        int k = Array.IndexOf(perm, axis);
        var outShape = Perms.Apply(node.Shape.ToArray(), perm);
        long outer = 1, middle = 1;
        for (int i = 0; i < k; i++) outer *= outShape[i];
        for (int i = k + 1; i < rank - 1; i++) middle *= outShape[i];

        var moving = xs.Where(x => !x.IsConstant).ToArray();
        var dtype = moving.Select(x => x.Node!.Type.DType).Distinct().Count() == 1 && VoxTile.IR.Ops.Ttnn.TtnnDataTypes.IsFloat(moving[0].Node!.Type.DType)
            ? moving[0].Node!.Type.DType : l.ComputeDType(node);
        var layout = moving.GroupBy(x => x.Node!.Type.Layout ?? Layout.Tile).OrderByDescending(g => g.Sum(x => x.Count)).First().Key;

        List<Node> parts;
        int dim;
        if (k < rank - 1 && stack && middle == 1 && outer > 1)
        {
            // The width join: each operand as [d0 … d(k−1), C], with as many leading 1s as the widest raw form has.
            var reads = xs.Select(x => l.Read(x, perm, Form.Raw, dtype)).ToArray();
            int width = reads.Max(n => Legalizer.Sizes(n).Length);
            int[] target = [.. Enumerable.Repeat(1, Math.Max(0, width - k - 1)), .. outShape.Take(k), outShape[^1]];
            parts = [.. reads.Select(n => l.Reshape(n, target))];
            dim = target.Length - 1;
        }
        else
        {
            // Congruent reads, brought to one rank by leading 1s (a conv output keeps its [1, 1, N·L, C]).
            var reads = xs.Select(x => l.Read(x, perm, Form.Congruent, dtype)).ToArray();
            int width = reads.Max(n => Legalizer.Sizes(n).Length);
            dim = k + width - rank;
            if (dim < 0)
            {
                parts = [.. xs.Select(x => l.Read(x, perm, Form.Exact, dtype))];
                dim = k;
            }
            else parts = [.. reads.Select(n => l.Reshape(n, [.. Enumerable.Repeat(1, width - Legalizer.Sizes(n).Length), .. Legalizer.Sizes(n)]))];
        }
        var y = l.Emit(new Tt.Concat { Dim = dim }, [.. parts.Select(n => l.ToLayout(n, layout))]);
        return DeviceValue.Of(y, perm, node.Shape.ToArray());
    }
}
