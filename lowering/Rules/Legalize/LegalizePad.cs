using VoxTile.IR;
using VoxTile.IR.Ops.Movement;
using Tt = VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Lowering.Rules.Legalize;

/// <summary>
/// <c>nn.pad</c> of the last nn axis → <c>ttnn.pad</c> of the device axis that holds it (front padding makes the
/// operand ROW_MAJOR, as ttnn.pad requires). Reflect padding is slices, two anti-identity flips (<see cref="Flips"/>)
/// and a concat, the form DecomposeSpectrogram gives the STFT's pad.
/// </summary>
public sealed class LegalizePad : ILegalizeRule
{
    public string Name => "legalize-pad";

    public DeviceValue? Lower(Node node, Legalizer l)
    {
        if (node.Op is not Pad p) return null;
        var x = l.Value(node.Inputs[0]);
        if (x.IsConstant) return null;
        int rank = x.Rank, axis = rank - 1;
        if (p.Left == 0 && p.Right == 0) return x;
        var perm = l.ChoosePerm(node, [x]);
        if (p.Mode == PadMode.Reflect && Array.IndexOf(perm, axis) < rank - 2) perm = Perms.MoveLast(perm, axis);
        var n = l.ReadAxis(x, perm, axis, out int at);
        Node y;
        if (p.Mode == PadMode.Constant)
        {
            var padding = Legalizer.Sizes(n).Select((_, i) => i == at ? new[] { p.Left, p.Right } : [0, 0]).ToArray();
            y = l.Emit(new Tt.Pad { Padding = padding, Value = p.Value }, n);
        }
        else
        {
            int len = x.Shape[axis];
            var parts = new List<Node>();
            if (p.Left > 0) parts.Add(Flips.Reverse(l, l.Slice(n, at, 1, p.Left + 1), at));
            parts.Add(n);
            if (p.Right > 0) parts.Add(Flips.Reverse(l, l.Slice(n, at, len - 1 - p.Right, len - 1), at));
            y = l.Emit(new Tt.Concat { Dim = at }, [.. parts.Select(q => l.ToLayout(q, n.Type.Layout ?? Layout.Tile))]);
        }
        return DeviceValue.Of(y, perm, node.Shape.ToArray());
    }
}
