using VoxTile.IR;
using VoxTile.IR.Ops.Constant;
using VoxTile.IR.Ops.Elementwise;
using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Ops.Linear;
using VoxTile.IR.Ops.Movement;
using VoxTile.IR.Ops.Reduce;
using VoxTile.IR.Ops.Sequence;

namespace VoxTile.Lowering.Rules.Legalize;

/// <summary>
/// The values that must stay f32 whatever the activation dtype (Rules/Decompose/README.md, "what legalization must
/// know"): the weights marked exact (<see cref="Weight.Exact"/>: the decompositions' prefix-sum matrices and frame
/// indices), the prefix sums of the decomposed cumsum (matmuls against an exact weight, their carries), <c>nn.arange</c>,
/// and everything computed from them by ops that keep integers
/// integers (data movement, add, sub, neg, maximum, select). fp32 holds integers exactly to 2²⁴, bf16 only to 256,
/// so a bf16 prefix sum moves frame boundaries after ~3 s of speech. Comparisons that read such a value compare in
/// f32; their 0/1 result is exact in any dtype and leaves the set.
/// </summary>
internal sealed class ExactValues
{
    private readonly HashSet<Node> _exact = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<Node> _compute = new(ReferenceEqualityComparer.Instance);

    public static ExactValues Analyze(Graph g)
    {
        var r = new ExactValues();
        foreach (var n in g.Nodes)
        {
            bool anyExact = n.Inputs.Any(r._exact.Contains);
            bool exact = n.Op switch
            {
                Weight w => w.Exact,
                Arange => true,
                MatMul => n.Inputs[1].Op is Weight { Exact: true },
                Where => r._exact.Contains(n.Inputs[1]) || r._exact.Contains(n.Inputs[2]),
                Add or Sub or Neg or Maximum or Slice or Reshape or Pad or Concat or Transpose or Flip or ReduceSum or Cumsum => anyExact,
                _ => false,
            };
            if (exact) r._exact.Add(n);
            if (exact || (anyExact && n.Op is Less or GreaterEqual)) r._compute.Add(n);
        }
        return r;
    }

    /// <summary>Whether the value itself must be held in f32.</summary>
    public bool IsExact(Node n) => _exact.Contains(n);

    /// <summary>Whether the op must read its operands and compute in f32.</summary>
    public bool ComputesExact(Node n) => _compute.Contains(n);
}
