using VoxTile.IR;
using VoxTile.IR.Ops.Conv;
using VoxTile.IR.Ops.Linear;
using VoxTile.IR.Ops.Movement;
using VoxTile.IR.Ops.Norm;
using VoxTile.IR.Ops.Reduce;

namespace VoxTile.Lowering.Rules.Legalize;

/// <summary>
/// The backward half of the layout assignment: for every nn value, the device permutation its consumers would like
/// to read it in. Convolutions anchor channels-last ([B, C, T] as [B, T, C]; NCHW as NHWC) and graph outputs the nn
/// order; layout-agnostic ops (elementwise, slices, concat, flip, pad, reductions) pass their result's demand on to
/// their operands, nn transposes and reshapes translate it. Where consumers disagree the stronger anchor wins
/// (a conv over an output), then the later consumer. The forward half is <see cref="Legalizer.ChoosePerm"/>: an op
/// whose operands already agree keeps their permutation; one whose operands disagree takes its demand.
/// </summary>
internal sealed class LayoutDemands
{
    private const int Anchor = 3, Output = 1;
    private readonly Dictionary<Node, (int[] Perm, int Weight)> _demand = new(ReferenceEqualityComparer.Instance);

    public int[]? Of(Node n) => _demand.TryGetValue(n, out var d) ? d.Perm : null;

    public static LayoutDemands Compute(Graph g)
    {
        var r = new LayoutDemands();
        foreach (var o in g.Outputs)
            if (o.Shape.IsFixed) r.Merge(o, Perms.Identity(o.Shape.Rank), Output);
        for (int k = g.Nodes.Length - 1; k >= 0; k--)
        {
            var n = g.Nodes[k];
            r._demand.TryGetValue(n, out var d);
            for (int i = 0; i < n.Inputs.Length; i++)
            {
                var x = n.Inputs[i];
                if (!x.Shape.IsFixed) continue;
                var (perm, weight) = OperandDemand(n, i, d.Perm, d.Weight);
                if (perm is not null && perm.Length == x.Shape.Rank) r.Merge(x, perm, weight);
            }
        }
        return r;
    }

    private void Merge(Node n, int[] perm, int weight)
    {
        if (!_demand.TryGetValue(n, out var d) || weight > d.Weight) _demand[n] = (perm, weight);
    }

    private static (int[]? Perm, int Weight) OperandDemand(Node n, int operand, int[]? d, int w)
    {
        int rank = n.Inputs[operand].Shape.Rank;
        switch (n.Op)
        {
            case Conv1d or ConvTranspose1d:
                return operand == 0 ? (Perms.ChannelsLast(3), Anchor) : (null, 0);
            case Conv2d:
                return operand == 0 ? (Perms.ChannelsLast(4), Anchor) : (null, 0);
            case MatMul or IR.Ops.Index.Embedding or IR.Ops.Random.RandnLike:
                return (null, 0);
            case Linear or LayerNorm:
                return operand == 0 && d is not null ? (d, w) : (null, 0);
            case Transpose t when d is not null:
                return ([.. d.Select(j => t.Perm[j])], w);
            case Reshape when d is not null:
                return (Perms.ThroughReshape(n.Shape.ToArray(), n.Inputs[0].Shape.ToArray(), d), w);
            case Reshape or Transpose:
                return (null, 0);
            case ReduceSum rs when !rs.KeepDims:
                return (null, 0);
            default:
                // Elementwise and data movement: the operand is read in the result's order (right-aligned when broadcast).
                return d is null || rank > d.Length ? (null, 0) : (Perms.Restrict(d, rank), w);
        }
    }
}
