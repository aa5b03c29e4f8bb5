namespace VoxTile.IR.Ops.Conv;

/// <summary>
/// The reference convolutions in fp32. Direct form, vectorised along time: for each (input channel, tap) a source
/// row is added into four output rows at once. Parallel over (batch, output-channel block, time tile).
/// </summary>
internal static class ConvReference
{
    private const int TimeTile = 512;

    public static Tensor Conv1d(Tensor x, Tensor w, Tensor? bias, int stride, int padL, int padR, int dilation, int groups)
    {
        int b = x.Shape[0], cin = x.Shape[1], len = x.Shape[2];
        int cout = w.Shape[0], cing = w.Shape[1], k = w.Shape[2];
        int outLen = ConvLength.Forward(len, k, stride, padL, padR, dilation);
        int coutg = cout / groups;
        var y = new Tensor([b, cout, outLen]);
        // Zero-padded input, and for stride > 1 one de-interleaved copy per phase, so every tap reads a contiguous row.
        int padded = len + padL + padR;
        var xp = new float[(long)b * cin * padded];
        for (int bi = 0; bi < b; bi++)
            for (int c = 0; c < cin; c++)
                Array.Copy(x.Data, ((long)bi * cin + c) * len, xp, ((long)bi * cin + c) * padded + padL, len);
        int phaseLen = (padded + stride - 1) / stride;
        float[] src = xp;
        int rowLen = padded;
        if (stride > 1)
        {
            src = new float[(long)b * cin * stride * phaseLen];
            for (long row = 0; row < (long)b * cin; row++)
                for (int t = 0; t < padded; t++)
                    src[(row * stride + t % stride) * phaseLen + t / stride] = xp[row * padded + t];
            rowLen = stride * phaseLen;
        }

        int oBlocks = (coutg + 3) / 4;
        int tTiles = (outLen + TimeTile - 1) / TimeTile;
        long work = (long)b * cout * outLen * cing * k;
        // Weights packed once per block of 4 output channels for the register-blocked kernel.
        var packed = Conv1dBlocked.Supported
            ? Enumerable.Range(0, groups * oBlocks).Select(i => Conv1dBlocked.Pack(w, i / oBlocks * coutg + i % oBlocks * 4, Math.Min(4, coutg - i % oBlocks * 4))).ToArray()
            : null;
        Par.For(b * groups * oBlocks * tTiles, work, job =>
        {
            int tt = job % tTiles;
            int rest = job / tTiles;
            int ob = rest % oBlocks;
            rest /= oBlocks;
            int g = rest % groups;
            int bi = rest / groups;
            int t0 = tt * TimeTile, tn = Math.Min(TimeTile, outLen - t0);
            int o0 = g * coutg + ob * 4, on = Math.Min(4, g * coutg + coutg - o0);
            var accArr = new float[4 * tn];
            Span<float> acc = accArr;
            for (int j = 0; j < on; j++)
                acc.Slice(j * tn, tn).Fill(bias is null ? 0f : bias.Data[o0 + j]);
            long RowStart(int ci, int kk)
            {
                long rowBase = ((long)bi * cin + g * cing + ci) * rowLen;
                int off = kk * dilation;
                return stride == 1 ? rowBase + off + t0 : rowBase + (long)(off % stride) * phaseLen + off / stride + t0;
            }
            if (packed is not null)
            {
                Conv1dBlocked.Run(src, RowStart, packed[g * oBlocks + ob], cing, k, acc, tn);
            }
            else
            {
                var d0 = acc.Slice(0, tn);
                var d1 = acc.Slice(tn, tn);
                var d2 = acc.Slice(2 * tn, tn);
                var d3 = acc.Slice(3 * tn, tn);
                for (int ci = 0; ci < cing; ci++)
                    for (int kk = 0; kk < k; kk++)
                    {
                        var s = src.AsSpan((int)RowStart(ci, kk), tn);
                        RowKernels.Axpy4(s, W(w, o0, ci, kk, on, 0), W(w, o0, ci, kk, on, 1), W(w, o0, ci, kk, on, 2), W(w, o0, ci, kk, on, 3), d0, d1, d2, d3);
                    }
            }
            for (int j = 0; j < on; j++)
                acc.Slice(j * tn, tn).CopyTo(y.Data.AsSpan((int)(((long)bi * cout + o0 + j) * outLen + t0), tn));
        });
        return y;
    }

    private static float W(Tensor w, int o0, int ci, int kk, int on, int j) =>
        j < on ? w.Data[((long)(o0 + j) * w.Shape[1] + ci) * w.Shape[2] + kk] : 0f;

    /// <summary>
    /// Transposed 1-D convolution in polyphase form: tap k writes output j = t·s + k·d − p, i.e. phase (k·d − p) mod s
    /// at a fixed shift, so each (input channel, tap) adds a contiguous input row into a contiguous phase row and no
    /// multiply touches an inserted zero. Weight [Cin, Cout/groups, K].
    /// </summary>
    public static Tensor ConvTranspose1d(Tensor x, Tensor w, Tensor? bias, int stride, int padding, int outputPadding, int dilation, int groups)
    {
        int b = x.Shape[0], cin = x.Shape[1], len = x.Shape[2];
        int coutg = w.Shape[1], k = w.Shape[2];
        int cout = coutg * groups, cing = cin / groups;
        int outLen = ConvLength.Transposed(len, k, stride, padding, outputPadding, dilation);
        var y = new Tensor([b, cout, outLen]);
        int phaseLen = (outLen + stride - 1) / stride;
        long work = (long)b * cin * coutg * k * len;
        Par.For(b * cout, work, job =>
        {
            int bi = job / cout, o = job % cout, g = o / coutg, oo = o % coutg;
            var phases = new float[stride * phaseLen];
            for (int ci = 0; ci < cing; ci++)
            {
                int c = g * cing + ci;
                var src = x.Data.AsSpan((int)(((long)bi * cin + c) * len), len);
                for (int kk = 0; kk < k; kk++)
                {
                    float wv = w.Data[((long)c * coutg + oo) * k + kk];
                    if (wv == 0f) continue;
                    int cOff = kk * dilation - padding;
                    int r = ((cOff % stride) + stride) % stride;
                    int shift = (cOff - r) / stride; // input t lands at phase index t + shift
                    int t0 = Math.Max(0, -shift), t1 = Math.Min(len, phaseLen - shift);
                    if (t1 <= t0) continue;
                    RowKernels.Axpy(src[t0..t1], wv, phases.AsSpan(r * phaseLen + t0 + shift, t1 - t0));
                }
            }
            float bv = bias is null ? 0f : bias.Data[o];
            var dst = y.Data.AsSpan((int)(((long)bi * cout + o) * outLen), outLen);
            for (int j = 0; j < outLen; j++) dst[j] = phases[(j % stride) * phaseLen + j / stride] + bv;
        });
        return y;
    }

    /// <summary>2-D convolution, direct form: input [B, C, H, W], weight [Cout, Cin/groups, KH, KW].</summary>
    public static Tensor Conv2d(Tensor x, Tensor w, Tensor? bias, int[] stride, int[] padding, int[] dilation, int groups)
    {
        int b = x.Shape[0], cin = x.Shape[1], h = x.Shape[2], wd = x.Shape[3];
        int cout = w.Shape[0], cing = w.Shape[1], kh = w.Shape[2], kw = w.Shape[3];
        int oh = ConvLength.Forward(h, kh, stride[0], padding[0], padding[0], dilation[0]);
        int ow = ConvLength.Forward(wd, kw, stride[1], padding[1], padding[1], dilation[1]);
        int coutg = cout / groups;
        var y = new Tensor([b, cout, oh, ow]);
        long work = (long)b * cout * oh * ow * cing * kh * kw;
        Par.For(b * cout, work, job =>
        {
            int bi = job / cout, o = job % cout, g = o / coutg;
            var dst = y.Data.AsSpan((int)(((long)bi * cout + o) * oh * ow), oh * ow);
            dst.Fill(bias is null ? 0f : bias.Data[o]);
            for (int ci = 0; ci < cing; ci++)
            {
                int c = g * cing + ci;
                var plane = x.Data.AsSpan((int)(((long)bi * cin + c) * h * wd), h * wd);
                for (int i = 0; i < kh; i++)
                    for (int j = 0; j < kw; j++)
                    {
                        float wv = w.Data[(((long)o * cing + ci) * kh + i) * kw + j];
                        for (int r = 0; r < oh; r++)
                        {
                            int ir = r * stride[0] - padding[0] + i * dilation[0];
                            if ((uint)ir >= (uint)h) continue;
                            var row = plane.Slice(ir * wd, wd);
                            var drow = dst.Slice(r * ow, ow);
                            for (int q = 0; q < ow; q++)
                            {
                                int ic = q * stride[1] - padding[1] + j * dilation[1];
                                if ((uint)ic < (uint)wd) drow[q] += wv * row[ic];
                            }
                        }
                    }
            }
        });
        return y;
    }
}
