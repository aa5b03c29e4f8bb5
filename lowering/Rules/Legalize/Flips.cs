using VoxTile.IR;
using VoxTile.IR.Ops.Ttnn;
using Tt = VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Lowering.Rules.Legalize;

/// <summary>
/// Reversal of one of the last two axes of a device tensor as a product with the anti-identity J (<c>const.flip_n</c>,
/// J[i, n−1−i] = 1): x·J reverses the width, J·x the rows. Chosen over n single-row slices and a concat (n ops for
/// VITS's 192 channels) and over a gather (none in the ttnn dialect): one op, tile-shaped, O(rows·n²) multiply-adds
/// (T·192² per flow flip, noise next to its convs), and exact in every dtype, since each output is one input times
/// 1 plus zeros (a NaN or ±inf in x would spread along the axis; activations are finite).
/// </summary>
internal static class Flips
{
    public static Node Reverse(Legalizer l, Node x, int axis)
    {
        var s = Legalizer.Sizes(x);
        if (s.Length < 2)
        {
            x = l.Reshape(x, [1, .. s]);
            axis++;
            s = Legalizer.Sizes(x);
        }
        int rank = s.Length, n = s[axis];
        if (n == 1) return x;
        if (axis < rank - 2) throw new InvalidOperationException($"Flips.Reverse reverses one of the last two axes, got axis {axis} of {x.Type}");
        var dtype = x.Type.DType.IsFloat() ? x.Type.DType : l.Activation;
        var j = l.ConstantNode($"const.flip_{n}", [n, n], dtype, Layout.Tile, () => AntiIdentity(n));
        return axis == rank - 1 ? l.Emit(new Tt.Matmul(), x, j) : l.Emit(new Tt.Matmul(), j, x);
    }

    private static Tensor AntiIdentity(int n)
    {
        var t = new Tensor([n, n]);
        for (int i = 0; i < n; i++) t.Data[i * n + n - 1 - i] = 1f;
        return t;
    }
}
