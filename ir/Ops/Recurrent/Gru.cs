namespace VoxTile.IR.Ops.Recurrent;

/// <summary>
/// One-layer unidirectional GRU, batch-first (PyTorch nn.GRU, gate order r, z, n): input [B, T, I],
/// weight_ih [3H, I], weight_hh [3H, H], bias_ih [3H], bias_hh [3H], optional h0 [B, H] (zeros otherwise).
/// Output: every step's hidden state [B, T, H]; the final state is its last step.
/// <c>r = σ(W_ir x + b_ir + W_hr h + b_hr)</c>, <c>z = σ(W_iz x + b_iz + W_hz h + b_hz)</c>,
/// <c>n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))</c>, <c>h' = (1 − z) ⊙ n + z ⊙ h</c>.
/// </summary>
[Op("nn.gru", "input", "weight_ih", "weight_hh", "bias_ih", "bias_hh", "h0?")]
public sealed partial class Gru : Op
{
    public override TypeResult InferType(IReadOnlyList<TensorType> t)
    {
        if (t[0].Rank != 3) return TypeResult.Fail($"input must be [B, T, I], got {t[0]}");
        if (t[1].Rank != 2 || t[2].Rank != 2 || !t[1].Shape.IsFixed || !t[2].Shape.IsFixed) return TypeResult.Fail("weights must be fixed [3H, I] and [3H, H]");
        int h3 = t[1].Shape[0].Value, inSize = t[1].Shape[1].Value;
        if (h3 % 3 != 0) return TypeResult.Fail($"weight_ih has {h3} rows, not a multiple of 3");
        int h = h3 / 3;
        if (!t[2].Shape.Equals(new Shape(h3, h))) return TypeResult.Fail($"weight_hh must be [{h3},{h}], got {t[2]}");
        if (t[0].Shape[2].IsFixed && t[0].Shape[2].Value != inSize) return TypeResult.Fail($"input size {t[0].Shape[2]} but weight_ih expects {inSize}");
        if (!t[3].Shape.Equals(new Shape(h3)) || !t[4].Shape.Equals(new Shape(h3))) return TypeResult.Fail($"biases must be [{h3}]");
        if (t.Count > 5 && (t[5].Rank != 2 || !t[5].Shape[1].Equals(Dim.Of(h)) || !t[5].Shape[0].Compatible(t[0].Shape[0])))
            return TypeResult.Fail($"h0 must be [{t[0].Shape[0]}, {h}], got {t[5]}");
        return new TensorType(t[0].DType, new Shape([t[0].Shape[0], t[0].Shape[1], Dim.Of(h)]));
    }

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs)
    {
        var x = inputs[0];
        var wih = inputs[1].Data;
        var whh = inputs[2].Data;
        var bih = inputs[3].Data;
        var bhh = inputs[4].Data;
        int b = x.Shape[0], steps = x.Shape[1], inSize = x.Shape[2], h = inputs[2].Shape[1];
        var y = new Tensor([b, steps, h]);
        for (int bi = 0; bi < b; bi++)
        {
            var state = new double[h];
            if (inputs.Count > 5) for (int j = 0; j < h; j++) state[j] = inputs[5].Data[bi * h + j];
            var gi = new double[3 * h];
            var gh = new double[3 * h];
            for (int t = 0; t < steps; t++)
            {
                int xo = (bi * steps + t) * inSize;
                Par.For(3 * h, (long)3 * h * inSize, r =>
                {
                    double si = bih[r], sh = bhh[r];
                    for (int i = 0; i < inSize; i++) si += (double)wih[(long)r * inSize + i] * x.Data[xo + i];
                    for (int i = 0; i < h; i++) sh += (double)whh[(long)r * h + i] * state[i];
                    gi[r] = si;
                    gh[r] = sh;
                });
                for (int j = 0; j < h; j++)
                {
                    double r = Sigmoid(gi[j] + gh[j]);
                    double z = Sigmoid(gi[h + j] + gh[h + j]);
                    double n = Math.Tanh(gi[2 * h + j] + r * gh[2 * h + j]);
                    state[j] = (1 - z) * n + z * state[j];
                    y.Data[(bi * steps + t) * h + j] = (float)state[j];
                }
            }
        }
        return y;
    }

    private static double Sigmoid(double v) => 1.0 / (1.0 + Math.Exp(-v));
}
