using VoxTile.IR;
using VoxTile.IR.Ops.Audio;
using VoxTile.Lowering.Passes;

namespace VoxTile.Lowering.Rules.Decompose;

/// <summary>
/// <c>nn.spectrogram</c> → device ops only. The reflect pad is two slices of the clip's edges, flipped, concatenated
/// around it; the windowed one-sided DFT is two stride-hop conv1d's of the padded clip [B, 1, N + 2·pad] against the
/// basis rows as weights [bins, 1, n_fft] (<c>const.dft_re_*</c>, <c>const.dft_im_*</c>: window·cos and −window·sin,
/// computed in double); the magnitude is sqrt(re² + im² + 1e-6). An already padded input (<c>padded = false</c>) is
/// framed as it is.
/// </summary>
public sealed class DecomposeSpectrogram : IRewriteRule
{
    public const float Epsilon = 1e-6f;

    public string Name => "decompose-spectrogram";

    public Node? Rewrite(Node node, PassContext context)
    {
        if (node.Op is not Spectrogram op) return null;
        var x = node.Inputs[0];
        int pad = op.Pad;
        if (!x.Shape[1].IsFixed || pad < 0 || Shapes.ReshapeSizes([x.Shape[0]]) is not { } batch)
        {
            context.Note($"{Name}: {Shapes.Describe(node)} left as is: needs a fixed clip length and hop ≤ n_fft");
            return null;
        }
        int n = x.Shape[1].Value;
        if (n <= pad) return null; // inference already refuses such a clip

        var padded = pad == 0 ? x : Nn.Concat([
            Nn.Flip(Nn.Slice(x, 1, 1, end: pad + 1), axis: 1),          // x[pad], …, x[1]
            x,
            Nn.Flip(Nn.Slice(x, 1, n - 1 - pad, end: n - 1), axis: 1),  // x[n−2], …, x[n−1−pad]
        ], 1);
        var clip = Nn.Reshape(padded, [batch[0], 1, n + 2 * pad]);
        var (re, im) = Bases(op);
        var real = Nn.Conv1d(clip, re, stride: op.Hop);
        var imag = Nn.Conv1d(clip, im, stride: op.Hop);
        var mag = Nn.Sqrt(Nn.Scale(Nn.Add(Nn.Square(real), Nn.Square(imag)), offset: Epsilon));
        return Shapes.Checked(this, node, mag, context);
    }

    private static (Node Re, Node Im) Bases(Spectrogram op)
    {
        int bins = op.NFft / 2 + 1;
        var (re, im) = op.Basis();
        string tag = op.NFft + (op.WinLength == op.NFft ? "" : $"_win{op.WinLength}");
        return (Consts.Weight($"const.dft_re_{tag}", new Tensor([bins, 1, op.NFft], re)),
                Consts.Weight($"const.dft_im_{tag}", new Tensor([bins, 1, op.NFft], im)));
    }
}
