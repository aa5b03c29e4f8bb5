using VoxTile.IR;
using VoxTile.IR.Ops.Recurrent;
using VoxTile.Lowering.Passes;

namespace VoxTile.Lowering.Rules.Decompose;

/// <summary>
/// <c>nn.gru</c> (TTNN has no recurrent op) → one <c>nn.linear</c> for every step's input projections [B, T, 3H],
/// then the recurrence unrolled over the static T: per step one recurrent linear of h, one sigmoid for r and z
/// together, n = tanh(x_n + r ⊙ (W_hn h + b_hn)) and h' = n + z ⊙ (h − n), which is PyTorch's (1 − z) ⊙ n + z ⊙ h
/// in one fewer op. Without h0 the first step knows h = 0: its recurrent term is just b_hh, and h' = n − z ⊙ n.
/// The result is the steps concatenated on the time axis; consumers that slice single steps out of it (ref_enc
/// keeps only the last) read the step directly after <see cref="ForwardSliceThroughConcat"/>.
/// </summary>
public sealed class DecomposeGru : IRewriteRule
{
    public string Name => "decompose-gru";

    public Node? Rewrite(Node node, PassContext context)
    {
        if (node.Op is not Gru) return null;
        var x = node.Inputs[0];
        Node wih = node.Inputs[1], whh = node.Inputs[2], bih = node.Inputs[3], bhh = node.Inputs[4];
        var h0 = node.Inputs.Length > 5 ? node.Inputs[5] : null;
        if (!x.Shape[1].IsFixed || x.Shape[1].Value == 0 || Shapes.ReshapeSizes([x.Shape[0]]) is not { } batch)
        {
            context.Note($"{Name}: {Shapes.Describe(node)} of {x.Type} left as is: unrolling needs a fixed, non-empty time axis");
            return null;
        }
        int steps = x.Shape[1].Value, h = whh.Shape[1].Value;

        var gates = Nn.Linear(x, wih, bias: bih);                  // [B, T, 3H]: x·W_ihᵀ + b_ih for all steps at once
        var inRz = Nn.Slice(gates, -1, 0, end: 2 * h);             // [B, T, 2H]
        var inN = Nn.Slice(gates, -1, 2 * h, end: 3 * h);          // [B, T, H]
        Node? state = h0 is null ? null : Nn.Reshape(h0, [batch[0], 1, h]);
        var outputs = new List<Node>(steps);
        for (int t = 0; t < steps; t++)
        {
            Node recRz, recN;
            if (state is null)
            {
                recRz = Nn.Slice(bhh, 0, 0, end: 2 * h);
                recN = Nn.Slice(bhh, 0, 2 * h, end: 3 * h);
            }
            else
            {
                var rec = Nn.Linear(state, whh, bias: bhh);         // [B, 1, 3H]
                recRz = Nn.Slice(rec, -1, 0, end: 2 * h);
                recN = Nn.Slice(rec, -1, 2 * h, end: 3 * h);
            }
            var rz = Nn.Sigmoid(Nn.Add(Nn.Slice(inRz, 1, t, end: t + 1), recRz));
            var r = Nn.Slice(rz, -1, 0, end: h);
            var z = Nn.Slice(rz, -1, h, end: 2 * h);
            var n = Nn.Tanh(Nn.Add(Nn.Slice(inN, 1, t, end: t + 1), Nn.Mul(r, recN)));
            state = state is null ? Nn.Sub(n, Nn.Mul(z, n)) : Nn.Add(n, Nn.Mul(z, Nn.Sub(state, n)));
            outputs.Add(state);
        }
        var y = steps == 1 ? outputs[0] : Nn.Concat(outputs, 1);
        return Shapes.Checked(this, node, y, context);
    }
}
