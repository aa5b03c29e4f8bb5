using Microsoft.Win32.SafeHandles;

namespace VoxTile.Runtime.Native;

/// <summary>Weights prepared by vt_weights_create (conv1d/conv2d) or vt_conv_transpose_weights_create (conv_transpose1d); released with vt_weights_destroy.</summary>
public sealed unsafe class WeightsHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private WeightsHandle() : base(ownsHandle: true) { }

    /// <summary>Prepares a [Cout, Cin/groups, K] or [Cout, Cin/groups, KH, KW] weight for <paramref name="math"/> (bf16 or f32).</summary>
    public static WeightsHandle Create(in VtTensor weight, int groups, VtDtype math)
    {
        var h = new WeightsHandle();
        VtWeights* w;
        fixed (VtTensor* t = &weight) VtNative.WeightsCreate(t, groups, math, &w).ThrowIfFailed();
        h.SetHandle((nint)w);
        return h;
    }

    /// <summary>Prepares a transposed conv's [Cin, Cout/groups, K] weight as one GEMM panel set per output phase of <paramref name="geometry"/>'s stride.</summary>
    public static WeightsHandle CreateTransposed(in VtTensor weight, int groups, in VtConvTranspose1dParams geometry, VtDtype math)
    {
        var h = new WeightsHandle();
        VtWeights* w;
        fixed (VtTensor* t = &weight)
        fixed (VtConvTranspose1dParams* g = &geometry)
            VtNative.ConvTransposeWeightsCreate(t, groups, g, math, &w).ThrowIfFailed();
        h.SetHandle((nint)w);
        return h;
    }

    public VtWeights* Pointer => (VtWeights*)handle;

    public VtWeightsInfo Info
    {
        get
        {
            VtWeightsInfo info;
            VtNative.WeightsGetInfo(Pointer, &info).ThrowIfFailed();
            return info;
        }
    }

    protected override bool ReleaseHandle()
    {
        VtNative.WeightsDestroy((VtWeights*)handle);
        return true;
    }
}
