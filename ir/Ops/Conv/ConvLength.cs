namespace VoxTile.IR.Ops.Conv;

/// <summary>Output lengths of convolutions (PyTorch's formulas), kept symbolic where the op preserves or scales a length.</summary>
internal static class ConvLength
{
    /// <summary>0 when the padded input is shorter than the receptive field (C# division truncates toward zero, which would give 1 there).</summary>
    public static int Forward(int length, int kernel, int stride, int padLeft, int padRight, int dilation)
    {
        int span = length + padLeft + padRight - dilation * (kernel - 1) - 1;
        return span < 0 ? 0 : span / stride + 1;
    }

    public static Dim Forward(Dim length, int kernel, int stride, int padLeft, int padRight, int dilation)
    {
        bool same = stride == 1 && padLeft + padRight == dilation * (kernel - 1);
        return length.Map(l => Forward(l, kernel, stride, padLeft, padRight, dilation), preserves: same);
    }

    public static int Transposed(int length, int kernel, int stride, int padding, int outputPadding, int dilation) =>
        (length - 1) * stride - 2 * padding + dilation * (kernel - 1) + outputPadding + 1;

    public static Dim Transposed(Dim length, int kernel, int stride, int padding, int outputPadding, int dilation)
    {
        // Clamped at 0 so that inference reports an empty output instead of throwing on a negative size.
        if (length.IsFixed) return Math.Max(0, Transposed(length.Value, kernel, stride, padding, outputPadding, dilation));
        // (L−1)s − 2p + d(k−1) + op + 1 is exactly L·s when the constant terms cancel (every HiFi-GAN upsampler).
        return dilation * (kernel - 1) + outputPadding + 1 - 2 * padding == stride ? length.Times(stride) : Dim.Unknown;
    }
}
