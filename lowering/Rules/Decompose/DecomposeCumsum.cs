using VoxTile.IR;
using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Ops.Sequence;
using VoxTile.Lowering.Passes;

namespace VoxTile.Lowering.Rules.Decompose;

/// <summary>
/// <c>nn.cumsum</c> → matmuls with an upper-triangular ones matrix, blocked per 32-wide tile: the axis (moved last)
/// is zero-padded to whole tiles, each tile takes its inclusive prefix sum with one [32, 32] matmul, and the tiles'
/// totals (their last column) are prefix-summed in turn — another <c>nn.cumsum</c>, shifted by one tile and
/// decomposed the same way — and broadcast-added as the carry of the earlier tiles. Work is O(L·32), every matmul is
/// tile-shaped, and the row of tiles is one batched matmul instead of a sequential scan.
/// <para>
/// Precision: the lowering must keep these matmuls (and their <c>const.cumsum_tri*</c> operand) in f32 with fp32
/// accumulation: the ones matrix is an exact weight (<see cref="Weight.Exact"/>), and legalization's ExactValues keeps a
/// matmul against one in f32. fp32 sums integers exactly up to 2²⁴, so alignment
/// durations stay exact; bf16 is exact only to 256 (257 → 256), which breaks frame boundaries past ~3 s of speech.
/// </para>
/// </summary>
public sealed class DecomposeCumsum : IRewriteRule
{
    public const int Tile = 32;

    public string Name => "decompose-cumsum";

    public Node? Rewrite(Node node, PassContext context)
    {
        if (node.Op is not Cumsum op) return null;
        var x = node.Inputs[0];
        int rank = x.Shape.Rank;
        int axis = op.Axis < 0 ? op.Axis + rank : op.Axis;
        if (rank == 0 || axis < 0 || axis >= rank) return null;
        if (!x.Shape[axis].IsFixed || Shapes.ReshapeSizes(x.Shape) is null)
        {
            context.Note($"{Name}: {Shapes.Describe(node)} of {x.Type} left as is: needs a fixed scan length and at most one symbolic dim");
            return null;
        }
        int length = x.Shape[axis].Value;
        if (length == 0) return null;

        Node y;
        if (rank == 1)
            y = Nn.Reshape(PrefixSumLast(Nn.Reshape(x, [1, length])), [length]);
        else if (axis == rank - 1)
            y = PrefixSumLast(x);
        else
        {
            var perm = Shapes.Swap(rank, axis, rank - 1);
            y = Nn.Transpose(PrefixSumLast(Nn.Transpose(x, perm)), perm);
        }
        return Shapes.Checked(this, node, y, context);
    }

    /// <summary>Inclusive prefix sum along the last axis of a value of rank ≥ 2.</summary>
    private static Node PrefixSumLast(Node x)
    {
        int n = x.Shape[-1].Value;
        if (n <= Tile) return Nn.MatMul(x, Consts.UpperTriangularOnes(n));

        int tiles = (n + Tile - 1) / Tile, padded = tiles * Tile;
        int[] lead = Shapes.ReshapeSizes(x.Shape.Take(x.Shape.Rank - 1))!;
        var v = padded > n ? Nn.Pad(x, right: padded - n) : x;
        var within = Nn.MatMul(Nn.Reshape(v, [.. lead, tiles, Tile]), Consts.UpperTriangularOnes(Tile)); // [..., tiles, 32]
        var totals = Nn.Reshape(Nn.Slice(within, -1, Tile - 1, end: Tile), [.. lead, tiles]);           // [..., tiles]
        // Exclusive prefix sum of the totals: the sum of every earlier tile. Shifting before the scan (rather than
        // subtracting each tile's own total after it) adds exactly the same values as a sequential scan would.
        var carry = Nn.Cumsum(Nn.Slice(Nn.Pad(totals, left: 1), -1, 0, end: tiles), axis: -1);
        var y = Nn.Reshape(Nn.Add(within, Nn.Reshape(carry, [.. lead, tiles, 1])), [.. lead, padded]);
        return padded > n ? Nn.Slice(y, -1, 0, end: n) : y;
    }
}
