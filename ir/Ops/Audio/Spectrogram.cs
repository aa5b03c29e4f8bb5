namespace VoxTile.IR.Ops.Audio;

/// <summary>
/// OpenVoice's linear magnitude spectrogram (spectrogram_torch, center = False): reflect-pad (n_fft − hop)/2 on both
/// sides, frames of n_fft every hop, periodic Hann window of win_length centred in n_fft, one-sided DFT,
/// sqrt(re² + im² + 1e-6). Input [B, N] samples; output [B, n_fft/2 + 1, frames], frames = ⌊(N + pad·2 − n_fft)/hop⌋ + 1.
/// With <c>padded = false</c> the samples are taken as already padded — a window cut from a longer clip together with
/// the real neighbours its frames read (the device runtime's chunks) — and no reflect pad is added (pad 0).
/// </summary>
[Op("nn.spectrogram", "samples")]
public sealed partial class Spectrogram : Op
{
    [Attr] public int NFft { get; init; } = 1024;
    [Attr] public int Hop { get; init; } = 256;
    [Attr] public int WinLength { get; init; } = 1024;
    [Attr] public bool Padded { get; init; } = true;

    /// <summary>Samples reflected onto each side before framing: (n_fft − hop)/2, or 0 when the input is already padded.</summary>
    public int Pad => Padded ? (NFft - Hop) / 2 : 0;

    /// <summary>0 when the padded clip is shorter than one window (a hop above n_fft/3 pads less than a hop).</summary>
    public int Frames(int samples) => samples + 2 * Pad < NFft ? 0 : (samples + 2 * Pad - NFft) / Hop + 1;

    public override TypeResult InferType(IReadOnlyList<TensorType> t)
    {
        if (t[0].Rank != 2) return TypeResult.Fail($"samples must be [B, N], got {t[0]}");
        if (NFft < 2 || Hop < 1 || WinLength < 1 || WinLength > NFft) return TypeResult.Fail("needs n_fft ≥ 2, hop ≥ 1 and 1 ≤ win_length ≤ n_fft");
        var n = t[0].Shape[1];
        if (n.IsFixed && ((Pad > 0 && n.Value <= Pad) || Frames(n.Value) < 1))
            return TypeResult.Fail($"{n.Value} samples are shorter than one STFT window (n_fft {NFft}, reflect pad {Pad})");
        return new TensorType(DType.F32, new Shape([t[0].Shape[0], Dim.Of(NFft / 2 + 1), n.Map(Frames)]));
    }

    /// <summary>The windowed one-sided DFT basis: cos and −sin rows [bins, n_fft], computed in double.</summary>
    public (float[] Re, float[] Im) Basis()
    {
        int bins = NFft / 2 + 1;
        var re = new float[bins * NFft];
        var im = new float[bins * NFft];
        int off = (NFft - WinLength) / 2; // torch.stft centres a shorter window inside n_fft
        for (int n = 0; n < NFft; n++)
        {
            int wi = n - off;
            double w = wi >= 0 && wi < WinLength ? 0.5 - 0.5 * Math.Cos(2 * Math.PI * wi / WinLength) : 0;
            for (int f = 0; f < bins; f++)
            {
                long phase = (long)f * n % NFft; // exact argument reduction keeps high bins accurate
                double a = 2 * Math.PI * phase / NFft;
                re[f * NFft + n] = (float)(w * Math.Cos(a));
                im[f * NFft + n] = (float)(-w * Math.Sin(a));
            }
        }
        return (re, im);
    }

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs)
    {
        var x = inputs[0];
        int b = x.Shape[0], n = x.Shape[1], pad = Pad;
        if ((pad > 0 && n <= pad) || Frames(n) < 1) throw new VoxTileException($"{n} samples are shorter than one STFT window (n_fft {NFft}, reflect pad {pad})");
        int frames = Frames(n), bins = NFft / 2 + 1;
        var (re, im) = Basis();
        var y = new Tensor([b, bins, frames]);
        for (int bi = 0; bi < b; bi++)
        {
            var xp = ReflectPad(x.Data.AsSpan(bi * n, n), pad);
            int bOff = bi * bins * frames;
            Par.For(frames, (long)frames * bins * NFft * 2, t =>
            {
                var frame = xp.AsSpan(t * Hop, NFft);
                for (int f = 0; f < bins; f++)
                {
                    double sr = Dot(frame, re.AsSpan(f * NFft, NFft));
                    double si = Dot(frame, im.AsSpan(f * NFft, NFft));
                    y.Data[bOff + f * frames + t] = (float)Math.Sqrt(sr * sr + si * si + 1e-6);
                }
            });
        }
        return y;
    }

    /// <summary>The samples with <paramref name="pad"/> values mirrored onto each end (torch's reflect: no edge repeat); needs more than pad samples.</summary>
    public static float[] ReflectPad(ReadOnlySpan<float> x, int pad)
    {
        if (x.Length <= pad) throw new VoxTileException($"{x.Length} samples are too few to reflect-pad by {pad}");
        var y = new float[x.Length + 2 * pad];
        x.CopyTo(y.AsSpan(pad));
        for (int i = 0; i < pad; i++)
        {
            y[i] = x[pad - i];
            y[pad + x.Length + i] = x[x.Length - 2 - i];
        }
        return y;
    }

    private static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var acc = System.Numerics.Vector<double>.Zero;
        int i = 0, w = System.Numerics.Vector<float>.Count;
        for (; i + w <= a.Length; i += w)
        {
            var va = new System.Numerics.Vector<float>(a[i..]);
            var vb = new System.Numerics.Vector<float>(b[i..]);
            System.Numerics.Vector.Widen(va * vb, out var lo, out var hi);
            acc += lo + hi;
        }
        double s = System.Numerics.Vector.Sum(acc);
        for (; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }
}
