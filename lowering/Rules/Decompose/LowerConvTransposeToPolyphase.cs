using VoxTile.IR;
using VoxTile.IR.Ops.Conv;
using VoxTile.Lowering.Passes;

namespace VoxTile.Lowering.Rules.Decompose;

/// <summary>
/// <c>nn.conv_transpose1d</c> with stride s → s ordinary conv1d's ("phases") whose outputs interleave, so no
/// multiply touches one of the zeros a transposed conv inserts between input samples.
/// <para>
/// Output sample t of the transposed conv sits at u = t + padding of the full (uncropped) output; write u = q·s + r.
/// Only taps k ≡ r (mod s) reach it: y[u] = Σⱼ x[q − j] · w[r + j·s]. So phase r is a conv1d over x with the
/// ⌈(K − r)/s⌉ taps w[r], w[r + s], … flipped, re-laid from [Cin, Cout/g, K] to conv weights [Cout, Cin/g, taps]
/// at compile time (<c>const.&lt;weight key&gt;.polyphase_s*_r*</c>), padded (or the input sliced) so that all
/// phases produce the same q range. The phases stack on a new last axis, reshape to [B, Cout, Q·s], and a slice
/// keeps the exact output (padding and output_padding land there). Each phase adds the bias: every output sample
/// belongs to exactly one phase. A phase with no tap (kernel shorter than the stride) is the bias alone.
/// </para>
/// Does not fire when <see cref="LoweringOptions.ConvTransposeAsConvTranspose2d"/> is set (legalization then maps
/// the op to ttnn.conv_transpose2d with height 1), nor for dilation ≠ 1 (left as is, with a diagnostic).
/// </summary>
public sealed class LowerConvTransposeToPolyphase : IRewriteRule
{
    public string Name => "lower-conv-transpose-to-polyphase";

    public Node? Rewrite(Node node, PassContext context)
    {
        if (node.Op is not ConvTranspose1d op || context.Options.ConvTransposeAsConvTranspose2d) return null;
        if (op.Dilation != 1)
        {
            context.Note($"{Name}: {Shapes.Describe(node)} left as is: polyphase needs dilation 1, got {op.Dilation}");
            return null;
        }
        var x = node.Inputs[0];
        var w = node.Inputs[1];
        var bias = node.Inputs.Length > 2 ? node.Inputs[2] : null;
        if (!x.Shape[2].IsFixed || Shapes.ReshapeSizes([x.Shape[0]]) is not { } batch)
        {
            context.Note($"{Name}: {Shapes.Describe(node)} of {x.Type} left as is: needs a fixed input length");
            return null;
        }
        int length = x.Shape[2].Value, s = op.Stride, p = op.Padding, g = op.Groups;
        int cin = w.Shape[0].Value, coutG = w.Shape[1].Value, k = w.Shape[2].Value, cout = coutG * g;
        int outLen = node.Shape[2].Value;
        if (length == 0 || outLen <= 0) return null;

        int q0 = p / s, q1 = (p + outLen - 1) / s, quotients = q1 - q0 + 1; // full-output rows q that the crop keeps
        var phases = new List<Node>(s);
        for (int r = 0; r < s; r++)
            phases.Add(Phase(x, w, bias, r, s, g, length, k, cin, cout, q0, quotients));

        Node y;
        if (s == 1) y = phases[0];
        else
        {
            var stacked = Nn.Concat([.. phases.Select(ph => Nn.Reshape(ph, [batch[0], cout, quotients, 1]))], 3);
            y = Nn.Reshape(stacked, [batch[0], cout, quotients * s]);
        }
        int start = p - q0 * s;
        if (start != 0 || quotients * s != outLen) y = Nn.Slice(y, 2, start, end: start + outLen);
        return Shapes.Checked(this, node, y, context);
    }

    /// <summary>Phase r: rows q0 … q0 + count − 1 of y[q·s + r] = bias + Σⱼ x[q − j]·w[r + j·s], as one conv1d.</summary>
    private static Node Phase(Node x, Node w, Node? bias, int r, int s, int g, int length, int k, int cin, int cout,
        int q0, int count)
    {
        int taps = r < k ? (k - r + s - 1) / s : 0;
        // conv1d output i reads x[i + m − padLeft + from] with tap m; it must read x[q0 + i − (taps − 1) + m].
        int shift = taps - 1 - q0;
        int padLeft = Math.Max(0, shift), from = Math.Max(0, -shift);
        if (taps == 0 || from >= length)
        {
            // No tap of this phase reaches the kept rows: the bias alone, as a 1-tap conv of zeros over one sample.
            var zeros = Consts.Zeros(cout, cin / g, 1);
            return Nn.Conv1d(Nn.Slice(x, 2, 0, end: 1), zeros, bias: bias, paddingRight: count - 1, groups: g);
        }
        var input = from > 0 ? Nn.Slice(x, 2, from) : x;
        int natural = length - from + padLeft - taps + 1;
        int padRight = Math.Max(0, count - natural);
        var y = Nn.Conv1d(input, PhaseWeight(w, r, s, g, taps, cin, cout), bias: bias, padding: padLeft, paddingRight: padRight, groups: g);
        return natural + padRight > count ? Nn.Slice(y, 2, 0, end: count) : y;
    }

    /// <summary>Taps w[:, :, r], w[:, :, r + s], … reversed, as conv weights [Cout, Cin/g, taps]; folded now when w is constant.</summary>
    private static Node PhaseWeight(Node w, int r, int s, int g, int taps, int cin, int cout)
    {
        var v = Nn.Flip(Nn.Slice(w, 2, r, step: s), axis: 2);                  // [Cin, Cout/g, taps]
        v = g == 1
            ? Nn.Transpose(v, [1, 0, 2])
            : Nn.Reshape(Nn.Transpose(Nn.Reshape(v, [g, cin / g, cout / g, taps]), [0, 2, 1, 3]), [cout, cin / g, taps]);
        return Consts.Derived(v, w, $"polyphase_s{s}_r{r}" + (g == 1 ? "" : $"_g{g}"));
    }
}
